import { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { User, UserDirectory } from '../identity/users';
import { DomainError, unauthorized } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

/**
 * Failed sign-ins (a well-formed Bearer token or Basic password that names no user) counted per
 * client, by express-rate-limit's store and window. Only failures count: a client's successful
 * requests, however many at once, never bring it near the limit. Once a client has failed `limit`
 * times within the window, every request it makes with credentials or without is answered 429 with
 * Retry-After until the window ends, a right token included: a guess that happens to be right must
 * not stand out from the wrong ones. Shared by /api and /engine-rest.
 */
export interface SignInLimiter {
  /** Seconds the client must still wait, or null when it may try. */
  blocked(req: Request): Promise<number | null>;
  /** Counts one failed sign-in of the client. */
  failed(req: Request, res: Response): Promise<void>;
}

export function signInLimiter(options: { limit: number; windowMs: number }): SignInLimiter {
  if (options.limit <= 0) return { blocked: async () => null, failed: async () => undefined };
  const keyOf = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  const counter = rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    keyGenerator: keyOf,
    standardHeaders: false,
    legacyHeaders: false,
    // The answer (401, or 429 on the next request) is the caller's: counting is all this does.
    handler: (_req, _res, next) => next(),
  });
  return {
    async blocked(req) {
      const info = await counter.getKey(keyOf(req));
      if (!info || info.totalHits < options.limit) return null;
      const reset = info.resetTime?.getTime() ?? Date.now() + options.windowMs;
      return Math.max(1, Math.ceil((reset - Date.now()) / 1000));
    },
    failed: (req, res) => new Promise<void>((resolve, reject) => counter(req, res, (error?: unknown) => (error ? reject(error) : resolve()))),
  };
}

/** The 429 of a client over the limit, with the Retry-After header set. */
export function tooManyFailedSignIns(res: Response, retryAfterSeconds: number): DomainError {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new DomainError('rate-limited', 'TOO_MANY_FAILED_SIGN_INS', `Too many failed sign-ins from this client; try again in ${retryAfterSeconds} s (Retry-After)`, { retryAfterSeconds });
}

/** Bearer token authentication; the user is attached to the request. */
export function authenticate(users: UserDirectory, limiter: SignInLimiter = signInLimiter({ limit: 0, windowMs: 1000 })) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const wait = await limiter.blocked(req);
    if (wait !== null) return next(tooManyFailedSignIns(res, wait));
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return next(unauthorized('Send "Authorization: Bearer <token>"'));
    const user = users.authenticate(match[1]);
    if (!user) {
      await limiter.failed(req, res);
      return next(unauthorized('The bearer token is not valid'));
    }
    req.user = user;
    next();
  };
}

export function currentUser(req: Request): User {
  if (!req.user) throw unauthorized();
  return req.user;
}

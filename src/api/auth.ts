import { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { User, UserDirectory } from '../identity/users';
import { DEFAULT_SESSION_LIMITS, SessionLimits, WebSession, WebSessions } from '../identity/web-sessions';
import type { HostContext } from './context';
import { DomainError, unauthorized } from './errors';
import { clearSessionCookie, csrfProblem, SAFE_METHODS, sessionCookie } from './session';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
    /** The web app's session the request was authenticated by (none for a Bearer token). */
    webSession?: { id: string; session: WebSession };
  }
}

/** What /api needs to tell who is asking: the failed sign-in limiter, the web app's sessions, and whether cookies must be Secure. */
export interface ApiAuth {
  limiter: SignInLimiter;
  sessions: WebSessions;
  /** Secure cookies when the server is reached over https (PUBLIC_URL, or a request a trusted proxy marked secure). */
  secureCookies(req: Request): boolean;
}

/** The web app's sessions of a host: kept where the host keeps them (the database), users from its users file. */
export function webSessionsOf(host: Pick<HostContext, 'sessions' | 'users' | 'clock'>, limits: SessionLimits = DEFAULT_SESSION_LIMITS): WebSessions {
  return new WebSessions(host.sessions, (id) => host.users.list().find((u) => u.id === id), host.clock, limits);
}

export function defaultApiAuth(host: Pick<HostContext, 'sessions' | 'users' | 'clock'>): ApiAuth {
  return { limiter: signInLimiter({ limit: 0, windowMs: 1000 }), sessions: webSessionsOf(host), secureCookies: (req) => req.secure };
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

/**
 * Who is asking: a Bearer token (API clients), or else the web app's session cookie. A request
 * authenticated by the cookie that may change something must carry the session's CSRF token in
 * X-CSRF-Token: the browser attaches the cookie by itself, a page of another site cannot read the
 * token to add it. A Bearer token is never attached by a browser, so it needs no such proof.
 */
export function authenticate(users: UserDirectory, auth: ApiAuth) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const wait = await auth.limiter.blocked(req);
    if (wait !== null) return next(tooManyFailedSignIns(res, wait));
    const header = req.headers.authorization;
    if (!header) return next(await sessionUser(req, res, auth));
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(unauthorized('Send "Authorization: Bearer <token>"'));
    const user = users.authenticate(match[1]);
    if (!user) {
      await auth.limiter.failed(req, res);
      return next(unauthorized('The bearer token is not valid'));
    }
    req.user = user;
    next();
  };
}

/** The user of the request's session cookie, or the refusal. A stale cookie is no guess at a token: it is not counted as a failed sign-in. */
async function sessionUser(req: Request, res: Response, auth: ApiAuth): Promise<DomainError | undefined> {
  const id = sessionCookie(req);
  if (!id) return unauthorized('Send "Authorization: Bearer <token>" or sign in (POST /api/sign-in)');
  const session = await auth.sessions.find(id);
  if (!session) {
    clearSessionCookie(res, auth.secureCookies(req));
    return new DomainError('unauthenticated', 'SESSION_ENDED', 'The session has ended (signed out or expired); sign in again');
  }
  if (!SAFE_METHODS.has(req.method)) {
    const problem = csrfProblem(req, session);
    if (problem) return new DomainError('forbidden', problem, problem === 'CSRF_TOKEN_MISSING' ? 'A request authenticated by the session cookie must send the X-CSRF-Token header (from GET /api/me)' : "The X-CSRF-Token header is not this session's token");
  }
  req.user = session.user;
  req.webSession = { id, session };
  return undefined;
}

export function currentUser(req: Request): User {
  if (!req.user) throw unauthorized();
  return req.user;
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { Clock } from '../clock';
import type { User } from '../identity/users';

/**
 * Browser sessions of the web app. Signing in with a token gives the browser an HttpOnly cookie
 * naming a session kept here, so the token never stays in page scripts' reach and a task opened in
 * a new tab is signed in. Sessions live in the server's memory: a restart, or another server behind
 * the same address, asks the browser to sign in again (fail closed: a revoked session cannot come
 * back, unlike a signed cookie whose revocation list was lost). API clients keep sending their
 * token (Bearer on /api, Bearer or Basic on /engine-rest); none of this applies to them.
 */
export const SESSION_COOKIE = 'reglament_session';
/** The header a cookie-authenticated unsafe request must carry, with the session's CSRF token (from GET /api/me or the sign-in answer). */
export const CSRF_HEADER = 'x-csrf-token';
/** The cookie is sent to the API only: the web app's files need no credentials. */
const COOKIE_PATH = '/api';

export interface WebSession {
  user: User;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  /** A session ends this long after sign-in, however active (SESSION_MAX_AGE_MS). */
  maxAgeMs: number;
  /** ... or after this long without a request (SESSION_IDLE_MS). */
  idleMs: number;
  /** Sessions kept at most; the least recently used goes first (a flood of sign-ins cannot exhaust memory). */
  maxSessions?: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxAgeMs: 12 * 3600_000, idleMs: 2 * 3600_000 };

const hashOf = (sessionId: string) => createHash('sha256').update(sessionId, 'utf8').digest('hex');

export class SessionStore {
  /** By the SHA-256 of the cookie's value: what the server keeps does not sign anyone in. Map order is use order (oldest first). */
  private readonly byHash = new Map<string, WebSession>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** A new session for a user who has just proved their token; its id goes into the cookie, nowhere else. */
  create(user: User): { sessionId: string; session: WebSession } {
    const now = this.clock.now().getTime();
    this.prune(now);
    const max = this.limits.maxSessions ?? 10_000;
    while (this.byHash.size >= max) this.byHash.delete(this.byHash.keys().next().value as string);
    const sessionId = randomBytes(32).toString('base64url');
    const session: WebSession = { user: { ...user, groups: [...user.groups] }, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now };
    this.byHash.set(hashOf(sessionId), session);
    return { sessionId, session };
  }

  /** The live session of a cookie value, its idle time restarted; undefined when unknown, revoked or expired. */
  find(sessionId: string): WebSession | undefined {
    const key = hashOf(sessionId);
    const session = this.byHash.get(key);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (this.expired(session, now)) {
      this.byHash.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    this.byHash.delete(key);
    this.byHash.set(key, session);
    return session;
  }

  revoke(sessionId: string): void {
    this.byHash.delete(hashOf(sessionId));
  }

  /** How long the cookie may live: the absolute bound (the idle bound is the server's to enforce). */
  get cookieMaxAgeMs(): number {
    return this.limits.maxAgeMs;
  }

  private expired(session: WebSession, now: number): boolean {
    return now - session.createdAt >= this.limits.maxAgeMs || now - session.lastSeenAt >= this.limits.idleMs;
  }

  private prune(now: number): void {
    for (const [key, session] of this.byHash) if (this.expired(session, now)) this.byHash.delete(key);
  }
}

/** The session cookie's value, if the request carries one. */
export function sessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

function cookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH };
}

export function setSessionCookie(res: Response, sessionId: string, maxAgeMs: number, secure: boolean): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...cookieOptions(secure), maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}

/** Methods a cookie-authenticated request may use without the CSRF header: they change nothing. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request's CSRF header matches the session's token (compared in constant time). */
export function csrfProblem(req: Request, session: WebSession): 'CSRF_TOKEN_MISSING' | 'CSRF_TOKEN_INVALID' | null {
  const sent = req.get(CSRF_HEADER);
  if (!sent) return 'CSRF_TOKEN_MISSING';
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(session.csrfToken, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b) ? null : 'CSRF_TOKEN_INVALID';
}

import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { WebSession } from '../identity/web-sessions';

/**
 * The HTTP side of the web app's sessions (the sessions themselves: identity/web-sessions.ts, kept in
 * the database and shared by every server on it). Signing in with a token gives the browser an
 * HttpOnly cookie naming a session, so the token never stays in page scripts' reach and a task opened
 * in a new tab is signed in. API clients keep sending their token (Bearer on /api, Bearer or Basic on
 * /engine-rest); none of this applies to them.
 */
export const SESSION_COOKIE = 'reglament_session';
/** The header a cookie-authenticated unsafe request must carry, with the session's CSRF token (from GET /api/me or the sign-in answer). */
export const CSRF_HEADER = 'x-csrf-token';
/** The cookie is sent to the API only: the web app's files need no credentials. */
const COOKIE_PATH = '/api';

/** The session cookie's value, if the request carries one. */
/** A cookie value with a broken percent-escape is kept as sent: it then matches no session (401), never a 500. */
function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function sessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodedOrRaw(part.slice(eq + 1).trim()) || undefined;
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

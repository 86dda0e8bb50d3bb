import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import type { User } from './users';

/**
 * The web app's sessions: what a sign-in cookie means, for every server on the database. The cookie
 * carries a 256-bit random id; the database keeps only its SHA-256 and the SHA-256 of the session's
 * CSRF token, so a copy of the table signs no one in. The CSRF token is derived from the id (an HMAC
 * keyed by it): any server that receives the cookie can tell the page its token (GET /api/me) without
 * the token being stored, and a page of another site, which cannot read the HttpOnly cookie, cannot
 * derive it. The user is looked up in the users file at every request: a user removed or moved to
 * other groups is so at once. A request writes only when the last recorded one is a minute old or
 * more (the idle bound moves by that step), so a busy page does not write per request.
 */

/** One stored session (persistence keeps it in web_sessions; instants are ISO-8601 UTC). */
export interface SessionRecord {
  idHash: string;
  csrfHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** Where sessions are kept; implemented by persistence (SqlWebSessionStore). */
export interface SessionRecords {
  find(idHash: string): Promise<SessionRecord | null>;
  /** Stores a new session; in the same write, removes every session ended by `now` and the user's oldest beyond `keepPerUser`. */
  insert(record: SessionRecord, options: { now: string; keepPerUser: number }): Promise<void>;
  /** Records a request: moves lastSeenAt and expiresAt forward (never back). */
  touch(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  remove(idHash: string): Promise<void>;
}

export interface SessionLimits {
  /** A session ends this long after sign-in, however active (SESSION_MAX_AGE_MS). */
  maxAgeMs: number;
  /** ... or after this long without a request (SESSION_IDLE_MS). */
  idleMs: number;
  /** Sessions a user keeps at most; a sign-in beyond ends their oldest (a script with a valid token cannot fill the table). */
  maxPerUser?: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxAgeMs: 12 * 3600_000, idleMs: 2 * 3600_000 };

/** A request is recorded when the last recorded one is at least this old: at most one write a minute per session. */
export const LAST_SEEN_STEP_MS = 60_000;

export interface WebSession {
  user: User;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const csrfTokenOf = (sessionId: string) => createHmac('sha256', sessionId).update('reglament csrf token').digest('base64url');
const iso = (ms: number) => new Date(ms).toISOString();

export class WebSessions {
  constructor(
    private readonly records: SessionRecords,
    /** The user with this id now (the users file), or undefined. */
    private readonly userOf: (id: string) => User | undefined,
    private readonly clock: Clock,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** A new session for a user who has just proved their token; its id goes into the cookie, nowhere else. */
  async create(user: User): Promise<{ sessionId: string; session: WebSession }> {
    const now = this.clock.now().getTime();
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = csrfTokenOf(sessionId);
    await this.records.insert(
      { idHash: sha256(sessionId), csrfHash: sha256(csrfToken), userId: user.id, createdAt: iso(now), lastSeenAt: iso(now), expiresAt: iso(this.expiry(now, now)) },
      { now: iso(now), keepPerUser: this.limits.maxPerUser ?? 50 },
    );
    return { sessionId, session: { user: { ...user, groups: [...user.groups] }, csrfToken, createdAt: now, lastSeenAt: now } };
  }

  /** The live session of a cookie value; undefined when unknown, signed out, expired or its user is gone. */
  async find(sessionId: string): Promise<WebSession | undefined> {
    const idHash = sha256(sessionId);
    const record = await this.records.find(idHash);
    if (!record) return undefined;
    const now = this.clock.now().getTime();
    const createdAt = Date.parse(record.createdAt);
    const lastSeenAt = Date.parse(record.lastSeenAt);
    // The stored bound, and this server's own (a server configured shorter is not overruled by another).
    const ended = now >= Date.parse(record.expiresAt) || now >= this.expiry(createdAt, lastSeenAt);
    const user = ended ? undefined : this.userOf(record.userId);
    if (!user) {
      // Swept here rather than by a timer: an ended session is found at most once more.
      await this.records.remove(idHash);
      return undefined;
    }
    const csrfToken = csrfTokenOf(sessionId);
    if (!sameHex(sha256(csrfToken), record.csrfHash)) return undefined;
    const touch = now - lastSeenAt >= LAST_SEEN_STEP_MS;
    if (touch) await this.records.touch(idHash, iso(now), iso(this.expiry(createdAt, now)));
    return { user, csrfToken, createdAt, lastSeenAt: touch ? now : lastSeenAt };
  }

  /** Ends the session of a cookie value, on every server. */
  async revoke(sessionId: string): Promise<void> {
    await this.records.remove(sha256(sessionId));
  }

  /** How long the cookie may live: the absolute bound (the idle bound is the server's to enforce). */
  get cookieMaxAgeMs(): number {
    return this.limits.maxAgeMs;
  }

  private expiry(createdAt: number, lastSeenAt: number): number {
    return Math.min(createdAt + this.limits.maxAgeMs, lastSeenAt + this.limits.idleMs);
  }
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

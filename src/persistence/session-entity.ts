import { EntitySchema } from 'typeorm';

/**
 * A web app session (the cookie of a sign-in), shared by every server on the database. Only hashes
 * are kept: a copy of this table signs no one in and forges no CSRF header.
 */
export interface WebSessionRow {
  /** SHA-256 (hex) of the cookie's value. */
  idHash: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrfHash: string;
  userId: string;
  createdAt: string;
  /** The last request recorded (at most once a minute: no write per request). */
  lastSeenAt: string;
  /** When the session ends unless a request comes first: the earlier of the idle and the absolute bound. */
  expiresAt: string;
}

export const WebSessionEntity = new EntitySchema<WebSessionRow>({
  name: 'WebSession',
  tableName: 'web_sessions',
  columns: {
    idHash: { type: 'varchar', length: 64, primary: true },
    csrfHash: { type: 'varchar', length: 64 },
    userId: { type: 'varchar', length: 100 },
    createdAt: { type: 'varchar', length: 24 },
    lastSeenAt: { type: 'varchar', length: 24 },
    expiresAt: { type: 'varchar', length: 24 },
  },
  indices: [
    // The sweep of ended sessions, and a user's sessions oldest first (the per-user bound).
    { name: 'ix_web_session_expires', columns: ['expiresAt'] },
    { name: 'ix_web_session_user', columns: ['userId', 'createdAt'] },
  ],
});

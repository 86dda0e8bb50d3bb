/**
 * A write that lost a race with another writer: unique violation (PostgreSQL 23505, sqlite
 * SQLITE_CONSTRAINT) or a busy sqlite whose lock the other process won.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.code ?? e.driverError?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT' || code === 'SQLITE_BUSY' || /UNIQUE constraint failed|SQLITE_BUSY|duplicate key value/.test(e.message ?? '');
}

/**
 * The case number (business key) of an application: unique within its reglament (a unique index
 * on process key + business key of top-level instances enforces it), and generated when the start
 * gives none, as `<prefix>-<year>-<6-digit sequence>`: the prefix is the initials of the reglament's
 * key (cotton-warehouse-license -> CWL), the year is Almaty's, the sequence is the database's, per
 * reglament and year (gaps allowed: a start refused after taking a number leaves one).
 */

/** The zone of the year in a case number: the provider's. */
const ZONE = 'Asia/Almaty';

export function caseNumberPrefix(processKey: string): string {
  const initials = processKey
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase())
    .join('');
  return initials.slice(0, 8) || 'CASE';
}

export function caseYear(now: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: ZONE, year: 'numeric' }).format(now));
}

export function formatCaseNumber(processKey: string, year: number, sequence: number): string {
  return `${caseNumberPrefix(processKey)}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** A case number as given: trimmed; empty is none (generated). */
export function givenCaseNumber(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * Who an application is for, as the case list and the task list show it: projected onto the
 * instance row from its variables whenever a step writes them (start, completion, timer, retry).
 *
 * The one mapping from the start forms' field ids to the applicant: every reglament of processes/
 * declares the applicant's name as `applicantName` and the IIN/BIN as `applicantIinBin` on its start
 * event (a test reads the diagrams to keep it so); a diagram that names neither has no applicant.
 */
export const APPLICANT_VARIABLES = { name: 'applicantName', iinBin: 'applicantIinBin' } as const;

export interface ApplicantProjection {
  applicantName: string | null;
  applicantIinBin: string | null;
  /** The name folded for a case-insensitive search (sqlite's LOWER folds ASCII only, so it is folded here, Cyrillic included). */
  applicantSearch: string | null;
}

/** The text a name search compares: NFC, lower case (Kazakh and Russian letters too), spaces collapsed. */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}

export function applicantOf(variables: Record<string, unknown>): ApplicantProjection {
  const applicantName = text(variables[APPLICANT_VARIABLES.name], 255);
  return { applicantName, applicantIinBin: text(variables[APPLICANT_VARIABLES.iinBin], 64), applicantSearch: applicantName === null ? null : foldForSearch(applicantName) };
}

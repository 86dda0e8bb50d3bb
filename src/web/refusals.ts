/**
 * The server's refusals said in the interface language. The API answers { code, message, details } with
 * an English message meant for API clients; the page shows its own words for the code (and, for a
 * field, for the kind of problem) and keeps the server's message only as a title, for a support call.
 */
import { ApiError, type FormField } from './api';
import { t } from './i18n';
import { checkIinBin, type IinBinProblem } from '../iin-bin';

export interface Refusal {
  text: string;
  /** The server's own (English) message, shown as a title. */
  detail: string | null;
}

/** A refusal that is not about one field: said by its code, else by its kind (status). */
export function refusalText(error: unknown): Refusal {
  const tx = t();
  if (!(error instanceof ApiError)) return { text: tx.networkFailed, detail: error instanceof Error ? error.message : String(error) };
  const byCode: Record<string, string | undefined> = {
    ...tx.serverRefusals,
    NOT_STARTABLE: tx.sharedFlowNotStartable,
    NOT_A_STARTER: tx.notAStarter,
    CASE_NUMBER_TAKEN: tx.caseNumberTaken,
  };
  const text = byCode[error.code] ?? (error.status >= 500 ? tx.serverFailed : error.status === 409 ? tx.serverRefusals.CONFLICT : tx.serverRefusalOther);
  return { text, detail: error.message };
}

/**
 * A field's problem as the server words it (src/runtime/form-validation.ts) in the interface language:
 * the grammar of those messages is stable, the numbers in them are the field's own.
 */
export function fieldRefusal(field: FormField, message: string, value: unknown): string {
  const tx = t();
  const number = (re: RegExp) => Number(re.exec(message)?.[1] ?? 0);
  if (/is required$/.test(message)) return tx.required;
  if (/^must be a whole number/.test(message)) return tx.wholeNumber;
  if (/^must be true or false/.test(message)) return tx.fieldYesNo;
  if (/^must be a date/.test(message)) return tx.invalidDate;
  if (/^must be one of/.test(message)) return tx.invalidChoice;
  // A users-of-group choice naming no current user of the group (src/runtime/form-validation.ts validateChoices).
  if (/^must be a user of group/.test(message)) return tx.invalidChoice;
  if (/^must be (an IIN|a BIN)/.test(message)) {
    const check = checkIinBin(value, field.iinBin === 'iin' || field.iinBin === 'bin' ? field.iinBin : undefined);
    return tx.iinBinProblem(check.valid ? 'kind' : (check.problem as IinBinProblem));
  }
  if (/^does not match the required pattern/.test(message)) return field.pattern === '^\\d{12}$' ? tx.iinPattern : tx.invalidPattern;
  if (/^must have at least \d+/.test(message)) return tx.minLength(number(/at least (\d+)/));
  if (/^must have at most \d+/.test(message)) return tx.maxLength(number(/at most (\d+)/));
  if (/^must be at least -?\d/.test(message)) return tx.minValue(number(/at least (-?[\d.]+)/));
  if (/^must be at most -?\d/.test(message)) return tx.maxValue(number(/at most (-?[\d.]+)/));
  return tx.fieldRefused;
}

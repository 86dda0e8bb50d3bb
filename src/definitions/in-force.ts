/**
 * Which deployed version of a process applies to an application: the law in force on its filing date.
 *
 * A version may carry the date from which it is in force (process extension property `inForceFrom`,
 * "YYYY-MM-DD", set in Camunda Modeler's properties panel of the pool's process). A version without
 * one is in force from its deployment. A new application is started on the highest version whose date
 * has come by its filing date (the start's civil date in the calendar's zone, Almaty); a version
 * dated in the future is deployed but not used until then; an earlier application keeps its version.
 *
 * "Highest version whose date has come" rather than "latest date": a correction deployed with a date
 * in the past (or none) replaces what was in force at once. The price: an undated version deployed
 * after a future-dated one shadows it even after its date, so an analyst who fixes the current text
 * while an amendment waits dates the fix, or deploys the amendment again on top of it.
 */
import { DateTime } from 'luxon';
import { DEFAULT_ZONE } from '../calendar/calendar-config';
import { camundaPropertyValues, executableProcesses } from './bpmn-utils';
import type { ModdleElement } from './parse';

export const IN_FORCE_PROPERTY = 'inForceFrom';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The civil date ("YYYY-MM-DD") of an instant in `zone` (the calendar's; default Almaty, UTC+5). */
export function civilDate(at: Date, zone: string = DEFAULT_ZONE): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

/**
 * The `inForceFrom` of the file's executable process: the date, undefined when absent, or a problem
 * (a sentence naming the value) when it is not one valid ISO date.
 */
export function inForceFromOf(definitions: ModdleElement): { date?: string; problem?: string } {
  const process = executableProcesses(definitions)[0];
  if (!process) return {};
  const values = camundaPropertyValues(process, IN_FORCE_PROPERTY);
  if (values.length === 0) return {};
  if (values.length > 1) return { problem: `The process has ${values.length} "${IN_FORCE_PROPERTY}" properties; give one date` };
  const text = (values[0] ?? '').trim();
  if (!ISO_DATE.test(text) || !DateTime.fromISO(text).isValid) return { problem: `"${IN_FORCE_PROPERTY}" = "${values[0] ?? ''}" is not a date; write YYYY-MM-DD, e.g. 2027-01-01` };
  return { date: text };
}

export interface VersionDates {
  version: number;
  inForceFrom?: string | null;
  deployedAt: string;
}

/** The version in force on `date` ("YYYY-MM-DD"), or undefined when every version's date is still to come. */
export function versionInForce<V extends VersionDates>(versions: readonly V[], date: string): V | undefined {
  let chosen: V | undefined;
  for (const v of versions) {
    if (v.inForceFrom && v.inForceFrom > date) continue;
    if (!chosen || v.version > chosen.version) chosen = v;
  }
  return chosen;
}

/** When one version applies: from (null = since its deployment) up to and including `until` (null = open). */
export interface InForcePeriod {
  version: number;
  /** "YYYY-MM-DD": the first filing date it applies to; null when undated (in force since its deployment). */
  from: string | null;
  /** "YYYY-MM-DD": the last filing date it applies to; null when no later version is due to replace it. */
  until: string | null;
}

/**
 * Which version applies when, in date order: the timeline the rule of versionInForce gives. A version
 * that never applies (replaced before its date came) has no period. Dates before `today` are kept
 * only for the version in force today (the past belongs to the applications already filed).
 */
export function inForcePeriods(versions: readonly VersionDates[], today: string): InForcePeriod[] {
  const changes = [...new Set(versions.flatMap((v) => (v.inForceFrom && v.inForceFrom > today ? [v.inForceFrom] : [])))].sort();
  const periods: InForcePeriod[] = [];
  const current = versionInForce(versions, today);
  if (current) periods.push({ version: current.version, from: current.inForceFrom ?? null, until: null });
  for (const date of changes) {
    const next = versionInForce(versions, date)!;
    const last = periods[periods.length - 1];
    if (last?.version === next.version) continue;
    if (last) last.until = DateTime.fromISO(date).minus({ days: 1 }).toISODate()!;
    periods.push({ version: next.version, from: date, until: null });
  }
  return periods;
}

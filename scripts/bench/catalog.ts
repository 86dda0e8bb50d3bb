/**
 * The reglaments of processes/, discovered from the diagrams (nothing is listed by hand), and the
 * "positive path" values a clerk would enter: every open task is completed with values that satisfy
 * its form fields, booleans true (false when the name reads as a refusal, e.g. refusalGroundsFound), enums their first value unless a decision-like enum offers an
 * issuing / approving value, dates slightly in the past (a timer on such a date is already due).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readProcessFiles } from '../../src/definitions/process-files';
import { describeProcess, FormField, ProcessModel } from '../../src/definitions/model';
import { parseBpmn } from '../../src/definitions/parse';
import { buildSourceContext, SourceContext } from '../../src/engine/source-context';

export interface CatalogEntry {
  key: string;
  file: string;
  source: string;
  model: ProcessModel;
  sourceContext: SourceContext;
  /** Not the calledElement of any other diagram, and has a start form: a reglament the applicant starts. */
  topLevel: boolean;
  /** The channel and applicant kind whose run reached a non-refusal outcome (found by discoverPlans). */
  plan?: { channel?: string; kind: 'individual' | 'legal-entity'; outcome: string | null; positive: boolean };
}

export interface Catalog {
  dir: string;
  byKey: Map<string, CatalogEntry>;
  reglaments: CatalogEntry[];
  groups: string[];
}

export async function loadCatalog(dir: string): Promise<Catalog> {
  const byKey = new Map<string, CatalogEntry>();
  for (const resource of readProcessFiles(dir)) {
    const parsed = await parseBpmn(resource.source, resource.name);
    if (!parsed.definitions) throw new Error(`${resource.name} does not parse`);
    const model = describeProcess(parsed.definitions);
    byKey.set(model.key, { key: model.key, file: resource.name, source: resource.source, model, sourceContext: await buildSourceContext(resource.source), topLevel: true });
  }
  const called = new Set<string>();
  for (const entry of byKey.values()) for (const call of entry.model.callActivities.values()) if (call.calledElement) called.add(call.calledElement);
  for (const entry of byKey.values()) entry.topLevel = !called.has(entry.key) && entry.model.startFormFields.length > 0;
  const groups = new Set<string>();
  for (const entry of byKey.values()) {
    for (const task of entry.model.userTasks.values()) task.candidateGroups.forEach((g) => groups.add(g));
    for (const lane of entry.model.lanes) if (lane.group) groups.add(lane.group);
  }
  const reglaments = [...byKey.values()].filter((e) => e.topLevel).sort((a, b) => a.key.localeCompare(b.key));
  return { dir, byKey, reglaments, groups: [...groups].sort() };
}

/** The channel preferred when the start form offers several: the provider's own office, then E-licensing, then the portal. */
const CHANNEL_PREFERENCE = ['office', 'provider', 'portal'];
/** Values of a decision-like enum that lead to the service being rendered. */
const POSITIVE = /^(issued?|approved?|approve|positive|grant(ed)?|accept(ed)?|yes|agreed?|admitted|passed|licen[cs]e-issued|permit-issued)$/i;

/** A boolean field whose true is the negative answer (refusal grounds found, a violation, ...). */
const NEGATIVE_FLAG = /refus|reject|deny|denied|negative|violat|fail|missing|overdue|blocked|withdraw/i;

/** ISO date one minute ago: a timer event on it is due at once, in the host and in the bare engine alike. */
export function pastDate(now = new Date()): string {
  return new Date(now.getTime() - 60_000).toISOString();
}

export function chooseEnum(field: FormField): string | undefined {
  const values = (field.values ?? []).map((v) => v.id);
  if (values.length === 0) return field.defaultValue;
  if (field.id === 'channel') return CHANNEL_PREFERENCE.find((c) => values.includes(c)) ?? values[0];
  return values.find((v) => POSITIVE.test(v)) ?? values[0];
}

function stringFor(field: FormField): string {
  let value = `bench ${field.id}`;
  if (field.minlength !== undefined && value.length < field.minlength) value = value.padEnd(field.minlength, 'x');
  if (field.maxlength !== undefined && value.length > field.maxlength) value = value.slice(0, field.maxlength);
  return value;
}

/**
 * Values for the fields of a user task form: booleans true, enums as chooseEnum, whole numbers at
 * their minimum (at least 1), dates a minute ago, required strings a short text. Optional strings
 * (a refusal reason, a note) are left empty, as a clerk approving the application leaves them.
 */
export function positiveValues(fields: FormField[], known: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (known[field.id] !== undefined) {
      out[field.id] = known[field.id];
      continue;
    }
    switch (field.type) {
      case 'boolean':
        // "Grounds for refusal found", "rejected", ... are the negative answers when true.
        out[field.id] = !NEGATIVE_FLAG.test(field.id);
        break;
      case 'enum': {
        const v = chooseEnum(field);
        if (v !== undefined) out[field.id] = v;
        break;
      }
      case 'long':
        out[field.id] = Math.max(field.min ?? 1, 1);
        break;
      case 'date':
        out[field.id] = pastDate();
        break;
      default:
        if (field.required) out[field.id] = stringFor(field);
    }
  }
  return out;
}

/** The applicant kind a start form asks for (its first value), or an individual. */
export function applicantKindOf(entry: CatalogEntry): 'individual' | 'legal-entity' {
  if (entry.plan) return entry.plan.kind;
  const field = entry.model.startFormFields.find((f) => f.id === 'applicantKind');
  const first = field?.values?.[0]?.id ?? 'individual';
  return /legal|entity|company|organi/i.test(first) ? 'legal-entity' : 'individual';
}

export function channelOf(entry: CatalogEntry): string | undefined {
  if (entry.plan) return entry.plan.channel;
  const field = entry.model.startFormFields.find((f) => f.id === 'channel');
  return field ? chooseEnum(field) : undefined;
}

/** An end event id that reads as a refusal rather than the service rendered. */
export const NEGATIVE_OUTCOME = /refus|reject|denied|declin|unavailable|not-confirmed|fail|return|withdraw|cancel/i;

/**
 * The combinations to try for a positive run, best first: the start form's channels in order of
 * preference (office, provider, portal, then the others), each with the applicant kinds the form
 * offers (its first value first; individual then legal entity when the form does not ask).
 */
export function candidatePlans(entry: CatalogEntry): { channel?: string; kind: 'individual' | 'legal-entity' }[] {
  const channelField = entry.model.startFormFields.find((f) => f.id === 'channel');
  const values = (channelField?.values ?? []).map((v) => v.id);
  const channels: (string | undefined)[] = values.length ? [...CHANNEL_PREFERENCE.filter((c) => values.includes(c)), ...values.filter((v) => !CHANNEL_PREFERENCE.includes(v))] : [undefined];
  const kindField = entry.model.startFormFields.find((f) => f.id === 'applicantKind');
  const kindValues = (kindField?.values ?? []).map((v) => (/legal|entity|company|organi/i.test(v.id) ? 'legal-entity' : 'individual') as 'individual' | 'legal-entity');
  const kinds = [...new Set(kindValues.length ? kindValues : (['individual', 'legal-entity'] as const))];
  return channels.flatMap((channel) => kinds.map((kind) => ({ channel, kind })));
}

export function defaultProcessesDir(): string {
  const fromEnv = process.env.PROCESSES_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  // dist/scripts/bench -> repository root
  for (const candidate of [path.resolve(__dirname, '../../../processes'), path.resolve(process.cwd(), 'processes')]) if (fs.existsSync(candidate)) return candidate;
  return path.resolve('processes');
}

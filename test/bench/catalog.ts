/**
 * The reglaments of processes/, discovered from the diagrams (nothing is listed by hand), and the
 * channel and applicant kind of each one's positive path (the values a clerk enters on it are the
 * reglament driver's positiveValue, test/support/form-values.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readProcessFiles } from '../../src/definitions/process-files';
import { describeProcess, ProcessModel } from '../../src/definitions/model';
import { parseBpmn } from '../../src/definitions/parse';
import { CHANNEL_PREFERENCE, positiveEnum } from '../support/form-values';
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
  return field ? positiveEnum(field) : undefined;
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
  // dist/test/bench -> repository root
  for (const candidate of [path.resolve(__dirname, '../../../processes'), path.resolve(process.cwd(), 'processes')]) if (fs.existsSync(candidate)) return candidate;
  return path.resolve('processes');
}

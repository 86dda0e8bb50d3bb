/**
 * The legal act a reglament's diagram implements, as the process's Camunda extension properties
 * (`act.body`, `act.kind`, ...; processes/README.md "The act"). An analyst edits them in the modeler's
 * properties panel; the linter (reglament/act) refuses a malformed or incomplete set, the API serves the
 * parsed act, and the web app cites it. One reader here, so the rule, the model and the catalog table
 * (scripts/catalog-table.ts) agree on what a valid act is.
 */

/** The kinds of act the reglaments are approved by (Kazakh: бұйрық, қаулы, жарлық, заң). */
export const ACT_KINDS = ['order', 'resolution', 'decree', 'law'] as const;
export type ActKind = (typeof ACT_KINDS)[number];

export const ACT_STATUSES = ['in-force', 'repealed'] as const;
export type ActStatus = (typeof ACT_STATUSES)[number];

/** Another act named by kind, number and date: the one that repealed or that this one amends. */
export interface ActReference {
  kind: ActKind;
  number: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
}

export interface Act {
  /** Issuing body as the act names it (Kazakh). */
  body: string;
  /** The issuing body in Russian and English, for the interface; the Kazakh one when absent. */
  bodyRu?: string;
  bodyEn?: string;
  kind: ActKind;
  number: string;
  date: string;
  /** Number of the state registration with the justice bodies. */
  registration: string;
  registrationDate?: string;
  status: ActStatus;
  repealedBy?: ActReference;
  /** Where in the act the reglament stands: an annex number, `only` (the act's single, unnumbered annex) or `none` (in the act's own text). */
  annex: string;
  amends?: ActReference;
  /** The act's own title, as written (Kazakh). */
  title?: string;
  /** The file holding the act's text (one of the project's seed files). */
  textFile?: string;
}

/** Property names, in the order the modeler shows them and the docs list them. */
export const ACT_PROPERTIES = {
  body: 'act.body',
  bodyRu: 'act.body.ru',
  bodyEn: 'act.body.en',
  kind: 'act.kind',
  number: 'act.number',
  date: 'act.date',
  registration: 'act.registration',
  registrationDate: 'act.registrationDate',
  status: 'act.status',
  repealedBy: 'act.repealedBy',
  annex: 'act.annex',
  amends: 'act.amends',
  title: 'act.title',
  textFile: 'act.textFile',
} as const satisfies Record<keyof Act, string>;

export const REQUIRED_ACT_PROPERTIES: readonly (keyof Act)[] = ['body', 'kind', 'number', 'date', 'registration', 'status', 'annex'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const REFERENCE = /^(\S+) No (\S+) of (\S+)$/;
const ANNEX = /^([1-9]\d{0,2}|only|none)$/;

function validDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

function isKind(text: string): text is ActKind {
  return (ACT_KINDS as readonly string[]).includes(text);
}

/** `order No 527 of 2020-10-13` -> reference, or the reason it is not one. */
export function parseActReference(text: string): ActReference | string {
  const match = REFERENCE.exec(text.trim());
  if (!match) return `write "<kind> No <number> of <YYYY-MM-DD>", e.g. "resolution No 102-234 of 2016-02-09"`;
  const [, kind, number, date] = match;
  if (!isKind(kind)) return `kind "${kind}" is not one of ${ACT_KINDS.join(', ')}`;
  if (!validDate(date)) return `"${date}" is not a date YYYY-MM-DD`;
  return { kind, number, date };
}

export interface ActReading {
  /** The act when every required property is present and valid. */
  act?: Act;
  /** Whether any `act.*` property is set at all. */
  present: boolean;
  /** What is missing or malformed, each naming the property. */
  problems: string[];
}

/**
 * Reads the act from a process's extension properties (name -> value, first value of a name wins).
 * Unknown `act.*` names are problems too: a typo would otherwise leave a value silently unused.
 */
export function readAct(properties: ReadonlyMap<string, string>): ActReading {
  const known = new Set<string>(Object.values(ACT_PROPERTIES));
  const problems: string[] = [];
  const names = [...properties.keys()].filter((name) => name.startsWith('act.'));
  for (const name of names) if (!known.has(name)) problems.push(`unknown property "${name}" (known: ${[...known].join(', ')})`);
  if (names.length === 0) return { present: false, problems };

  const value = (field: keyof Act): string | undefined => {
    const raw = properties.get(ACT_PROPERTIES[field])?.trim();
    return raw === '' ? undefined : raw;
  };
  for (const field of REQUIRED_ACT_PROPERTIES) if (value(field) === undefined) problems.push(`"${ACT_PROPERTIES[field]}" is missing`);

  const kind = value('kind');
  if (kind !== undefined && !isKind(kind)) problems.push(`"${ACT_PROPERTIES.kind}" is "${kind}", not one of ${ACT_KINDS.join(', ')}`);
  for (const field of ['date', 'registrationDate'] as const) {
    const text = value(field);
    if (text !== undefined && !validDate(text)) problems.push(`"${ACT_PROPERTIES[field]}" is "${text}", not a date YYYY-MM-DD`);
  }
  const status = value('status');
  if (status !== undefined && !(ACT_STATUSES as readonly string[]).includes(status)) problems.push(`"${ACT_PROPERTIES.status}" is "${status}", not one of ${ACT_STATUSES.join(', ')}`);
  const annex = value('annex');
  if (annex !== undefined && !ANNEX.test(annex)) problems.push(`"${ACT_PROPERTIES.annex}" is "${annex}": write the annex number, "only" (the act's single annex) or "none" (the act's own text)`);

  const references: Partial<Record<'repealedBy' | 'amends', ActReference>> = {};
  for (const field of ['repealedBy', 'amends'] as const) {
    const text = value(field);
    if (text === undefined) continue;
    const parsed = parseActReference(text);
    if (typeof parsed === 'string') problems.push(`"${ACT_PROPERTIES[field]}" is "${text}": ${parsed}`);
    else references[field] = parsed;
  }
  if (status === 'repealed' && value('repealedBy') === undefined) problems.push(`"${ACT_PROPERTIES.status}" is "repealed" but "${ACT_PROPERTIES.repealedBy}" does not name the repealing act`);
  if (status === 'in-force' && value('repealedBy') !== undefined) problems.push(`"${ACT_PROPERTIES.status}" is "in-force" yet "${ACT_PROPERTIES.repealedBy}" is set`);

  if (problems.length > 0) return { present: true, problems };
  const act: Act = {
    body: value('body')!,
    kind: kind as ActKind,
    number: value('number')!,
    date: value('date')!,
    registration: value('registration')!,
    status: status as ActStatus,
    annex: annex!,
  };
  for (const field of ['bodyRu', 'bodyEn', 'registrationDate', 'title', 'textFile'] as const) {
    const text = value(field);
    if (text !== undefined) act[field] = text;
  }
  if (references.repealedBy) act.repealedBy = references.repealedBy;
  if (references.amends) act.amends = references.amends;
  return { act, present: true, problems };
}

/** The element's `camunda:property` entries as name -> value (the first value of a repeated name). */
export function propertyMap(properties: readonly { name?: string; value?: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { name, value } of properties) if (typeof name === 'string' && typeof value === 'string' && !map.has(name)) map.set(name, value);
  return map;
}

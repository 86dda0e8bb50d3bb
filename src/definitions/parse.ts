/**
 * Reads a BPMN 2.0 XML document into its moddle tree (bpmn-moddle with the Camunda extension) and turns
 * every XML syntax error and moddle import warning into a {@link DefinitionProblem}. Never throws for
 * bad input: an unreadable document yields problems and no definitions.
 */
import { moddle, ModdleContext } from './moddle';

/** An element of the moddle tree (bpmn:*, camunda:*, bpmndi:*). Moddle has no typings, so it is loose. */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  id?: string;
  name?: string;
  get(name: string): any;
  [property: string]: any;
}

export interface DefinitionProblem {
  /** The file (resource name) the problem was found in. */
  file?: string;
  /** The BPMN element id (or process key) the problem is about. */
  elementId?: string;
  /** `parse` for import problems, the bpmnlint rule name otherwise (`reglament/...` for ours). */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** 1-based line in the XML source, when known. */
  line?: number;
  /** 1-based column in the XML source, when known. */
  column?: number;
}

export interface ParsedDefinition {
  /** The `bpmn:Definitions` root, or undefined when the document could not be read at all. */
  definitions?: ModdleElement;
  /** Import problems (rule `parse`); empty for a clean document. */
  problems: DefinitionProblem[];
  /** The file name given to {@link parseBpmn}. */
  file?: string;
  /** The XML source; used to give line numbers to problems found later (lint). */
  source?: string;
  /** The whole result of the parse (root, references, elements by id): the engine serialises it instead of parsing again. */
  moddleContext?: ModdleContext;
}

interface ModdleWarning {
  message?: string;
  element?: { id?: string; $type?: string };
  property?: string;
  value?: unknown;
  error?: Error;
}

/**
 * At most this many XML elements in one document (the largest reglament has under 1000). Counted on
 * the text before moddle reads it: reading and linting cost time on the event loop in proportion to
 * the elements, and a 4.5 MB diagram (under the API's body limit) holds about 90,000.
 */
export const MAX_XML_ELEMENTS = 20_000;

/** Start tags in the text (`<` followed by a name start): an upper bound of the document's elements. */
export function countXmlElements(source: string): number {
  let count = 0;
  for (let i = source.indexOf('<'); i !== -1; i = source.indexOf('<', i + 1)) {
    const next = source.charCodeAt(i + 1);
    if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) count++;
  }
  return count;
}

const ID_ATTRIBUTE = /\sid\s*=\s*(["'])([^"'<>]*)\1/g;

/** Line of the first tag carrying each id, built in one pass over the source. */
function buildLineIndex(source: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let counted = 0;
  for (let start = source.indexOf('<'); start !== -1; start = source.indexOf('<', start + 1)) {
    const end = source.indexOf('>', start);
    if (end === -1) break;
    const nextOpen = source.indexOf('<', start + 1);
    // A tag is `<...>` with no `<` inside (the old per-id search required the same).
    if (nextOpen !== -1 && nextOpen < end) continue;
    const tag = source.slice(start, end);
    for (const match of tag.matchAll(ID_ATTRIBUTE)) {
      if (lines.has(match[2])) continue;
      for (; counted < start; counted++) if (source.charCodeAt(counted) === 10) line++;
      lines.set(match[2], line);
    }
  }
  return lines;
}

/** The index of the last source asked about: lint asks for many ids of one document in a row. */
let lastIndex: { source: string; lines: Map<string, number> } | undefined;

/**
 * 1-based line of the element carrying `id="<id>"` in the source, if it can be found. One pass over
 * the source per document, not per id: a diagram with thousands of problems stays linear.
 */
export function lineOfId(source: string | undefined, id: string | undefined): number | undefined {
  if (!source || !id) return undefined;
  if (lastIndex?.source !== source) lastIndex = { source, lines: buildLineIndex(source) };
  return lastIndex.lines.get(id);
}

/** Offset of a 1-based line/column (moddle-xml counts lines from 0 and columns from 0). */
function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return offset + column;
}

/** The `id` attribute of the tag that starts at or before `offset` (for "unparsable content" warnings). */
function idOfTagAt(source: string, offset: number): string | undefined {
  const start = source.lastIndexOf('<', offset);
  if (start === -1) return undefined;
  const end = source.indexOf('>', start);
  const tag = source.slice(start, end === -1 ? undefined : end + 1);
  const match = /\sid\s*=\s*(["'])([^"']*)\1/.exec(tag);
  return match ? match[2] : undefined;
}

const POSITION = /\n\s*line: (\d+)\n\s*column: (\d+)/;

function describeWarning(warning: ModdleWarning, source: string, file: string | undefined): DefinitionProblem {
  const raw = String(warning.message ?? warning.error?.message ?? 'import problem');
  const problem: DefinitionProblem = { rule: 'parse', severity: 'error', message: raw };
  if (file !== undefined) problem.file = file;
  const position = POSITION.exec(raw);
  if (position) {
    // moddle-xml (saxen) counts lines and columns from 0.
    const line = Number(position[1]);
    const column = Number(position[2]);
    problem.line = line + 1;
    problem.column = column + 1;
    const content = /^unparsable content (.*?) ?detected/.exec(raw)?.[1];
    const nested = /nested error: (.*)$/s.exec(raw)?.[1]?.trim();
    const what = content ?? '';
    if (nested && /^unknown type/.test(nested)) problem.message = `Unknown element ${what} (${nested})`;
    else if (nested && /^unexpected element/.test(nested)) problem.message = `Unexpected element ${what}`;
    else problem.message = `XML syntax error${what ? ` at ${what}` : ''}${nested ? `: ${nested}` : ''}`;
    const elementId = idOfTagAt(source, offsetOf(source, line, column));
    if (elementId) problem.elementId = elementId;
    return problem;
  }
  const elementId = warning.element?.id;
  if (typeof elementId === 'string' && elementId) {
    problem.elementId = elementId;
    problem.line = lineOfId(source, elementId);
  }
  if (/^unknown attribute/.test(raw)) {
    problem.message = `Unknown attribute ${raw.slice('unknown attribute '.length)}${warning.element?.$type ? ` on ${warning.element.$type}` : ''}`;
  } else if (/^unresolved reference/.test(raw)) {
    problem.message = `Unresolved reference ${raw.slice('unresolved reference '.length)}${warning.property ? ` in ${warning.property}` : ''}`;
  } else if (/^unsupported document encoding/.test(raw)) {
    problem.severity = 'warning';
  }
  return problem;
}

function describeFatal(error: unknown, source: string, file: string | undefined): DefinitionProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const problem = describeWarning({ message: raw }, source, file);
  if (!POSITION.test(raw)) {
    if (/^failed to parse document as/.test(raw)) problem.message = `Not a BPMN 2.0 document: ${raw}`;
    else if (/^unexpected element/.test(raw)) problem.message = `Not a BPMN 2.0 document (the root must be bpmn:definitions): ${raw}`;
  }
  problem.severity = 'error';
  return problem;
}

/**
 * Parses BPMN XML. Moddle runs in lax mode, so unknown elements and attributes and unresolved
 * references are reported as problems (all errors: a diagram the engine would read differently from
 * the modeler must not deploy) while the rest of the document is still read.
 */
export async function parseBpmn(xml: string, file?: string): Promise<ParsedDefinition> {
  const source = typeof xml === 'string' ? xml : '';
  if (typeof xml !== 'string' || xml.trim() === '') {
    const problem: DefinitionProblem = { rule: 'parse', severity: 'error', message: 'The document is empty' };
    if (file !== undefined) problem.file = file;
    return { definitions: undefined, problems: [problem], file, source };
  }
  const elements = countXmlElements(source);
  if (elements > MAX_XML_ELEMENTS) {
    const message = `The diagram has ${elements} XML elements; at most ${MAX_XML_ELEMENTS} are accepted (the largest reglament has under 1000): split it, or move shared steps into a called process`;
    const problem: DefinitionProblem = { rule: 'reglament/diagram-size', severity: 'error', message };
    if (file !== undefined) problem.file = file;
    return { definitions: undefined, problems: [problem], file, source };
  }
  try {
    const result = await moddle.fromXML(source, 'bpmn:Definitions');
    const warnings: ModdleWarning[] = result.warnings ?? [];
    return { definitions: result.rootElement as ModdleElement, problems: warnings.map((w) => describeWarning(w, source, file)), file, source, moddleContext: result };
  } catch (error) {
    const warnings: ModdleWarning[] = (error as { warnings?: ModdleWarning[] })?.warnings ?? [];
    const problems = warnings.map((w) => describeWarning(w, source, file));
    problems.push(describeFatal(error, source, file));
    return { definitions: undefined, problems, file, source };
  }
}

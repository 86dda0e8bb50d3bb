/**
 * Linting a set of BPMN files together, as one deployment would see them (used by scripts/lint-bpmn.ts):
 * the process keys every file defines are known to every other file's call activities, and a key
 * defined twice is an error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { executableProcesses } from '../bpmn-utils';
import { DefinitionProblem, parseBpmn, ParsedDefinition } from '../parse';
import { lintDefinition } from './index';

export interface BpmnResource {
  /** Name problems are reported against (the path as given). */
  name: string;
  source: string;
}

export interface LintFilesOptions {
  handlers: Iterable<string>;
  /** Variable -> producers (HandlerRegistry.producers()): names no form may declare. */
  producedVariables?: ReadonlyMap<string, readonly string[]>;
  /** Process keys known besides those the files define (e.g. already deployed ones). */
  processKeys?: Iterable<string>;
  /** Every startable process must name its act (reglament/act `requireAct`). */
  requireAct?: boolean;
}

export interface LintFilesResult {
  problems: DefinitionProblem[];
  /** Keys of the executable processes found, in file order. */
  processKeys: string[];
  errors: number;
  warnings: number;
}

/** Every `*.bpmn` file under `dir` (recursively), sorted; paths joined onto `dir`. */
export function findBpmnFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.bpmn')) found.push(path);
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return found;
}

export function readResources(paths: string[], cwd: string = process.cwd()): BpmnResource[] {
  return paths.map((path) => ({ name: relative(cwd, path) || path, source: readFileSync(path, 'utf8') }));
}

export async function lintFiles(resources: BpmnResource[], options: LintFilesOptions): Promise<LintFilesResult> {
  const parsed: { resource: BpmnResource; parsed: ParsedDefinition }[] = [];
  for (const resource of resources) parsed.push({ resource, parsed: await parseBpmn(resource.source, resource.name) });

  const keys = new Set(options.processKeys ?? []);
  const definedIn = new Map<string, string>();
  const problems: DefinitionProblem[] = [];
  const processKeys: string[] = [];
  for (const { resource, parsed: p } of parsed) {
    if (!p.definitions) continue;
    for (const process of executableProcesses(p.definitions)) {
      const earlier = definedIn.get(process.id);
      if (earlier !== undefined) {
        problems.push({ file: resource.name, elementId: process.id, rule: 'duplicate-process-key', severity: 'error', message: `Process key "${process.id}" is also defined in ${earlier}` });
      } else {
        definedIn.set(process.id, resource.name);
        processKeys.push(process.id);
      }
      keys.add(process.id);
    }
  }
  const handlers = [...options.handlers];
  for (const { resource, parsed: p } of parsed) {
    problems.push(...(await lintDefinition(p, { file: resource.name, handlers, processKeys: keys, producedVariables: options.producedVariables, requireAct: options.requireAct })));
  }
  problems.sort((a, b) => fileOrder(resources, a.file) - fileOrder(resources, b.file) || (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return {
    problems,
    processKeys,
    errors: problems.filter((problem) => problem.severity === 'error').length,
    warnings: problems.filter((problem) => problem.severity === 'warning').length,
  };
}

function fileOrder(resources: BpmnResource[], file: string | undefined): number {
  const index = resources.findIndex((resource) => resource.name === file);
  return index === -1 ? resources.length : index;
}

/**
 * `file: elementId  rule  message` lines grouped by file (a file without problems gets an `ok` line),
 * then a summary line.
 */
export function formatLintReport(resources: BpmnResource[], result: LintFilesResult): string {
  const lines: string[] = [];
  for (const resource of resources) {
    const own = result.problems.filter((problem) => problem.file === resource.name);
    if (own.length === 0) {
      lines.push(`${resource.name}: ok`);
      continue;
    }
    for (const problem of own) {
      const where = problem.line !== undefined ? `:${problem.line}` : '';
      const severity = problem.severity === 'warning' ? ' (warning)' : '';
      lines.push(`${resource.name}${where}: ${problem.elementId ?? '-'}  ${problem.rule}  ${problem.message}${severity}`);
    }
    lines.push('');
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(resources.length, 'file')} checked: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}`);
  return lines.join('\n');
}

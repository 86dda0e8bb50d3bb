/**
 * npm run coverage:bpmn [-- --check] [-- --reset]
 *
 * BPMN coverage: which flow nodes and sequence flows of each diagram in processes/ the tests took.
 * The test hosts' step observer (test/support/bpmn-coverage.ts) appends what every step passed
 * through to REGLAMENT_BPMN_COVERAGE_DIR (default coverage/bpmn, set by `npm test`); this script
 * compares that with the diagrams. Servers spawned as child processes record nothing.
 *   --reset   empty the folder (before a test run)
 *   --check   exit 1 unless every element of every diagram was taken (the test run's gate)
 * Writes coverage/bpmn-coverage.json next to the printed table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeProcess } from '../src/definitions/model';
import { parseBpmn } from '../src/definitions/parse';
import { findBpmnFiles } from '../src/definitions/lint/lint-files';
import { runMain } from './run-main';

interface FileCoverage {
  file: string;
  key: string;
  total: number;
  covered: number;
  missing: string[];
}

const root = process.cwd();
const dataDir = path.resolve(process.env.REGLAMENT_BPMN_COVERAGE_DIR ?? path.join(root, 'coverage', 'bpmn'));

function takenByKey(): Map<string, Set<string>> {
  const taken = new Map<string, Set<string>>();
  if (!fs.existsSync(dataDir)) return taken;
  for (const file of fs.readdirSync(dataDir).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(dataDir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as { key: string; ids: string[] };
      const set = taken.get(entry.key) ?? new Set<string>();
      entry.ids.forEach((id) => set.add(id));
      taken.set(entry.key, set);
    }
  }
  return taken;
}

async function measure(): Promise<FileCoverage[]> {
  const taken = takenByKey();
  const result: FileCoverage[] = [];
  for (const file of findBpmnFiles(path.join(root, 'processes'))) {
    const parsed = await parseBpmn(fs.readFileSync(file, 'utf8'));
    if (!parsed.definitions) throw new Error(`${path.relative(root, file)} does not parse`);
    const model = describeProcess(parsed.definitions);
    // Lanes and the process itself are not elements a token passes; every flow node and flow is.
    const ids = [...model.elements.values()].map((e) => e.id);
    const seen = taken.get(model.key) ?? new Set<string>();
    const missing = ids.filter((id) => !seen.has(id)).sort();
    result.push({ file: path.relative(root, file), key: model.key, total: ids.length, covered: ids.length - missing.length, missing });
  }
  return result;
}

function pct(covered: number, total: number): string {
  return total === 0 ? '100.0' : ((100 * covered) / total).toFixed(1);
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { reset: { type: 'boolean' }, check: { type: 'boolean' } } });
  if (values.reset) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    return 0;
  }
  const files = await measure();
  const total = files.reduce((n, f) => n + f.total, 0);
  const covered = files.reduce((n, f) => n + f.covered, 0);
  const width = Math.max(...files.map((f) => f.key.length), 10);
  console.log(`BPMN coverage (flow nodes and sequence flows taken by the tests; data: ${path.relative(root, dataDir)})`);
  for (const f of files) {
    console.log(`  ${f.key.padEnd(width)}  ${String(f.covered).padStart(4)}/${String(f.total).padEnd(4)} ${pct(f.covered, f.total).padStart(5)}%`);
    if (f.missing.length > 0) console.log(`  ${''.padEnd(width)}  not taken: ${f.missing.join(', ')}`);
  }
  console.log(`  ${'all'.padEnd(width)}  ${String(covered).padStart(4)}/${String(total).padEnd(4)} ${pct(covered, total).padStart(5)}%`);
  fs.mkdirSync(path.join(root, 'coverage'), { recursive: true });
  fs.writeFileSync(path.join(root, 'coverage', 'bpmn-coverage.json'), JSON.stringify({ total, covered, files }, null, 2));
  if (values.check && covered < total) {
    console.error(`BPMN coverage is ${pct(covered, total)}%; every flow node and sequence flow of processes/ must be taken by a test.`);
    return 1;
  }
  return 0;
}

runMain(main);

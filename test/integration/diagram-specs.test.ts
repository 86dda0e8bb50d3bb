/**
 * The layout specs are the source of the diagrams: every processes/<key>.bpmn is exactly what
 * scripts/bpmn-layout renders from scripts/bpmn-layout/specs/<key>.json, and every diagram has a spec.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderBpmn } from '../../scripts/bpmn-layout/render';
import type { DiagramSpec } from '../../scripts/bpmn-layout/types';

const ROOT = path.resolve(__dirname, '../..');
const SPECS = path.join(ROOT, 'scripts/bpmn-layout/specs');
const PROCESSES = path.join(ROOT, 'processes');
const keys = (dir: string, ext: string): string[] =>
  fs.readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();

/** The first line where two texts differ, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((line, k) => line !== y[k]);
  const at = i === -1 ? x.length : i;
  return `line ${at + 1}:\n  committed: ${(x[at] ?? '<end>').slice(0, 200)}\n  rendered:  ${(y[at] ?? '<end>').slice(0, 200)}`;
}

test('every diagram has a spec and every spec a diagram', () => {
  expect(keys(PROCESSES, '.bpmn')).toEqual(keys(SPECS, '.json'));
});

test.each(keys(SPECS, '.json'))('processes/%s.bpmn equals its rendered spec', (key) => {
  const rendered = renderBpmn(JSON.parse(fs.readFileSync(path.join(SPECS, `${key}.json`), 'utf8')) as DiagramSpec);
  const committed = fs.readFileSync(path.join(PROCESSES, `${key}.bpmn`), 'utf8');
  if (committed !== rendered) {
    throw new Error(
      `processes/${key}.bpmn differs from scripts/bpmn-layout/specs/${key}.json rendered (${firstDifference(committed, rendered)}).\n` +
        `Edit the spec, never the .bpmn, and render it: npm run build && node dist/scripts/bpmn-layout/cli.js render scripts/bpmn-layout/specs/${key}.json processes/${key}.bpmn`,
    );
  }
});

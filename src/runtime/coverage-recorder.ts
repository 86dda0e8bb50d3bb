import fs from 'node:fs';
import path from 'node:path';

/**
 * Records which flow nodes and sequence flows each step passed through, for the BPMN coverage
 * report (scripts/coverage-bpmn.ts). Off unless REGLAMENT_BPMN_COVERAGE_DIR names a folder; each
 * process appends to its own file, so parallel test workers and spawned servers never interleave.
 */
const dir = process.env.REGLAMENT_BPMN_COVERAGE_DIR ? path.resolve(process.env.REGLAMENT_BPMN_COVERAGE_DIR) : undefined;

export function recordCoverage(processDefinitionKey: string, elementIds: string[]): void {
  if (!dir || elementIds.length === 0) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify({ key: processDefinitionKey, ids: elementIds })}\n`);
}

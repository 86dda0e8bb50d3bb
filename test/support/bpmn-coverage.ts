import fs from 'node:fs';
import path from 'node:path';
import { StepObserver } from '../../src/engine/step-runner';

/**
 * Records which flow nodes and sequence flows each step passed through, for the BPMN coverage
 * report (scripts/coverage-bpmn.ts). Only when REGLAMENT_BPMN_COVERAGE_DIR names a folder (npm test
 * sets it); each process appends to its own file, so parallel test workers never interleave. Test
 * hosts register it as the host's step observer; production code writes no coverage.
 */
const dir = process.env.REGLAMENT_BPMN_COVERAGE_DIR ? path.resolve(process.env.REGLAMENT_BPMN_COVERAGE_DIR) : undefined;

export const recordBpmnCoverage: StepObserver | undefined = dir
  ? (processDefinitionKey, events) => {
      const ids = events.filter((e) => e.type === 'activity-end' || e.type === 'flow-taken').map((e) => e.activityId);
      if (ids.length === 0) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify({ key: processDefinitionKey, ids })}\n`);
    }
  : undefined;

/**
 * reglament/executable-process: a file holds exactly one executable process (`isExecutable="true"`),
 * and its id — the process key the API uses — is kebab-case.
 */
import { is, list } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function executableProcess(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): boolean | void {
    if (!is(node, 'bpmn:Definitions')) return;
    const processes = list(node.rootElements).filter((element) => is(element, 'bpmn:Process') && element.isExecutable === true);
    if (processes.length === 0) {
      reporter.report(node.id, 'The file has no executable process; exactly one process must have isExecutable="true"');
    } else if (processes.length > 1) {
      const ids = processes.map((process) => process.id).join(', ');
      for (const process of processes.slice(1)) {
        reporter.report(process.id, `The file has ${processes.length} executable processes (${ids}); exactly one process must have isExecutable="true"`);
      }
    }
    for (const process of processes) {
      const key = typeof process.id === 'string' ? process.id : '';
      if (!KEBAB_CASE.test(key)) {
        reporter.report(process.id, `Process key "${key}" is not kebab-case (lowercase letters and digits joined by single hyphens, e.g. "cotton-warehouse-license")`);
      }
    }
    return false;
  }
  return { check };
}

export = executableProcess;

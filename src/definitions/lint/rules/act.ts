/**
 * reglament/act: the act a reglament implements is named on its process as extension properties
 * (src/definitions/act.ts, processes/README.md "The act"): when any `act.*` property is set, the
 * required ones are all there and each is well-formed. With `{ requireAct: true }` (npm run lint:bpmn
 * over processes/) a startable process must carry the act at all; a flow only call activities start
 * (isStartableInTasklist="false") is described by several acts and need not.
 */
import { ACT_PROPERTIES, propertyMap, readAct, REQUIRED_ACT_PROPERTIES } from '../../act';
import { camundaProperties, is, startersOf } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

function act(config?: { requireAct?: boolean }): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): boolean | void {
    if (!is(node, 'bpmn:Process')) return;
    if (node.isExecutable !== true) return false;
    const key = String(node.id ?? '');
    const reading = readAct(propertyMap(camundaProperties(node)));
    if (!reading.present && config?.requireAct === true && startersOf(node).startableInTasklist) {
      const names = REQUIRED_ACT_PROPERTIES.map((field) => ACT_PROPERTIES[field]).join(', ');
      reporter.report(node.id, `Process "${key}" does not name the act it implements: set the extension properties ${names} (and act.repealedBy when repealed) on the process`);
    }
    for (const problem of reading.problems) reporter.report(node.id, `Act of process "${key}": ${problem}`);
    return false;
  }
  return { check };
}

export = act;

/**
 * reglament/startable: every executable process says who may start it, so that a flow meant to be
 * called is never started by a user and a reglament only by the units that register applications.
 * Either `camunda:isStartableInTasklist="false"` (started only by call activities) or a non-empty
 * `camunda:candidateStarterGroups` / `camunda:candidateStarterUsers`; not both. The server enforces
 * what the diagram states (src/identity/access.ts).
 */
import { is, startersOf } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

function startable(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): boolean | void {
    if (!is(node, 'bpmn:Process')) return;
    if (node.isExecutable !== true) return false;
    const key = String(node.id ?? '');
    const starters = startersOf(node);
    const named = [...starters.groups, ...starters.users];
    if (!starters.startableInTasklist) {
      if (named.length > 0) {
        reporter.report(
          node.id,
          `Process "${key}" is not startable (camunda:isStartableInTasklist="false") yet names candidate starters (${named.join(', ')}); a flow started only by call activities has none: clear "Candidate starter groups" and "Candidate starter users"`,
        );
      }
    } else if (named.length === 0) {
      reporter.report(
        node.id,
        `Process "${key}" does not say who may start it: in the modeler's properties panel name the groups under "Candidate starter groups" (camunda:candidateStarterGroups) or the users under "Candidate starter users" (camunda:candidateStarterUsers), or, for a flow started only by call activities, untick "Startable" (camunda:isStartableInTasklist="false")`,
      );
    }
    // The process's flow elements say nothing about who starts it.
    return false;
  }
  return { check };
}

export = startable;

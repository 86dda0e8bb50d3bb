/**
 * reglament/user-task-candidate-group: every user task names its candidate groups
 * (`camunda:candidateGroups`), and a user task in a lane that declares its group (lane extension
 * property `group`) has exactly that group.
 */
import { camundaAttr, is, laneGroup, laneOf, splitList } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

function userTaskCandidateGroup(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:UserTask')) return;
    const groups = splitList(camundaAttr(node, 'candidateGroups'));
    if (groups.length === 0) {
      reporter.report(node.id, 'User task has no candidate group (camunda:candidateGroups)');
      return;
    }
    const lane = laneOf(node);
    if (!lane) return;
    const group = laneGroup(lane);
    if (group === undefined) return;
    if (groups.length !== 1 || groups[0] !== group) {
      const laneLabel = lane.name ? `"${lane.name}" (${lane.id})` : `${lane.id}`;
      reporter.report(node.id, `Candidate groups "${groups.join(', ')}" must be the group "${group}" of lane ${laneLabel}`);
    }
  }
  return { check };
}

export = userTaskCandidateGroup;

/**
 * reglament/time-limit: every user task has exactly one `timeLimit` extension property, and its value
 * follows the time-limit grammar (src/calendar/time-limit.ts, processes/README.md "Time limits").
 */
import { isUnstatedTimeLimit, parseTimeLimit } from '../../../calendar/time-limit';
import { camundaPropertyValues, is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

function timeLimit(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (is(node, 'bpmn:Process')) {
      for (const value of camundaPropertyValues(node, 'serviceTimeLimit')) {
        const text = value ?? '';
        if (isUnstatedTimeLimit(text)) continue;
        try {
          parseTimeLimit(text);
        } catch (error) {
          reporter.report(node.id, `Service time limit "${text}" is invalid: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return;
    }
    if (!is(node, 'bpmn:UserTask')) return;
    const values = camundaPropertyValues(node, 'timeLimit');
    if (values.length === 0) {
      reporter.report(node.id, 'User task has no time limit (extension property "timeLimit")');
      return;
    }
    if (values.length > 1) {
      reporter.report(node.id, `User task has ${values.length} "timeLimit" properties; keep exactly one`);
    }
    for (const value of values) {
      const text = value ?? '';
      if (isUnstatedTimeLimit(text)) continue;
      try {
        parseTimeLimit(text);
      } catch (error) {
        reporter.report(node.id, `Time limit "${text}" is invalid: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { check };
}

export = timeLimit;

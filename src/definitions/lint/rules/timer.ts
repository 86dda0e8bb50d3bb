/**
 * reglament/timer: every timer event has exactly one value, and a literal value is one the host
 * accepts (src/calendar/timer-values.ts): a duration of at least one second, a bounded cycle
 * `R<n>/<duration>` (n from 1 to 100), or an ISO 8601 date. A `${...}` value must be one valid
 * expression; what it resolves to is checked when the timer starts (src/engine/step-runner.ts).
 * Reported on the event, the element the modeler shows.
 */
import { timerValueProblem, TimerType } from '../../../calendar/timer-values';
import { validateExpression } from '../../../expressions';
import { is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

const TYPES: TimerType[] = ['timeDuration', 'timeDate', 'timeCycle'];
const LABEL: Record<TimerType, string> = { timeDuration: 'Timer duration', timeDate: 'Timer date', timeCycle: 'Timer cycle' };

function timer(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:TimerEventDefinition')) return;
    const owner = node.$parent?.id ?? node.id;
    const present = TYPES.filter((type) => node[type] !== undefined && node[type] !== null);
    if (present.length === 0) {
      reporter.report(owner, 'Timer has no value: set a duration (timeDuration), a date (timeDate) or a bounded cycle (timeCycle)');
      return;
    }
    if (present.length > 1) {
      reporter.report(owner, `Timer has ${present.length} values (${present.join(', ')}); keep exactly one`);
      return;
    }
    const type = present[0];
    const body = (node[type] as ModdleElement).body;
    const text = typeof body === 'string' ? body.trim() : '';
    if (text.includes('${')) {
      const problem = validateExpression(text);
      if (problem !== null) reporter.report(owner, `${LABEL[type]} "${text}" is invalid: ${problem}`);
      return;
    }
    const problem = timerValueProblem(type, text);
    if (problem !== null) reporter.report(owner, problem);
  }
  return { check };
}

export = timer;

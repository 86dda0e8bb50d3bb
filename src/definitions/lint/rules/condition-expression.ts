/**
 * reglament/condition-expression: every sequence-flow condition is a `${...}` expression the host's
 * expression language accepts (src/expressions/, processes/README.md "Conditions").
 */
import { validateExpression } from '../../../expressions';
import { is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

function conditionExpression(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:SequenceFlow')) return;
    const condition = node.conditionExpression as ModdleElement | undefined;
    if (!condition) return;
    const body = typeof condition.body === 'string' ? condition.body.trim() : '';
    if (!body) {
      reporter.report(node.id, 'Condition expression is empty');
      return;
    }
    let problem: string | null;
    try {
      problem = validateExpression(body);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem !== null) reporter.report(node.id, `Condition "${body}" is invalid: ${problem}`);
  }
  return { check };
}

export = conditionExpression;

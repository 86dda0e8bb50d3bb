/**
 * reglament/call-activity-target: every call activity names the called process key in `calledElement`,
 * and that key is a known process (deployed already, or defined in the same deployment).
 *
 * Config: `{ processKeys: string[] }` — the known process keys.
 */
import { is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

interface CallActivityTargetConfig {
  processKeys?: Iterable<string>;
}

function callActivityTarget(config: CallActivityTargetConfig = {}): RuleDefinition {
  const keys = new Set(config.processKeys ?? []);

  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:CallActivity')) return;
    const calledElement = typeof node.calledElement === 'string' ? node.calledElement.trim() : '';
    if (!calledElement) {
      reporter.report(node.id, 'Call activity has no called process key (calledElement)');
      return;
    }
    if (!keys.has(calledElement)) {
      reporter.report(node.id, `Called process "${calledElement}" is neither deployed nor part of this deployment`);
    }
  }
  return { check };
}

export = callActivityTarget;

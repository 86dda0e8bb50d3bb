/**
 * reglament/call-activity-target: every call activity names the called process key in `calledElement`,
 * and that key is a known process (deployed already, or defined in the same deployment) of another file.
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
    // bpmn-elements runs a called process of the same definitions inside the caller's engine (and the
    // host would start it as a child too); calling the file's own process recursed until the engine failed.
    let definitions: ModdleElement | undefined = node.$parent;
    while (definitions && !is(definitions, 'bpmn:Definitions')) definitions = definitions.$parent;
    const sameFile = (definitions?.rootElements as ModdleElement[] | undefined)?.some((root) => is(root, 'bpmn:Process') && root.id === calledElement);
    if (sameFile) {
      reporter.report(
        node.id,
        `Called process "${calledElement}" is defined in this same file: the engine would run it inside the caller (a process calling itself never ends); call a process deployed from its own file`,
      );
      return;
    }
    if (!keys.has(calledElement)) {
      reporter.report(node.id, `Called process "${calledElement}" is neither deployed nor part of this deployment`);
    }
  }
  return { check };
}

export = callActivityTarget;

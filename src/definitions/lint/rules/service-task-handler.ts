/**
 * reglament/service-task-handler: every service task is External (`camunda:type="external"`) and its
 * `camunda:topic` names a handler the host has registered.
 *
 * Config: `{ handlers: string[] }` — the registered handler names.
 */
import { camundaAttr, is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

interface ServiceTaskHandlerConfig {
  handlers?: Iterable<string>;
}

function serviceTaskHandler(config: ServiceTaskHandlerConfig = {}): RuleDefinition {
  const handlers = new Set(config.handlers ?? []);
  const known = [...handlers].sort();

  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:ServiceTask')) return;
    if (camundaAttr(node, 'type') !== 'external') {
      reporter.report(node.id, 'Service task must be implemented as External (camunda:type="external") with camunda:topic naming a handler');
      return;
    }
    const topic = camundaAttr(node, 'topic')?.trim();
    if (!topic) {
      reporter.report(node.id, 'External service task has no topic (camunda:topic); the topic is the handler name');
      return;
    }
    if (!handlers.has(topic)) {
      reporter.report(node.id, `Topic "${topic}" names no registered handler (registered: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
  }
  return { check };
}

export = serviceTaskHandler;

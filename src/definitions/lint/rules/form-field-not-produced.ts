/**
 * reglament/form-field-not-produced: no form field (of a start event or a user task) is named like a
 * variable that a handler or the host produces (a registration or licence number, a signed result,
 * the decision of an external system, a BPMN error's code). A form may set only what it declares, so
 * such a field would hand a user the pen of a handler: the name must be left to its producer.
 *
 * Config: `{ produced: Map<string, string[]> | Record<string, string[]> }` — variable -> producers
 * (handler names, or the host's own description), as HandlerRegistry.producers() gives them.
 */
import { formFieldsOf, isAny } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

interface FormFieldNotProducedConfig {
  produced?: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;
}

function describeProducers(producers: readonly string[]): string {
  const handlers = producers.filter((p) => !p.startsWith('the host'));
  const host = producers.filter((p) => p.startsWith('the host'));
  const parts = [...(handlers.length > 0 ? [`${handlers.length > 1 ? 'handlers' : 'handler'} ${handlers.join(', ')}`] : []), ...host];
  return `${parts.join(' and ')} ${handlers.length > 1 || parts.length > 1 ? 'produce' : 'produces'}`;
}

function formFieldNotProduced(config: FormFieldNotProducedConfig = {}): RuleDefinition {
  const produced = new Map<string, readonly string[]>(config.produced instanceof Map ? config.produced : Object.entries(config.produced ?? {}));

  function check(node: ModdleElement, reporter: Reporter): void {
    if (!isAny(node, ['bpmn:UserTask', 'bpmn:StartEvent'])) return;
    for (const field of formFieldsOf(node)) {
      const id = typeof field.id === 'string' ? field.id.trim() : '';
      const producers = produced.get(id);
      if (!producers || producers.length === 0) continue;
      reporter.report(node.id, `Form field "${id}" is a variable that ${describeProducers(producers)}; a form may not set it (rename the field)`);
    }
  }
  return { check };
}

export = formFieldNotProduced;

/**
 * reglament/no-script: diagrams carry no code. Whoever may deploy (group deployer, through Camunda
 * Modeler) must not be able to run code on the server: bpmn-engine would run a script task or a
 * script condition in node:vm, which is no security boundary. Refused, each with its element id:
 * script tasks (with or without a script, inline or as a resource), conditions and other
 * expressions with a `language` (scripts; the host's conditions are `${...}` expressions), any
 * `camunda:script` (input/output mappings, connectors), and execution and task listeners (they run
 * Java classes, expressions or scripts in Camunda; the host runs none, and a diagram that seems to
 * rely on one would mislead). Service tasks name a registered handler (reglament/service-task-handler).
 *
 * The engine refuses every script too (src/engine/engine-factory.ts), should a diagram get past this.
 */
import { camundaAttr, is } from '../../bpmn-utils';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

const NO_CODE = 'diagrams carry no code';

/** The nearest element the modeler shows with an id (extension elements have none). */
function ownerOf(node: ModdleElement): ModdleElement {
  let current: ModdleElement | undefined = node;
  while (current && !(is(current, 'bpmn:FlowElement') || is(current, 'bpmn:Process') || is(current, 'bpmn:Definitions'))) current = current.$parent;
  return current ?? node;
}

const quoted = (name: string, value: unknown) => (typeof value === 'string' && value.trim() !== '' ? [`${name} "${value.trim()}"`] : []);

function listenerCode(listener: ModdleElement): string[] {
  const script = listener.script as ModdleElement | undefined;
  return [
    ...quoted('class', listener.class),
    ...quoted('expression', listener.expression),
    ...quoted('delegateExpression', listener.delegateExpression),
    ...(script ? [`script "${typeof script.scriptFormat === 'string' ? script.scriptFormat : ''}"`] : []),
  ];
}

function scriptPlace(node: ModdleElement): string {
  for (let current = node.$parent; current; current = current.$parent) {
    if (is(current, 'camunda:Connector')) return 'a connector';
    if (is(current, 'camunda:InputOutput')) return 'an input/output mapping';
  }
  return 'an extension element';
}

function noScript(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): boolean | void {
    if (is(node, 'bpmn:ScriptTask')) {
      const details = [...quoted('scriptFormat', node.scriptFormat), ...quoted('resource', camundaAttr(node, 'resource'))];
      reporter.report(node.id, `Script task${details.length ? ` (${details.join(', ')})` : ''}: ${NO_CODE}; use a service task (External) whose topic names a registered handler`);
      return;
    }
    if (is(node, 'camunda:ExecutionListener') || is(node, 'camunda:TaskListener')) {
      const kind = is(node, 'camunda:TaskListener') ? 'Task listener' : 'Execution listener';
      const event = typeof node.event === 'string' ? ` (event "${node.event}")` : '';
      const code = listenerCode(node);
      reporter.report(ownerOf(node).id, `${kind}${event}${code.length ? ` runs code (${code.join(', ')})` : ''}: ${NO_CODE}; listeners are not allowed`);
      // Its script, if any, is reported with the listener.
      return false;
    }
    if (is(node, 'camunda:Script')) {
      const details = [...quoted('scriptFormat', node.scriptFormat), ...quoted('resource', node.resource)];
      reporter.report(ownerOf(node).id, `camunda:script${details.length ? ` (${details.join(', ')})` : ''} in ${scriptPlace(node)}: ${NO_CODE}`);
      return;
    }
    if (is(node, 'bpmn:Expression')) {
      const language = typeof node.language === 'string' ? node.language.trim() : '';
      const resource = camundaAttr(node, 'resource');
      if (!language && !resource) return;
      const parent = node.$parent;
      const isCondition = (is(parent, 'bpmn:SequenceFlow') && parent?.conditionExpression === node) || is(parent, 'bpmn:ConditionalEventDefinition');
      const details = [...quoted('language', language), ...quoted('resource', resource)];
      const fix = isCondition ? 'write a ${...} expression over process variables' : 'write a value or a ${...} expression';
      reporter.report(ownerOf(node).id, `${isCondition ? 'Condition' : 'Expression'} is a script (${details.join(', ')}): ${NO_CODE}; ${fix}`);
    }
  }
  return { check };
}

export = noScript;

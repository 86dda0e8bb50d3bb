/**
 * reglament/signing-step: a signing step is declared so that the server can always tell which
 * document its person signs. `signs` (extension property of a user task) names a kind of document
 * the server renders; `grantedIf` (`<variable>=<value>`, or several joined by `;`: the `signs`
 * document when all hold, the refusal otherwise) is allowed only beside a `signs` that is not itself
 * the refusal, and each condition names a boolean or enum form field of another step of the process
 * (each field once) with a value that field can take (true/false, or one of the enum's ids, none of
 * which may hold the separator). Either property on any other element is an error: only a user task
 * is completed by a person's signature.
 */
import { allFlowElements, camundaPropertyValues, formFieldsOf, is, isAny, list, processOf } from '../../bpmn-utils';
import { GRANTED_IF_SEPARATOR, requiredIfCondition, SIGNED_DOCUMENT_KINDS } from '../../model';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';

const PROPERTIES = ['signs', 'grantedIf'] as const;

function labelOf(node: ModdleElement): string {
  return typeof node.name === 'string' && node.name.trim() !== '' ? `"${node.name.trim()}" (${node.id})` : String(node.id);
}

/** The form fields of the other user tasks and start events of the node's process, by id. */
function otherFields(node: ModdleElement): Map<string, ModdleElement> {
  const fields = new Map<string, ModdleElement>();
  const process = processOf(node);
  if (!process) return fields;
  for (const element of allFlowElements(process)) {
    if (element === node || !isAny(element, ['bpmn:UserTask', 'bpmn:StartEvent'])) continue;
    for (const field of formFieldsOf(element)) if (typeof field.id === 'string') fields.set(field.id, field);
  }
  return fields;
}

function signingStep(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (!is(node, 'bpmn:FlowElement')) return;
    const values = Object.fromEntries(PROPERTIES.map((name) => [name, camundaPropertyValues(node, name)]));
    const present = PROPERTIES.filter((name) => values[name].length > 0);
    if (present.length === 0) return;
    const label = labelOf(node);
    if (!is(node, 'bpmn:UserTask')) {
      for (const name of present) reporter.report(node.id, `Property ${name} on ${label}: only a user task is a signing step`);
      return;
    }
    for (const name of present) if (values[name].length > 1) reporter.report(node.id, `Signing step ${label} has ${values[name].length} ${name} properties; give one`);
    const signs = values.signs[0]?.trim() ?? '';
    const known = (SIGNED_DOCUMENT_KINDS as readonly string[]).includes(signs);
    if (values.signs.length > 0 && !known) reporter.report(node.id, `Signing step ${label} property signs "${signs}" is no kind of document the server renders (${SIGNED_DOCUMENT_KINDS.join(', ')})`);
    if (values.grantedIf.length === 0) return;
    const text = values.grantedIf[0] ?? '';
    if (values.signs.length === 0) {
      reporter.report(node.id, `Signing step ${label} property grantedIf needs property signs: the kind signed when the service is granted`);
      return;
    }
    if (signs === 'refusal') reporter.report(node.id, `Signing step ${label} signs a refusal on every path; property grantedIf "${text}" has nothing to choose`);
    const fields = otherFields(node);
    const named = new Set<string>();
    for (const part of text.split(GRANTED_IF_SEPARATOR)) {
      const condition = requiredIfCondition(part);
      const where = `Signing step ${label} property grantedIf condition "${part.trim()}"`;
      if (!condition) {
        reporter.report(node.id, `${where} must be <variable>=<value> (several joined by "${GRANTED_IF_SEPARATOR}")`);
        continue;
      }
      // A field named twice either repeats itself or contradicts itself; neither says what the head signs.
      if (named.has(condition.field)) reporter.report(node.id, `${where} names "${condition.field}" again; name each field once`);
      named.add(condition.field);
      const field = fields.get(condition.field);
      const type = field && typeof field.type === 'string' ? field.type : undefined;
      if (!field || (type !== 'boolean' && type !== 'enum')) {
        reporter.report(node.id, `${where} names "${condition.field}", which is no boolean or enum form field of another step of this process`);
      } else if (type === 'boolean' && condition.value !== 'true' && condition.value !== 'false') {
        reporter.report(node.id, `${where} compares boolean field "${condition.field}" with "${condition.value}"; use true or false`);
      } else if (type === 'enum' && list(field.values).some((v) => String(v.id ?? '').includes(GRANTED_IF_SEPARATOR))) {
        reporter.report(node.id, `${where} compares enum field "${condition.field}", whose values hold "${GRANTED_IF_SEPARATOR}" (the separator of conditions); rename them`);
      } else if (type === 'enum' && !list(field.values).some((v) => v.id === condition.value)) {
        reporter.report(node.id, `${where} compares enum field "${condition.field}" with "${condition.value}", which is none of its values`);
      }
    }
  }
  return { check };
}

export = signingStep;

/**
 * reglament/form-fields: the `camunda:formData` of user tasks and start events is usable: every field
 * has an id, ids are unique per form, types are ones the host validates, `pattern` compiles as a
 * JavaScript RegExp, numeric constraints have numbers, constraints are ones the host knows (`iin-bin`
 * on a string, narrowed by config `iin` or `bin`), and an enum has values. A pattern must not
 * backtrack catastrophically (safe-regex2: star height at most 1). A field's `camunda:property`
 * entries are ones the host knows: `multiline` (true/false, on a string), `choices`
 * (`users-of-group:<group>` on a string, the group one of this process's lanes or user tasks has, so
 * that a misspelt group cannot leave a form with no one to choose) and `requiredIf` (`<field>=<value>`,
 * another field of the same form and a value it can take). A user task's `camunda:assignee` is a user
 * id or `${variable}` naming a users-of-group field of the process.
 */
import { allFlowElements, camundaAttr, extensionsOf, formFieldsOf, is, isAny, laneGroup, lanesOf, list, processOf, splitList } from '../../bpmn-utils';
import { assigneeOf, FORM_FIELD_PROPERTIES, FORM_FIELD_TYPES, formFieldProperties, IIN_BIN_CONSTRAINT, requiredIfCondition, usersOfGroupChoice } from '../../model';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';
import safeRegex = require('safe-regex2');

const BACKTRACKS =
  'can take exponential time to match (a repetition inside a repetition, or more than 25 repetitions); rewrite it without nested quantifiers, e.g. ^(\\d{3}-\\d{7}|\\d{7})$ instead of ^(\\d{3}-)?\\d{7}$';

const KNOWN_CONSTRAINTS = ['required', 'readonly', 'pattern', 'minlength', 'maxlength', 'min', 'max', IIN_BIN_CONSTRAINT];
const NUMERIC_CONSTRAINTS = ['minlength', 'maxlength', 'min', 'max'];

/** The groups of the process a node is in: its lanes' groups and its user tasks' candidate groups. */
function groupsOfProcess(node: ModdleElement): string[] {
  const process = processOf(node);
  if (!process) return [];
  const groups = new Set<string>();
  for (const lane of lanesOf(process)) {
    const group = laneGroup(lane);
    if (group) groups.add(group);
  }
  for (const element of allFlowElements(process)) if (is(element, 'bpmn:UserTask')) splitList(camundaAttr(element, 'candidateGroups')).forEach((g) => groups.add(g));
  return [...groups].sort();
}

/** The ids of the users-of-group fields of the process a node is in. */
function choiceFieldsOfProcess(node: ModdleElement): string[] {
  const process = processOf(node);
  if (!process) return [];
  return allFlowElements(process)
    .filter((element) => isAny(element, ['bpmn:UserTask', 'bpmn:StartEvent']))
    .flatMap((element) => formFieldsOf(element))
    .filter((field) => formFieldProperties(field).some((p) => p.id === 'choices'))
    .map((field) => String(field.id ?? ''));
}

function checkAssignee(node: ModdleElement, reporter: Reporter): void {
  const text = camundaAttr(node, 'assignee');
  if (text === undefined || text.trim() === '') return;
  const assignee = assigneeOf(text);
  if (!assignee) {
    reporter.report(node.id, `camunda:assignee "${text}" must be a user id or \${variable} naming a users-of-group form field; no other expression is evaluated`);
    return;
  }
  if ('variable' in assignee && !choiceFieldsOfProcess(node).includes(assignee.variable)) {
    reporter.report(node.id, `camunda:assignee "${text}" names variable "${assignee.variable}", which no users-of-group form field (property choices) of this process sets`);
  }
}

function checkProperties(node: ModdleElement, reporter: Reporter, field: ModdleElement, label: string, type: string, siblings: ModdleElement[]): void {
  for (const property of formFieldProperties(field)) {
    const value = property.value ?? '';
    if (!(FORM_FIELD_PROPERTIES as readonly string[]).includes(property.id)) {
      reporter.report(node.id, `Form field ${label} has unsupported property "${property.id}"; supported: ${FORM_FIELD_PROPERTIES.join(', ')}`);
    } else if (property.id === 'multiline') {
      if (!['true', 'false'].includes(value.trim().toLowerCase())) reporter.report(node.id, `Form field ${label} property multiline must be true or false, got "${value}"`);
      if (type !== 'string') reporter.report(node.id, `Form field ${label} property multiline is for a string field, not type "${type}"`);
    } else if (property.id === 'choices') {
      const group = usersOfGroupChoice(value);
      if (group === undefined) {
        reporter.report(node.id, `Form field ${label} property choices must be users-of-group:<group>, got "${value}"`);
        continue;
      }
      if (type !== 'string') reporter.report(node.id, `Form field ${label} property choices is for a string field (the chosen user's id), not type "${type}"`);
      const groups = groupsOfProcess(node);
      if (!groups.includes(group)) reporter.report(node.id, `Form field ${label} property choices names group "${group}", which no lane or user task of this process has (groups: ${groups.join(', ') || 'none'})`);
    } else if (property.id === 'requiredIf') {
      const condition = requiredIfCondition(value);
      const other = condition ? siblings.find((f) => String(f.id ?? '').trim() === condition.field) : undefined;
      if (!condition) {
        reporter.report(node.id, `Form field ${label} property requiredIf must be <field>=<value>, got "${value}"`);
      } else if (!other || other === field) {
        reporter.report(node.id, `Form field ${label} property requiredIf names "${condition.field}", which is no other field of this form`);
      } else if (other.type === 'boolean' && !['true', 'false'].includes(condition.value.toLowerCase())) {
        reporter.report(node.id, `Form field ${label} property requiredIf compares boolean field "${condition.field}" with "${condition.value}"; use true or false`);
      } else if (other.type === 'enum' && !list(other.values).some((v) => v.id === condition.value)) {
        reporter.report(node.id, `Form field ${label} property requiredIf compares enum field "${condition.field}" with "${condition.value}", which is none of its values`);
      }
    }
  }
}

function formFields(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
    if (is(node, 'bpmn:UserTask')) checkAssignee(node, reporter);
    if (!isAny(node, ['bpmn:UserTask', 'bpmn:StartEvent'])) return;
    const fields = extensionsOf(node, 'camunda:FormData').flatMap((formData) => list(formData.fields));
    const seen = new Set<string>();
    const reportedDuplicates = new Set<string>();
    fields.forEach((field, index) => {
      const id = typeof field.id === 'string' ? field.id.trim() : '';
      if (!id) {
        reporter.report(node.id, `Form field #${index + 1} has no id`);
      } else if (seen.has(id)) {
        if (!reportedDuplicates.has(id)) reporter.report(node.id, `Form field id "${id}" is used more than once`);
        reportedDuplicates.add(id);
      }
      seen.add(id);
      const label = id ? `"${id}"` : `#${index + 1}`;

      const type = typeof field.type === 'string' ? field.type : '';
      if (!(FORM_FIELD_TYPES as readonly string[]).includes(type)) {
        reporter.report(node.id, `Form field ${label} has ${type ? `type "${type}"` : 'no type'}; allowed: ${FORM_FIELD_TYPES.join(', ')}`);
      }
      if (type === 'enum' && list(field.values).length === 0) {
        reporter.report(node.id, `Enum form field ${label} has no values (camunda:value)`);
      }
      checkProperties(node, reporter, field, label, type, fields);
      for (const value of list(field.values)) {
        if (typeof value.id !== 'string' || value.id.trim() === '') reporter.report(node.id, `Enum form field ${label} has a value without id`);
      }

      for (const constraint of list((field.validation as ModdleElement | undefined)?.constraints)) {
        const name = typeof constraint.name === 'string' ? constraint.name.trim() : '';
        const config = typeof constraint.config === 'string' ? constraint.config : undefined;
        if (!KNOWN_CONSTRAINTS.includes(name)) {
          reporter.report(node.id, `Form field ${label} has unsupported constraint "${name}"; supported: ${KNOWN_CONSTRAINTS.join(', ')}`);
        } else if (name === 'pattern') {
          if (!config) {
            reporter.report(node.id, `Form field ${label} has a pattern constraint without a regular expression (config)`);
            continue;
          }
          try {
            new RegExp(config);
          } catch (error) {
            reporter.report(node.id, `Form field ${label} pattern "${config}" is not a valid regular expression: ${(error as Error).message}`);
            continue;
          }
          // Matching runs on the server: a pattern that backtracks exponentially would stop it (the
          // match is also time-bounded, src/runtime/pattern-match.ts, for what this check misses).
          if (!safeRegex(config)) reporter.report(node.id, `Form field ${label} pattern "${config}" ${BACKTRACKS}`);
        } else if (name === IIN_BIN_CONSTRAINT) {
          if (type !== 'string') reporter.report(node.id, `Form field ${label} has constraint ${name} but is of type "${type}"; an IIN/BIN is a string`);
          if (config !== undefined && !['', 'iin', 'bin'].includes(config.trim().toLowerCase())) reporter.report(node.id, `Form field ${label} constraint ${name} takes no config, "iin" or "bin", got "${config}"`);
        } else if (NUMERIC_CONSTRAINTS.includes(name)) {
          if (config === undefined || config.trim() === '' || !Number.isFinite(Number(config.trim()))) {
            reporter.report(node.id, `Form field ${label} constraint ${name} needs a number, got "${config ?? ''}"`);
          }
        }
      }
    });
  }
  return { check };
}

export = formFields;

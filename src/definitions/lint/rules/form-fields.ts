/**
 * reglament/form-fields: the `camunda:formData` of user tasks and start events is usable: every field
 * has an id, ids are unique per form, types are ones the host validates, `pattern` compiles as a
 * JavaScript RegExp, numeric constraints have numbers, constraints are ones the host knows (`iin-bin`
 * on a string, narrowed by config `iin` or `bin`), and an enum has values. A pattern must not
 * backtrack catastrophically (safe-regex2: star height at most 1).
 */
import { extensionsOf, isAny, list } from '../../bpmn-utils';
import { FORM_FIELD_TYPES, IIN_BIN_CONSTRAINT } from '../../model';
import type { ModdleElement, Reporter, RuleDefinition } from '../types';
import safeRegex = require('safe-regex2');

const BACKTRACKS =
  'can take exponential time to match (a repetition inside a repetition, or more than 25 repetitions); rewrite it without nested quantifiers, e.g. ^(\\d{3}-\\d{7}|\\d{7})$ instead of ^(\\d{3}-)?\\d{7}$';

const KNOWN_CONSTRAINTS = ['required', 'readonly', 'pattern', 'minlength', 'maxlength', 'min', 'max', IIN_BIN_CONSTRAINT];
const NUMERIC_CONSTRAINTS = ['minlength', 'maxlength', 'min', 'max'];

function formFields(): RuleDefinition {
  function check(node: ModdleElement, reporter: Reporter): void {
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

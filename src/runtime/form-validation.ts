/**
 * Submitted variables checked against the form's JSON Schema (form-schema.ts) with ajv, and each
 * problem said in the words of the field: one problem per field, in the order of the form.
 * Patterns run through pattern-match.ts (ajv's RegExp engine is replaced), so a pattern that
 * backtracks without end is stopped after its bound and becomes a problem of its field.
 */
import Ajv from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FormField } from '../definitions/model';
import { checkIinBin } from '../iin-bin';
import { DATE_FORMAT, formJsonSchema, IIN_BIN_FORMATS, isEmptyValue } from './form-schema';
import { matchesPattern, patternMismatch, patternStopped, PatternTimeoutError } from './pattern-match';
import { RESERVED_VARIABLE_NAMES } from '../engine/process-variables';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Matches stopped by the bound while one validation runs: `${pattern}\0${value}`. */
const timedOut = new Set<string>();

const ajv = new Ajv({
  allErrors: true,
  strict: true,
  unicodeRegExp: false,
  code: { regExp: boundedRegExp() },
});
ajv.addFormat(DATE_FORMAT, { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });
for (const [kind, format] of Object.entries(IIN_BIN_FORMATS)) {
  ajv.addFormat(format, { type: 'string', validate: (value: string) => checkIinBin(value, kind === 'iin-or-bin' ? undefined : (kind as 'iin' | 'bin')).valid });
}

/** A RegExp engine for ajv whose test is the time-bounded match: ajv never runs a pattern itself. */
function boundedRegExp() {
  const engine = (pattern: string) => ({
    // ajv keys its compiled patterns by this text: each pattern must have its own.
    toString: () => `/${pattern}/`,
    test(value: string) {
      try {
        return matchesPattern(pattern, value);
      } catch (error) {
        if (!(error instanceof PatternTimeoutError)) throw error;
        timedOut.add(`${pattern}\0${value}`);
        return false;
      }
    },
  });
  // Only ajv's standalone code generation reads `code`; nothing here generates standalone code.
  return Object.assign(engine, { code: 'matchesPattern' });
}

/** One compiled check per form (a deployed definition's fields are one array for its lifetime). */
const compiled = new WeakMap<readonly FormField[], ValidateFunction>();

function validatorOf(fields: readonly FormField[]): ValidateFunction {
  let validate = compiled.get(fields);
  if (!validate) {
    validate = ajv.compile(formJsonSchema(fields));
    compiled.set(fields, validate);
  }
  return validate;
}

function typeProblem(field: FormField): string {
  switch (field.type) {
    case 'long':
      return 'must be a whole number';
    case 'boolean':
      return 'must be true or false';
    case 'date':
      return 'must be a date (ISO 8601)';
    case 'enum':
      return `must be one of: ${(field.values ?? []).map((v) => v.id).join(', ')}`;
    default:
      return 'must be a string';
  }
}

/** The field's problem from its ajv errors, in the order the server has always checked: type, pattern, length, range. */
function fieldProblem(field: FormField, errors: ErrorObject[], value: unknown): string | null {
  const has = (keyword: string) => errors.find((e) => e.keyword === keyword);
  if (has('type') || has('enum')) return typeProblem(field);
  if (has('format') && field.iinBin === undefined) return typeProblem(field);
  if (has('pattern') && typeof value === 'string' && field.pattern !== undefined) {
    return timedOut.has(`${field.pattern}\0${value}`) ? patternStopped(field.pattern) : patternMismatch(field.pattern);
  }
  if (has('format') && field.iinBin !== undefined) return iinBinProblem(field, value);
  if (has('minLength')) return `must have at least ${field.minlength} characters`;
  if (has('maxLength')) return `must have at most ${field.maxlength} characters`;
  if (has('minimum')) return `must be at least ${field.min}`;
  if (has('maximum')) return `must be at most ${field.max}`;
  return null;
}

/** Why an IIN/BIN field's value is not one, in the words of the check (a mistyped digit is the usual case). */
function iinBinProblem(field: FormField, value: unknown): string {
  const check = checkIinBin(value, field.iinBin === 'iin-or-bin' ? undefined : field.iinBin);
  const what = field.iinBin === 'iin' ? 'an IIN' : field.iinBin === 'bin' ? 'a BIN' : 'an IIN or BIN';
  return check.valid ? `must be ${what}` : `must be ${what}: ${check.message}`;
}

/**
 * Checks submitted variables against the form fields the diagram declares (type, required,
 * pattern, length and range). Only declared fields may be sent: every other name is a problem of
 * its own, so a start or a completion cannot set what the form does not ask for (a decision taken
 * at another step, a number a handler assigns, a routing variable).
 */
export function validateVariables(fields: readonly FormField[], variables: unknown): FieldProblem[] {
  if (variables === undefined || variables === null) variables = {};
  if (typeof variables !== 'object' || Array.isArray(variables)) return [{ field: 'variables', message: 'must be a JSON object of name -> value' }];
  const values = variables as Record<string, unknown>;
  const declared = new Set(fields.map((field) => field.id));
  // Empty values of declared fields are not given; any undeclared name stays, to be refused.
  const given = Object.fromEntries(Object.entries(values).filter(([name, value]) => !(declared.has(name) && isEmptyValue(value))));

  timedOut.clear();
  const validate = validatorOf(fields);
  validate(given);
  const errors = validate.errors ?? [];
  const undeclared = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => String(e.params.additionalProperty)));
  const missing = new Set(errors.filter((e) => e.keyword === 'required').map((e) => String(e.params.missingProperty)));
  const byField = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const name = error.instancePath.split('/')[1];
    if (name !== undefined) byField.set(decodePointer(name), [...(byField.get(decodePointer(name)) ?? []), error]);
  }

  const problems: FieldProblem[] = [];
  const notAField = `is not a field of this form (${declared.size > 0 ? `declared: ${[...declared].join(', ')}` : "this step's form declares no field"})`;
  for (const name of Object.keys(values)) {
    if (RESERVED_VARIABLE_NAMES.has(name)) problems.push({ field: name, message: `"${name}" is reserved by the engine and cannot be a variable name` });
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push({ field: name, message: 'a variable name must be letters, digits and _ and not start with a digit' });
    else if (undeclared.has(name)) problems.push({ field: name, message: notAField });
  }
  for (const field of fields) {
    if (missing.has(field.id)) {
      problems.push({ field: field.id, message: `${field.label ? `"${field.label}" ` : ''}is required` });
      continue;
    }
    const problem = fieldProblem(field, byField.get(field.id) ?? [], given[field.id]);
    if (problem) problems.push({ field: field.id, message: problem });
  }
  timedOut.clear();
  return problems;
}

/** A JSON Pointer segment (`~1` is `/`, `~0` is `~`). */
function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The users-of-group fields (`choices`) of a form checked against the group as it is now: a value
 * that names no current user of the group is a problem of its field. Apart from validateVariables,
 * whose compiled schema is fixed for the form's lifetime, because the members change while it lives.
 */
export function validateChoices(fields: readonly FormField[], variables: unknown, membersOf: (group: string) => readonly { id: string }[]): FieldProblem[] {
  if (!variables || typeof variables !== 'object') return [];
  const values = variables as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const value = values[field.id];
    if (!field.choices || isEmptyValue(value)) continue;
    const group = field.choices.usersOfGroup;
    const members = membersOf(group);
    if (!members.some((member) => member.id === value)) {
      problems.push({ field: field.id, message: `must be a user of group "${group}" (${members.length > 0 ? `one of: ${members.map((m) => m.id).join(', ')}` : 'the group has no users'}), not "${String(value)}"` });
    }
  }
  return problems;
}

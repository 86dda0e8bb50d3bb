import { FormField } from '../definitions/model';
import { Variables } from '../handlers/registry';
import { patternProblem } from './pattern-match';
import { RESERVED_VARIABLE_NAMES } from './variables';

export interface FieldProblem {
  field: string;
  message: string;
}

function checkType(field: FormField, value: unknown): string | null {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) ? null : 'must be a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : 'must be a date (ISO 8601)';
    case 'enum': {
      const allowed = (field.values ?? []).map((v) => v.id);
      return typeof value === 'string' && allowed.includes(value) ? null : `must be one of: ${allowed.join(', ')}`;
    }
    default:
      return null;
  }
}

function checkConstraints(field: FormField, value: unknown): string | null {
  if (typeof value === 'string') {
    const patternMismatch = field.pattern === undefined ? null : patternProblem(field.pattern, value);
    if (patternMismatch !== null) return patternMismatch;
    if (field.minlength !== undefined && value.length < field.minlength) return `must have at least ${field.minlength} characters`;
    if (field.maxlength !== undefined && value.length > field.maxlength) return `must have at most ${field.maxlength} characters`;
  }
  if (typeof value === 'number') {
    if (field.min !== undefined && value < field.min) return `must be at least ${field.min}`;
    if (field.max !== undefined && value > field.max) return `must be at most ${field.max}`;
  }
  return null;
}

/**
 * Checks submitted variables against the form fields the diagram declares (type, required,
 * pattern, length and range). Only declared fields may be sent: every other name is a problem of
 * its own, so a start or a completion cannot set what the form does not ask for (a decision taken
 * at another step, a number a handler assigns, a routing variable).
 */
export function validateVariables(fields: FormField[], variables: unknown): FieldProblem[] {
  if (variables === undefined || variables === null) variables = {};
  if (typeof variables !== 'object' || Array.isArray(variables)) return [{ field: 'variables', message: 'must be a JSON object of name -> value' }];
  const values = variables as Variables;
  const problems: FieldProblem[] = [];
  const declared = new Set(fields.map((field) => field.id));
  const notAField = `is not a field of this form (${declared.size > 0 ? `declared: ${[...declared].join(', ')}` : "this step's form declares no field"})`;
  for (const name of Object.keys(values)) {
    if (RESERVED_VARIABLE_NAMES.has(name)) problems.push({ field: name, message: `"${name}" is reserved by the engine and cannot be a variable name` });
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push({ field: name, message: 'a variable name must be letters, digits and _ and not start with a digit' });
    else if (!declared.has(name)) problems.push({ field: name, message: notAField });
  }
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(values, field.id) && !field.required) continue;
    const value = values[field.id];
    const missing = value === undefined || value === null || value === '';
    if (missing) {
      if (field.required) problems.push({ field: field.id, message: `${field.label ? `"${field.label}" ` : ''}is required` });
      continue;
    }
    const problem = checkType(field, value) ?? checkConstraints(field, value);
    if (problem) problems.push({ field: field.id, message: problem });
  }
  return problems;
}

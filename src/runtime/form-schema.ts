/**
 * A form's fields (the diagram's camunda:formField) as one JSON Schema: the server checks
 * submitted variables with it (form-validation.ts, ajv) and serves it with the task and the start
 * form, so the browser checks the same rules first (@cfworker/json-schema, no eval under the CSP).
 *
 * The schema describes the values given: an empty value ('' or null) counts as not given, so a
 * required field sent empty is missing and an optional one sent empty is no value. Only declared
 * fields may be sent (additionalProperties: false).
 */
import type { FormField, IinBinFormat } from '../definitions/model';

export type JsonSchema = Record<string, unknown>;

/**
 * Dates are what the server has always taken: anything Date.parse reads. Validators that do not
 * know this format (the browser's) ignore it; the browser's date input gives ISO dates anyway.
 */
export const DATE_FORMAT = 'reglament-date';

/**
 * The JSON-Schema formats of an `iin-bin` field: the server registers them with ajv, the web form
 * with its validator, both checking with src/iin-bin.ts.
 */
export const IIN_BIN_FORMATS: Readonly<Record<IinBinFormat, string>> = { 'iin-or-bin': 'kz-iin-bin', iin: 'kz-iin', bin: 'kz-bin' };

export function fieldJsonSchema(field: FormField): JsonSchema {
  const common: JsonSchema = { ...(field.label ? { title: field.label } : {}), ...(field.defaultValue !== undefined ? { default: field.defaultValue } : {}) };
  switch (field.type) {
    case 'long':
      return { ...common, type: 'integer', ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) };
    case 'boolean':
      return { ...common, type: 'boolean' };
    case 'date':
      return { ...common, type: 'string', format: DATE_FORMAT };
    case 'enum':
      return { ...common, type: 'string', enum: (field.values ?? []).map((value) => value.id) };
    default:
      return {
        ...common,
        type: 'string',
        // A users-of-group field as served, its group's users filled in (withChoices): the browser offers and checks them.
        ...(field.choices !== undefined && field.values !== undefined ? { enum: field.values.map((value) => value.id) } : {}),
        ...(field.pattern !== undefined ? { pattern: field.pattern } : {}),
        ...(field.iinBin !== undefined ? { format: IIN_BIN_FORMATS[field.iinBin] } : {}),
        ...(field.minlength !== undefined ? { minLength: field.minlength } : {}),
        ...(field.maxlength !== undefined ? { maxLength: field.maxlength } : {}),
      };
  }
}

export function formJsonSchema(fields: readonly FormField[]): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: Object.fromEntries(fields.map((field) => [field.id, fieldJsonSchema(field)])),
    required: fields.filter((field) => field.required).map((field) => field.id),
    ...conditionallyRequired(fields),
    additionalProperties: false,
  };
}

/** The value a `requiredIf` condition compares with, typed as its field is (a boolean field's `false` is false). */
function conditionValue(fields: readonly FormField[], condition: { field: string; value: string }): unknown {
  const other = fields.find((field) => field.id === condition.field);
  if (other?.type === 'boolean') return condition.value.toLowerCase() === 'true';
  if (other?.type === 'long') return Number(condition.value);
  return condition.value;
}

/** `requiredIf` as JSON Schema: if the other field has the value, this one is required (ajv and the browser's validator both read it). */
function conditionallyRequired(fields: readonly FormField[]): JsonSchema {
  const rules = fields
    .filter((field) => field.requiredIf !== undefined && !field.required)
    .map((field) => ({ if: { properties: { [field.requiredIf!.field]: { const: conditionValue(fields, field.requiredIf!) } }, required: [field.requiredIf!.field] }, then: { properties: { [field.id]: true }, required: [field.id] } }));
  return rules.length > 0 ? { allOf: rules } : {};
}

/** A form as served: each users-of-group field offers the current users of its group (id and display name). */
export function withChoices(fields: readonly FormField[], usersOf: (group: string) => readonly { id: string; name: string }[]): FormField[] {
  return fields.map((field) => (field.choices ? { ...field, values: usersOf(field.choices.usersOfGroup).map((user) => ({ id: user.id, name: user.name })) } : field));
}

/** An empty value counts as not given (see the module comment). */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

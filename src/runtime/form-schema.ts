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
    additionalProperties: false,
  };
}

/** An empty value counts as not given (see the module comment). */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

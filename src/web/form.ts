import { format, Validator } from '@cfworker/json-schema';
import type { OutputUnit, Schema } from '@cfworker/json-schema';
import { ApiError, FormField } from './api';
import { h } from './dom';
import { t } from './i18n';
import { fieldRefusal, refusalText } from './refusals';
import type { LocalizedField } from './translations';
import { checkIinBin, type IinBinProblem } from '../iin-bin';

/*
 * The IIN/BIN formats of the served schema, checked with the server's own function (src/iin-bin.ts):
 * a mistyped digit is a field error here, before the server (and any state database) is asked.
 */
format['kz-iin-bin'] = (value: string) => checkIinBin(value).valid;
format['kz-iin'] = (value: string) => checkIinBin(value, 'iin').valid;
format['kz-bin'] = (value: string) => checkIinBin(value, 'bin').valid;

/**
 * A form generated from the diagram's form fields. The page checks the values against the JSON
 * Schema the server serves with the form (formSchema / startFormSchema: the one the server checks
 * with), with a validator that needs no eval (the CSP forbids it); the server checks again and its
 * 400 answer (details.fields) is shown at the field it concerns. The page only turns the inputs'
 * text into typed values and says each keyword's problem in the user's language.
 */
export interface GeneratedForm {
  element: HTMLFormElement;
  /** The typed values, or null when the page found errors (shown at the fields). */
  read(): Record<string, unknown> | null;
  showServerError(error: unknown): void;
  setDisabled(disabled: boolean): void;
}

export function generateForm(fields: FormField[], schema: Record<string, unknown>, values: Record<string, unknown>, submitLabel: string, onSubmit: (variables: Record<string, unknown>) => Promise<void>): GeneratedForm {
  const tx = t();
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const general = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const properties = (schema.properties ?? {}) as Record<string, { pattern?: string }>;
  const rows = fields.map((field) => fieldRow(field, values[field.id], properties[field.id]?.pattern));
  const submit = h('button', { type: 'submit', class: 'primary', 'data-action': 'submit' }, submitLabel);
  const element = h('form', { class: 'generated-form', novalidate: true }, general, ...rows.map((r) => r.row), h('div', { class: 'form-actions' }, submit));

  // What was last sent: a server's refusal of a value is explained with the value itself (an IIN/BIN's check).
  let lastValues: Record<string, unknown> = {};
  const clearErrors = () => {
    general.hidden = true;
    general.textContent = '';
    general.removeAttribute('title');
    for (const r of rows) r.setError(null);
  };

  const form: GeneratedForm = {
    element,
    read() {
      clearErrors();
      const result: Record<string, unknown> = {};
      const errors = new Map<string, string>();
      for (const r of rows) {
        const { value, error } = r.read();
        if (error) errors.set(r.field.id, error);
        else if (value !== undefined) result[r.field.id] = value;
        else if (required.has(r.field.id)) errors.set(r.field.id, tx.required);
      }
      // Required only when another field has a value (requiredIf): a negative conclusion needs its motivation.
      for (const r of rows) {
        const condition = r.field.requiredIf;
        if (condition && result[r.field.id] === undefined && !errors.has(r.field.id) && String(result[condition.field]) === condition.value) errors.set(r.field.id, tx.required);
      }
      // The rules of the form, as the server states them: the first problem of each field.
      for (const unit of new Validator(withElementPatterns(schema, rows), '2020-12', false).validate(result).errors) {
        const id = fieldOf(unit);
        const field = id === undefined ? undefined : fields.find((f) => f.id === id);
        if (field && !errors.has(field.id)) errors.set(field.id, keywordProblem(field, unit.keyword, result[field.id]));
      }
      for (const r of rows) r.setError(errors.get(r.field.id) ?? null);
      const ok = errors.size === 0;
      if (!ok) {
        general.hidden = false;
        general.textContent = tx.formErrors;
        rows.find((r) => r.hasError())?.focus();
      }
      if (ok) lastValues = result;
      return ok ? result : null;
    },
    showServerError(error: unknown) {
      // In the interface language: a field's problem at the field, a name no form declares and any other
      // refusal in the form's box; the server's English words only as titles.
      const problems = (error instanceof ApiError ? error.details?.fields : undefined) ?? [];
      const unplaced: string[] = [];
      for (const p of problems) {
        const row = rows.find((r) => r.field.id === p.field);
        if (row) row.setError(fieldRefusal(row.field, p.message, lastValues[p.field]), p.message);
        else unplaced.push(tx.fieldNotInForm(p.field));
      }
      const refusal = refusalText(error);
      general.hidden = false;
      general.textContent = problems.length > 0 ? [tx.formErrors, ...unplaced].join(' ') : refusal.text;
      general.title = problems.length > 0 ? problems.map((p) => `${p.field}: ${p.message}`).join('\n') : (refusal.detail ?? '');
      rows.find((r) => r.hasError())?.focus();
    },
    setDisabled(disabled: boolean) {
      for (const el of element.querySelectorAll('input, select, button, textarea')) (el as HTMLInputElement).disabled = disabled;
    },
  };

  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const variables = form.read();
    if (!variables) return;
    submit.disabled = true;
    try {
      await onSubmit(variables);
    } catch (error) {
      form.showServerError(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

interface Row {
  field: FormField;
  /** The pattern the input carries (data-pattern, from the schema), or null. */
  pattern(): string | null;
  row: HTMLElement;
  read(): { value: unknown; error: string | null };
  /** The error in the user's words; `detail` (the server's own words) as its title. */
  setError(message: string | null, detail?: string): void;
  hasError(): boolean;
  focus(): void;
}

function fieldRow(field: FormField, current: unknown, pattern: string | undefined): Row {
  const tx = t();
  const id = `field-${field.id}`;
  const errorEl = h('div', { class: 'field-error', id: `${id}-error`, 'data-error-for': field.id, hidden: true });
  // A translated label keeps the Kazakh original (the legal text) as its title.
  const original = (field as LocalizedField).original;
  const label = h('label', { for: id, title: original?.label }, field.label ?? field.id, field.required ? h('span', { class: 'required', title: tx.required }, ' *') : null);
  const initial = current !== undefined && current !== null ? current : field.defaultValue;
  let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLElement;
  let getRaw: () => string;
  const common = { id, name: field.id, 'aria-describedby': `${id}-error`, 'data-field': field.id };

  // A users-of-group field is offered as its group's users (names shown, ids sent), as the server filled them.
  if (field.type === 'enum' || (field.choices !== undefined && field.values !== undefined)) {
    const select = h('select', common, h('option', { value: '' }, tx.choose), ...(field.values ?? []).map((v) => h('option', { value: v.id, title: original?.values[v.id] }, v.name ?? v.id)));
    if (initial !== undefined) select.value = String(initial);
    control = select;
    getRaw = () => select.value;
  } else if (field.type === 'boolean') {
    const name = field.id;
    const yes = h('input', { type: 'radio', name, value: 'true', id: `${id}-yes`, 'data-field': field.id });
    const no = h('input', { type: 'radio', name, value: 'false', id: `${id}-no` });
    if (initial === true || initial === 'true') yes.checked = true;
    if (initial === false || initial === 'false') no.checked = true;
    control = h('div', { class: 'radios', id, role: 'radiogroup', 'aria-describedby': `${id}-error` }, h('label', {}, yes, ' ', tx.yes), h('label', {}, no, ' ', tx.no));
    getRaw = () => (yes.checked ? 'true' : no.checked ? 'false' : '');
  } else if (field.multiline) {
    // A resolution, a conclusion or a reason: several lines, kept as typed (only the ends trimmed).
    const area = h('textarea', { ...common, rows: 5, autocomplete: 'off' });
    if (initial !== undefined) area.value = String(initial);
    control = area;
    getRaw = () => area.value.trim();
  } else {
    const input = h('input', {
      ...common,
      type: field.type === 'long' ? 'number' : field.type === 'date' ? 'date' : 'text',
      step: field.type === 'long' ? 1 : undefined,
      'data-pattern': pattern,
      inputmode: pattern && /\\d/.test(pattern) ? 'numeric' : undefined,
      autocomplete: 'off',
    });
    if (initial !== undefined) input.value = field.type === 'date' ? String(initial).slice(0, 10) : String(initial);
    control = input;
    getRaw = () => input.value.trim();
  }

  const row = h('div', { class: 'field', 'data-field-row': field.id }, label, control, errorEl);
  return {
    field,
    row,
    pattern: () => control.getAttribute('data-pattern'),
    /** The input's text as a typed value; an error only when the text is no value of the type. */
    read() {
      const raw = getRaw();
      if (raw === '') return { value: undefined, error: null };
      switch (field.type) {
        case 'long':
          return /^-?\d+$/.test(raw) ? { value: Number(raw), error: null } : { value: undefined, error: tx.wholeNumber };
        case 'boolean':
          return { value: raw === 'true', error: null };
        case 'date':
          return Number.isNaN(Date.parse(raw)) ? { value: undefined, error: tx.invalidDate } : { value: raw, error: null };
        default:
          return { value: raw, error: null };
      }
    },
    setError(message, detail) {
      errorEl.hidden = !message;
      errorEl.textContent = message ?? '';
      if (message && detail) errorEl.title = detail;
      else errorEl.removeAttribute('title');
      row.classList.toggle('invalid', !!message);
      control.setAttribute('aria-invalid', message ? 'true' : 'false');
    },
    hasError: () => row.classList.contains('invalid'),
    focus: () => (control.querySelector('input') ?? control).focus(),
  };
}

/**
 * The served schema with each text field's pattern as its input carries it: the pattern is shown on
 * the element (data-pattern), and what the element says is what the page checks.
 */
function withElementPatterns(schema: Record<string, unknown>, rows: Row[]): Schema {
  const properties = { ...((schema.properties ?? {}) as Record<string, Record<string, unknown>>) };
  for (const r of rows) {
    const property = properties[r.field.id];
    if (!property || property.type !== 'string') continue;
    const { pattern: _served, ...rest } = property;
    const pattern = r.pattern();
    properties[r.field.id] = pattern ? { ...rest, pattern } : rest;
  }
  return { ...schema, properties } as Schema;
}

/** The field a problem is about: `#/applicantIinBin` → applicantIinBin. */
function fieldOf(unit: OutputUnit): string | undefined {
  const match = /^#\/([^/]+)$/.exec(unit.instanceLocation);
  return match ? decodeURIComponent(match[1]).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** A schema keyword's problem in the user's language (the detail comes from the field). */
function keywordProblem(field: FormField, keyword: string, value: unknown): string {
  const tx = t();
  switch (keyword) {
    case 'format': {
      if (field.iinBin === undefined) return tx.invalidPattern;
      const check = checkIinBin(value, field.iinBin === 'iin-or-bin' ? undefined : field.iinBin);
      return tx.iinBinProblem(check.valid ? 'kind' : (check.problem as IinBinProblem));
    }
    case 'pattern':
      return field.pattern === '^\\d{12}$' ? tx.iinPattern : `${tx.invalidPattern} (${field.pattern})`;
    case 'minLength':
      return tx.minLength(field.minlength ?? 0);
    case 'maxLength':
      return tx.maxLength(field.maxlength ?? 0);
    case 'minimum':
      return tx.minValue(field.min ?? 0);
    case 'maximum':
      return tx.maxValue(field.max ?? 0);
    case 'type':
      return field.type === 'long' ? tx.wholeNumber : field.type === 'date' ? tx.invalidDate : tx.invalidPattern;
    default:
      return tx.invalidPattern;
  }
}

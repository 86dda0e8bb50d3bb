import { ApiError, FormField } from './api';
import { h } from './dom';
import { t } from './i18n';

/**
 * A form generated from the diagram's form fields (type, required, pattern, length, range,
 * enumeration). It validates in the page; the server validates again and its 400 answer
 * (details.fields) is shown at the field it concerns.
 */
export interface GeneratedForm {
  element: HTMLFormElement;
  /** The typed values, or null when the page found errors (shown at the fields). */
  read(): Record<string, unknown> | null;
  showServerError(error: unknown): void;
  setDisabled(disabled: boolean): void;
}

export function generateForm(fields: FormField[], values: Record<string, unknown>, submitLabel: string, onSubmit: (variables: Record<string, unknown>) => Promise<void>): GeneratedForm {
  const tx = t();
  const general = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const rows = fields.map((field) => fieldRow(field, values[field.id]));
  const submit = h('button', { type: 'submit', class: 'primary', 'data-action': 'submit' }, submitLabel);
  const element = h('form', { class: 'generated-form', novalidate: true }, general, ...rows.map((r) => r.row), h('div', { class: 'form-actions' }, submit));

  const clearErrors = () => {
    general.hidden = true;
    general.textContent = '';
    for (const r of rows) r.setError(null);
  };

  const form: GeneratedForm = {
    element,
    read() {
      clearErrors();
      const result: Record<string, unknown> = {};
      let ok = true;
      for (const r of rows) {
        const { value, error } = r.read();
        r.setError(error);
        if (error) ok = false;
        else if (value !== undefined) result[r.field.id] = value;
      }
      if (!ok) {
        general.hidden = false;
        general.textContent = tx.formErrors;
        rows.find((r) => r.hasError())?.focus();
      }
      return ok ? result : null;
    },
    showServerError(error: unknown) {
      const e = error as ApiError;
      const problems = e?.details?.fields ?? [];
      const unplaced: string[] = [];
      for (const p of problems) {
        const row = rows.find((r) => r.field.id === p.field);
        if (row) row.setError(p.message);
        else unplaced.push(`${p.field}: ${p.message}`);
      }
      general.hidden = false;
      general.textContent = problems.length > 0 ? [tx.formErrors, ...unplaced].join(' ') : (e?.message ?? String(error));
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
  row: HTMLElement;
  read(): { value: unknown; error: string | null };
  setError(message: string | null): void;
  hasError(): boolean;
  focus(): void;
}

function fieldRow(field: FormField, current: unknown): Row {
  const tx = t();
  const id = `field-${field.id}`;
  const errorEl = h('div', { class: 'field-error', id: `${id}-error`, 'data-error-for': field.id, hidden: true });
  const label = h('label', { for: id }, field.label ?? field.id, field.required ? h('span', { class: 'required', title: tx.required }, ' *') : null);
  const initial = current !== undefined && current !== null ? current : field.defaultValue;
  let control: HTMLInputElement | HTMLSelectElement | HTMLElement;
  let getRaw: () => string;
  const common = { id, name: field.id, 'aria-describedby': `${id}-error`, 'data-field': field.id };

  if (field.type === 'enum') {
    const select = h('select', common, h('option', { value: '' }, tx.choose), ...(field.values ?? []).map((v) => h('option', { value: v.id }, v.name ?? v.id)));
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
  } else {
    const input = h('input', {
      ...common,
      type: field.type === 'long' ? 'number' : field.type === 'date' ? 'date' : 'text',
      step: field.type === 'long' ? 1 : undefined,
      // The pattern is also on the element, so the page's check reads what the element says.
      'data-pattern': field.pattern,
      inputmode: field.pattern && /\\d/.test(field.pattern) ? 'numeric' : undefined,
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
    read() {
      const raw = getRaw();
      if (raw === '') return { value: undefined, error: field.required ? tx.required : null };
      switch (field.type) {
        case 'long': {
          if (!/^-?\d+$/.test(raw)) return { value: undefined, error: tx.wholeNumber };
          const n = Number(raw);
          if (field.min !== undefined && n < field.min) return { value: undefined, error: tx.minValue(field.min) };
          if (field.max !== undefined && n > field.max) return { value: undefined, error: tx.maxValue(field.max) };
          return { value: n, error: null };
        }
        case 'boolean':
          return { value: raw === 'true', error: null };
        case 'date':
          return Number.isNaN(Date.parse(raw)) ? { value: undefined, error: tx.invalidDate } : { value: raw, error: null };
        case 'enum':
          return { value: raw, error: null };
        default: {
          const pattern = control.getAttribute('data-pattern');
          if (pattern && !new RegExp(pattern).test(raw)) return { value: undefined, error: pattern === '^\\d{12}$' ? tx.iinPattern : `${tx.invalidPattern} (${pattern})` };
          if (field.minlength !== undefined && raw.length < field.minlength) return { value: undefined, error: tx.minLength(field.minlength) };
          if (field.maxlength !== undefined && raw.length > field.maxlength) return { value: undefined, error: tx.maxLength(field.maxlength) };
          return { value: raw, error: null };
        }
      }
    },
    setError(message) {
      errorEl.hidden = !message;
      errorEl.textContent = message ?? '';
      row.classList.toggle('invalid', !!message);
      control.setAttribute('aria-invalid', message ? 'true' : 'false');
    },
    hasError: () => row.classList.contains('invalid'),
    focus: () => (control.querySelector('input') ?? control).focus(),
  };
}

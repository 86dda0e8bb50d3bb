/**
 * What the user typed into a page, kept across a re-render of the same page (a language switch redraws
 * the chrome and the labels): text, numbers, dates, choices, yes/no. Fields are matched by name; a
 * filter (data-filter) is the page's address, not typed input, and is left to the page.
 */
type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controls(root: ParentNode): Control[] {
  return [...root.querySelectorAll<Control>('input[name], select[name], textarea[name]')].filter((el) => !el.hasAttribute('data-filter'));
}

export type TypedInput = Map<string, string | boolean>;

/** The values of the named fields of a page (radio groups by their checked value, checkboxes as true/false). */
export function captureInput(root: ParentNode): TypedInput {
  const typed: TypedInput = new Map();
  for (const el of controls(root)) {
    if (el instanceof HTMLInputElement && el.type === 'radio') {
      if (el.checked) typed.set(`radio:${el.name}`, el.value);
    } else if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      typed.set(`checkbox:${el.name}:${el.value}`, el.checked);
    } else if (el.value !== '') {
      typed.set(`value:${el.name}`, el.value);
    }
  }
  return typed;
}

/** Puts captured values back into the fields of the same names that the new render drew. */
export function restoreInput(root: ParentNode, typed: TypedInput): void {
  for (const el of controls(root)) {
    if (el instanceof HTMLInputElement && el.type === 'radio') {
      const value = typed.get(`radio:${el.name}`);
      if (value !== undefined) el.checked = el.value === value;
    } else if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      const checked = typed.get(`checkbox:${el.name}:${el.value}`);
      if (typeof checked === 'boolean') el.checked = checked;
    } else {
      const value = typed.get(`value:${el.name}`);
      if (typeof value !== 'string') continue;
      if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) continue;
      el.value = value;
    }
  }
}

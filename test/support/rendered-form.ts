/** The few DOM members read here, as xmldom implements them: importing xmldom's own declarations would pull
 * TypeScript's DOM library into the whole compilation (they start with `reference lib="dom"`), and its fetch
 * and BufferSource types then reject Node's Buffers everywhere. */
interface XNode {
  nodeType: number;
  tagName: string;
  textContent: string | null;
  previousSibling: XNode | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  getElementsByTagName(name: string): ArrayLike<XNode>;
}
type Element = XNode;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DOMParser } = require('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: Record<string, (message: string) => void> }) => { parseFromString(text: string, type: string): { documentElement: XNode | null } };
};

/** One control of a Camunda generated form, as a client reads it (its annotations, label, options and current value). */
export interface RenderedControl {
  tag: string;
  name: string;
  varType: string | null;
  inputType: string | null;
  required: boolean;
  label: string;
  options: { value: string; label: string; selected: boolean }[];
  value: string | null;
  checked: boolean;
}

/**
 * Reads a `rendered-form` answer the way Operaton's webapps-neo does (TaskForm_helpers.js,
 * rendered_form_to_schema / rendered_form_variables; our own code): every input, select and
 * textarea carrying `cam-variable-name`, the label before it with the required `*` dropped. The
 * answer is parsed as XML first, so a form that is not well-formed XHTML fails here.
 */
export function readRenderedForm(xhtml: string): { formName: string | null; controls: RenderedControl[] } {
  const problems: string[] = [];
  const record = (message: string) => void problems.push(message);
  const doc = new DOMParser({ errorHandler: { error: record, fatalError: record } }).parseFromString(xhtml, 'text/xml');
  if (problems.length > 0) throw new Error(`rendered form is not well-formed: ${problems.join('; ')}\n${xhtml}`);
  const form = doc.documentElement;
  if (!form || form.tagName !== 'form') throw new Error(`rendered form: the root is <${form?.tagName}>, not <form>`);
  const controls: RenderedControl[] = [];
  const all = Array.from(form.getElementsByTagName('*')) as unknown as Element[];
  for (const element of all) {
    if (!['input', 'select', 'textarea'].includes(element.tagName) || !element.getAttribute('cam-variable-name')) continue;
    let label: Element | null = element.previousSibling as Element | null;
    while (label && label.nodeType !== 1) label = label.previousSibling as Element | null;
    // xmldom answers '' for an attribute that is not there.
    const attribute = (name: string) => (element.hasAttribute(name) ? element.getAttribute(name) : null);
    const options = element.tagName === 'select' ? (Array.from(element.getElementsByTagName('option')) as unknown as Element[]) : [];
    controls.push({
      tag: element.tagName,
      name: element.getAttribute('cam-variable-name')!,
      varType: attribute('cam-variable-type'),
      inputType: attribute('type'),
      required: element.hasAttribute('required'),
      label: label && label.tagName === 'label' ? (label.textContent ?? '').replace(/\s*\*+\s*$/, '').trim() : '',
      options: options.filter((o) => o.getAttribute('value') !== '').map((o) => ({ value: o.getAttribute('value') ?? '', label: (o.textContent ?? '').trim(), selected: o.hasAttribute('selected') })),
      value: element.tagName === 'textarea' ? (element.textContent ?? '') : attribute('value'),
      checked: element.hasAttribute('checked'),
    });
  }
  return { formName: form.getAttribute('name'), controls };
}

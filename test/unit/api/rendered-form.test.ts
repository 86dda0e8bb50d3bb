import type { FormField } from '../../../src/definitions/model';
import { renderForm } from '../../../src/api/engine-rest/rendered-form';
import { readRenderedForm } from '../../support/rendered-form';

/*
 * The generated form of each field type with its current value, as a Camunda 7 client reads it back
 * (cam-variable-type, value / checked / selected), and texts that would break the markup escaped.
 */
const fields: FormField[] = [
  { id: 'name', label: 'Аты <"&">', type: 'string', required: true, minlength: 2, maxlength: 50 },
  { id: 'count', label: 'Саны', type: 'long', required: false, min: 1, max: 9 },
  { id: 'approved', label: 'Келісілді', type: 'boolean', required: true },
  { id: 'on', label: 'Күні', type: 'date', required: false },
  { id: 'kind', label: 'Түрі', type: 'enum', required: true, values: [{ id: 'a', name: 'A & B' }, { id: 'b' }] },
  { id: 'reason', label: 'Себебі', type: 'string', required: false, multiline: true },
  { id: 'specialist', label: 'Маман', type: 'string', required: true, choices: { usersOfGroup: 'specialist' } },
];

const context = (values: Record<string, unknown>) => ({ elementId: 'step', texts: { 'step/kind/a': { kk: 'А және Б', en: 'A and B' } }, language: 'en' as const, values, membersOf: (group: string) => (group === 'specialist' ? [{ id: 'aigul', name: 'Айгүл С.' }, { id: 'bolat', name: 'Болат Т.' }] : []) });

describe('renderForm', () => {
  it('writes each current value where a client reads it, typed, with the diagram texts escaped', () => {
    const html = renderForm(fields, context({ name: 'O\'Brien <x>', count: 3, approved: true, on: '2026-12-05T00:00:00.000Z', kind: 'b', reason: 'a < b', specialist: 'bolat' }));
    const { controls } = readRenderedForm(html);
    expect(controls.map((c) => [c.name, c.tag, c.inputType, c.varType, c.required, c.value, c.checked])).toEqual([
      ['name', 'input', 'text', 'String', true, "O'Brien <x>", false],
      ['count', 'input', 'number', 'Long', false, '3', false],
      ['approved', 'input', 'checkbox', 'Boolean', true, null, true],
      ['on', 'input', 'date', 'Date', false, '2026-12-05', false],
      ['kind', 'select', null, 'String', true, null, false],
      ['reason', 'textarea', null, 'String', false, 'a < b', false],
      ['specialist', 'select', null, 'String', true, null, false],
    ]);
    // A users-of-group field chooses among the group's users, by name.
    expect(controls[6].options).toEqual([
      { value: 'aigul', label: 'Айгүл С.', selected: false },
      { value: 'bolat', label: 'Болат Т.', selected: true },
    ]);
    expect(controls[0].label).toBe('Аты <"&">');
    // The translation where there is one, else the diagram's name, else the id.
    expect(controls[4].options).toEqual([
      { value: 'a', label: 'A and B', selected: false },
      { value: 'b', label: 'b', selected: true },
    ]);
    expect(html).toContain('minlength="2"');
    expect(html).toContain('max="9"');
  });

  it('leaves untouched fields without a value and offers an empty choice for an enum with none', () => {
    const html = renderForm(fields, context({}));
    const { controls } = readRenderedForm(html);
    expect(controls.map((c) => [c.name, c.value, c.checked])).toEqual([
      ['name', null, false],
      ['count', null, false],
      ['approved', null, false],
      ['on', null, false],
      ['kind', null, false],
      ['reason', '', false],
      ['specialist', null, false],
    ]);
    expect(controls[4].options.every((o) => !o.selected)).toBe(true);
    expect(html).toMatch(/<select[^>]*name="kind"[^>]*><option value=""><\/option>/);
  });

  it('renders no field as an empty form', () => {
    expect(renderForm([], context({}))).toBe('<form name="generatedForm" role="form">\n</form>\n');
  });
});

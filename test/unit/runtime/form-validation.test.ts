import type { FormField } from '../../../src/definitions/model';
import { formJsonSchema, withChoices } from '../../../src/runtime/form-schema';
import { validateChoices, validateVariables } from '../../../src/runtime/form-validation';

const fields: FormField[] = [
  { id: 'applicantIinBin', label: 'ИИН/БИН', type: 'string', required: true, pattern: '^\\d{12}$' },
  { id: 'scannedDocuments', type: 'long', required: true, min: 1, max: 50 },
  { id: 'note', type: 'string', required: false, minlength: 2, maxlength: 5 },
  { id: 'channel', type: 'enum', required: false, values: [{ id: 'office' }, { id: 'egov' }] },
  { id: 'approved', type: 'boolean', required: false },
  { id: 'decidedOn', type: 'date', required: false },
];
const valid = { applicantIinBin: '960101300123', scannedDocuments: 2 };
/** A start form's IIN/BIN with the `iin-bin` constraint besides its pattern, as the diagrams declare it. */
const iinBinForm: FormField[] = [{ id: 'applicantIinBin', type: 'string', required: true, pattern: '^\\d{12}$', iinBin: 'iin-or-bin' }];

describe('a form as one JSON Schema, checked by ajv in the words of the field', () => {
  it('turns the fields into a strict JSON Schema', () => {
    expect(formJsonSchema(fields)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        applicantIinBin: { title: 'ИИН/БИН', type: 'string', pattern: '^\\d{12}$' },
        scannedDocuments: { type: 'integer', minimum: 1, maximum: 50 },
        note: { type: 'string', minLength: 2, maxLength: 5 },
        channel: { type: 'string', enum: ['office', 'egov'] },
        approved: { type: 'boolean' },
        decidedOn: { type: 'string', format: 'reglament-date' },
      },
      required: ['applicantIinBin', 'scannedDocuments'],
      additionalProperties: false,
    });
  });

  it.each([
    ['valid values', valid, []],
    ['an empty optional value is no value', { ...valid, note: '', channel: null }, []],
    ['a required field missing', { scannedDocuments: 2 }, [{ field: 'applicantIinBin', message: '"ИИН/БИН" is required' }]],
    ['a required field empty', { ...valid, scannedDocuments: '' }, [{ field: 'scannedDocuments', message: 'is required' }]],
    ['a pattern mismatch', { ...valid, applicantIinBin: '12345' }, [{ field: 'applicantIinBin', message: 'does not match the required pattern ^\\d{12}$' }]],
    ['a number as text', { ...valid, applicantIinBin: 123456789012 }, [{ field: 'applicantIinBin', message: 'must be a string' }]],
    ['a fraction', { ...valid, scannedDocuments: 1.5 }, [{ field: 'scannedDocuments', message: 'must be a whole number' }]],
    ['below min', { ...valid, scannedDocuments: 0 }, [{ field: 'scannedDocuments', message: 'must be at least 1' }]],
    ['above max', { ...valid, scannedDocuments: 51 }, [{ field: 'scannedDocuments', message: 'must be at most 50' }]],
    ['too short', { ...valid, note: 'a' }, [{ field: 'note', message: 'must have at least 2 characters' }]],
    ['too long', { ...valid, note: 'abcdef' }, [{ field: 'note', message: 'must have at most 5 characters' }]],
    ['an unlisted enum value', { ...valid, channel: 'fax' }, [{ field: 'channel', message: 'must be one of: office, egov' }]],
    ['a boolean as text', { ...valid, approved: 'yes' }, [{ field: 'approved', message: 'must be true or false' }]],
    ['a date that is none', { ...valid, decidedOn: 'tomorrow' }, [{ field: 'decidedOn', message: 'must be a date (ISO 8601)' }]],
    ['an undeclared name', { ...valid, decision: 'approve' }, [{ field: 'decision', message: expect.stringContaining('is not a field of this form (declared: applicantIinBin, scannedDocuments') }]],
    ['a reserved name', { ...valid, environment: 1 }, [{ field: 'environment', message: '"environment" is reserved by the engine and cannot be a variable name' }]],
    ['a name that is not an identifier', { ...valid, 'a-b': 1 }, [{ field: 'a-b', message: 'a variable name must be letters, digits and _ and not start with a digit' }]],
    ['variables as an array', [1], [{ field: 'variables', message: 'must be a JSON object of name -> value' }]],
  ])('%s', (_name, variables, problems) => {
    expect(validateVariables(fields, variables)).toEqual(problems);
  });

  it('names the undeclared fields in the order sent, then the fields in the order of the form', () => {
    const problems = validateVariables(fields, { zeta: 1, scannedDocuments: 0, alpha: 2 });
    expect(problems.map((p) => p.field)).toEqual(['zeta', 'alpha', 'applicantIinBin', 'scannedDocuments']);
  });

  it('stops a pattern that backtracks without end and makes it a problem of its field', () => {
    const catastrophic: FormField[] = [{ id: 'code', type: 'string', required: true, pattern: '^(a|a)*$' }];
    const started = Date.now();
    expect(validateVariables(catastrophic, { code: `${'a'.repeat(40)}b` })).toEqual([{ field: 'code', message: expect.stringMatching(/stopped after \d+ ms/) }]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('an iin-bin field: the control digit and the date part, checked by the form schema (issue 16)', () => {
  it('is a JSON-Schema format the browser checks too', () => {
    expect(formJsonSchema(iinBinForm)).toMatchObject({ properties: { applicantIinBin: { type: 'string', pattern: '^\\d{12}$', format: 'kz-iin-bin' } } });
    expect(formJsonSchema([{ ...iinBinForm[0], iinBin: 'bin' }])).toMatchObject({ properties: { applicantIinBin: { format: 'kz-bin' } } });
  });

  it.each([
    ['a valid BIN', '140540012346', null],
    ['a valid IIN', '850315300128', null],
    ['a BIN with one digit mistyped', '140540012345', /^must be an IIN or BIN: 140540012345: control digit 5 is wrong \(expected 6\)$/],
    ['an IIN born on 31 April', '850431300129', /is not a date/],
    ['twelve digits that are neither', '140580012344', /5th digit/],
  ])('%s', (_name, value, problem) => {
    const problems = validateVariables(iinBinForm, { applicantIinBin: value });
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([{ field: 'applicantIinBin', message: expect.stringMatching(problem) }]);
  });
});

describe('what a step produces: a conditional requirement and a choice among a group’s users (issue 17)', () => {
  const conclusion: FormField[] = [
    { id: 'conclusionPositive', type: 'boolean', required: true },
    { id: 'conclusionText', label: 'Дәлелді қорытынды', type: 'string', required: false, multiline: true, requiredIf: { field: 'conclusionPositive', value: 'false' } },
  ];
  const decision: FormField[] = [
    { id: 'decision', type: 'enum', required: true, values: [{ id: 'issued' }, { id: 'refused' }] },
    { id: 'refusalReason', type: 'string', required: false, requiredIf: { field: 'decision', value: 'refused' } },
  ];

  it.each([
    ['a negative conclusion without its text', conclusion, { conclusionPositive: false }, [{ field: 'conclusionText', message: '"Дәлелді қорытынды" is required' }]],
    ['a negative conclusion with an empty text', conclusion, { conclusionPositive: false, conclusionText: '' }, [{ field: 'conclusionText', message: '"Дәлелді қорытынды" is required' }]],
    ['a negative conclusion with its text', conclusion, { conclusionPositive: false, conclusionText: 'Теріс.\nСебебі.' }, []],
    ['a positive conclusion without text', conclusion, { conclusionPositive: true }, []],
    ['a refusal without its reason (an enum condition)', decision, { decision: 'refused' }, [{ field: 'refusalReason', message: 'is required' }]],
    ['an issue without a reason', decision, { decision: 'issued' }, []],
  ])('%s', (_what, form, values, problems) => {
    expect(validateVariables(form, values)).toEqual(problems);
  });

  it('states the condition in the schema the browser checks too', () => {
    expect(formJsonSchema(conclusion).allOf).toEqual([
      { if: { properties: { conclusionPositive: { const: false } }, required: ['conclusionPositive'] }, then: { properties: { conclusionText: true }, required: ['conclusionText'] } },
    ]);
    expect(formJsonSchema(decision).allOf).toEqual([expect.objectContaining({ if: { properties: { decision: { const: 'refused' } }, required: ['decision'] } })]);
  });

  const chooser: FormField[] = [{ id: 'responsibleSpecialist', type: 'string', required: true, choices: { usersOfGroup: 'specialist' } }];
  const members = (group: string) => (group === 'specialist' ? [{ id: 'aliya', name: 'Әлия' }, { id: 'sanzhar', name: 'Санжар' }] : []);

  it('serves the group’s current users as the choice, and the browser’s schema offers only them', () => {
    const served = withChoices(chooser, members);
    expect(served[0].values).toEqual([{ id: 'aliya', name: 'Әлия' }, { id: 'sanzhar', name: 'Санжар' }]);
    expect(formJsonSchema(served).properties).toEqual({ responsibleSpecialist: { type: 'string', enum: ['aliya', 'sanzhar'] } });
    // The form as deployed has no list: the server checks the members when the step completes.
    expect(formJsonSchema(chooser).properties).toEqual({ responsibleSpecialist: { type: 'string' } });
  });

  it.each([
    ['a user of the group', 'aliya', []],
    ['a user of another group', 'olga-office', [{ field: 'responsibleSpecialist', message: 'must be a user of group "specialist" (one of: aliya, sanzhar), not "olga-office"' }]],
    ['nobody given (the required check says so)', undefined, []],
  ])('checks the choice against the group as it is now: %s', (_what, value, problems) => {
    expect(validateChoices(chooser, value === undefined ? {} : { responsibleSpecialist: value }, members)).toEqual(problems);
  });

  it('a group without users refuses every choice, naming that', () => {
    expect(validateChoices(chooser, { responsibleSpecialist: 'aliya' }, () => [])).toEqual([{ field: 'responsibleSpecialist', message: 'must be a user of group "specialist" (the group has no users), not "aliya"' }]);
  });
});

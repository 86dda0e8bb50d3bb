import fs from 'node:fs';
import path from 'node:path';
import { camundaCall, cottonCaseAt } from '../support/camunda-client';
import { readRenderedForm } from '../support/rendered-form';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Camunda 7's generated forms on /engine-rest (issue 20): GET /task/{id}/rendered-form and
 * GET /process-definition/{id | key/{key}}/rendered-form answer the diagram's form as XHTML whose
 * controls carry cam-variable-name and cam-variable-type, a <select> with the options for an enum,
 * `required` and a `*` for required fields, labels in the language Accept-Language asks for (Kazakh
 * by default). A task without fields has an empty form, not a 404.
 */
const KEY = 'cotton-warehouse-license';
const translations = JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../processes/i18n/${KEY}.json`), 'utf8')).texts as Record<string, { kk: string; ru: string; en: string }>;
const text = (key: string, language: 'kk' | 'ru' | 'en') => translations[key][language];

describe('rendered forms on /engine-rest', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  const startForm = (headers: Record<string, string> = {}) => camundaCall(t, 'olga-office', 'GET', `/process-definition/key/${KEY}/rendered-form`, undefined, headers);

  it('renders the start form: a control per declared field, in order, typed, enums as selects with their options, required marked', async () => {
    const answer = await startForm();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/xhtml\+xml/);
    expect(answer.headers.get('content-language')).toBe('kk');
    const { formName, controls } = readRenderedForm(answer.text);
    expect(formName).toBe('generatedForm');
    const declared = (await t.call('olga-office', 'GET', `/process-definitions/${KEY}`)).body.startFormFields as { id: string }[];
    expect(controls.map((c) => c.name)).toEqual(declared.map((f) => f.id));

    const byName = Object.fromEntries(controls.map((c) => [c.name, c]));
    expect(byName.channel).toEqual({
      tag: 'select',
      name: 'channel',
      varType: 'String',
      inputType: null,
      required: false,
      label: text('application-received/channel', 'kk'),
      // The diagram's default is the selected option.
      options: ['portal', 'provider', 'office'].map((value) => ({ value, label: text(`application-received/channel/${value}`, 'kk'), selected: value === 'office' })),
      value: null,
      checked: false,
    });
    expect(byName.variant).toMatchObject({ tag: 'select', required: true, options: ['issue', 'reregister', 'duplicate'].map((value) => ({ value, label: text(`application-received/variant/${value}`, 'kk'), selected: false })) });
    expect(byName.applicantName).toMatchObject({ tag: 'input', inputType: 'text', varType: 'String', required: true, label: text('application-received/applicantName', 'kk'), value: null });
    expect(byName.signedRequest).toMatchObject({ tag: 'input', inputType: 'text', required: false });
    // The required marker is in the label (a client drops it and draws its own).
    expect(answer.text).toMatch(/<label for="variant">[^<]*<span class="required"[^>]*>\*<\/span><\/label>/);
    expect(answer.text).not.toMatch(/<label for="channel">[^<]*<span/);

    // By id: the same form of that version.
    const id = (await camundaCall(t, 'olga-office', 'GET', `/process-definition/key/${KEY}`)).body.id as string;
    const byId = await camundaCall(t, 'olga-office', 'GET', `/process-definition/${encodeURIComponent(id)}/rendered-form`);
    expect(byId.status).toBe(200);
    expect(byId.text).toBe(answer.text);
  });

  it.each([
    ['ru', 'ru'],
    ['en-GB,en;q=0.9,kk;q=0.5', 'en'],
    ['ru;q=0.4, en;q=0.8', 'en'],
    ['kk-KZ', 'kk'],
    ['de-DE', 'kk'],
  ] as const)('labels and option names follow Accept-Language %s (%s)', async (header, language) => {
    const answer = await startForm({ 'accept-language': header });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-language')).toBe(language);
    expect(answer.headers.get('vary')).toMatch(/Accept-Language/i);
    const byName = Object.fromEntries(readRenderedForm(answer.text).controls.map((c) => [c.name, c]));
    expect(byName.variant.label).toBe(text('application-received/variant', language));
    expect(byName.variant.options.map((o) => o.label)).toEqual(['issue', 'reregister', 'duplicate'].map((v) => text(`application-received/variant/${v}`, language)));
    expect(byName.applicantIinBin.label).toBe(text('application-received/applicantIinBin', language));
  });

  it("renders a task's form (the fields of form-variables), and an empty form for a task without fields", async () => {
    const { taskId: registerId, instanceId } = await cottonCaseAt(t, 'RF-EMPTY', 'register-application');
    const empty = await camundaCall(t, 'olga-office', 'GET', `/task/${registerId}/rendered-form`);
    expect(empty.status).toBe(200);
    expect(readRenderedForm(empty.text)).toEqual({ formName: 'generatedForm', controls: [] });

    const { taskId } = await cottonCaseAt(t, 'RF-CHECK', 'initial-check');
    const form = await camundaCall(t, 'sanzhar-specialist', 'GET', `/task/${taskId}/rendered-form`, undefined, { 'accept-language': 'en' });
    expect(form.status).toBe(200);
    expect(readRenderedForm(form.text).controls).toEqual([
      { tag: 'input', name: 'documentsComplete', varType: 'Boolean', inputType: 'checkbox', required: true, label: text('initial-check/documentsComplete', 'en'), options: [], value: null, checked: false },
    ]);
    // The same fields as form-variables, which a client reads beside it.
    const variables = await camundaCall(t, 'sanzhar-specialist', 'GET', `/task/${taskId}/form-variables`);
    expect(Object.keys(variables.body)).toEqual(['documentsComplete']);
    expect(variables.body.documentsComplete.type).toBe('Boolean');
    // A generated form: the task names no form key.
    expect((await camundaCall(t, 'sanzhar-specialist', 'GET', `/task/${taskId}`)).body.formKey).toBeNull();
    expect(instanceId).toEqual(expect.any(String));
  });

  it('refuses in Camunda error shape: unknown task or definition 404, a task of other groups 403, no credentials 401', async () => {
    const { taskId } = await cottonCaseAt(t, 'RF-REFUSE', 'register-application');
    expect(await camundaCall(t, 'olga-office', 'GET', '/task/no-such-task/rendered-form').then((r) => [r.status, r.body])).toEqual([404, { type: 'InvalidRequestException', message: 'No matching task with id no-such-task' }]);
    expect(await camundaCall(t, 'olga-office', 'GET', '/process-definition/nothing:1/rendered-form').then((r) => [r.status, r.body])).toEqual([404, { type: 'InvalidRequestException', message: 'No matching definition with id nothing:1' }]);
    expect(await camundaCall(t, 'olga-office', 'GET', '/process-definition/key/nothing/rendered-form').then((r) => [r.status, r.body])).toEqual([404, { type: 'InvalidRequestException', message: 'No matching process definition with key: nothing and no tenant-id' }]);
    const foreign = await camundaCall(t, 'nobody', 'GET', `/task/${taskId}/rendered-form`);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ type: 'AuthorizationException', message: expect.stringContaining(taskId) });
    expect((await camundaCall(t, null, 'GET', `/task/${taskId}/rendered-form`)).status).toBe(401);
  });
});

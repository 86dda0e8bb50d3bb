import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, tempDir, TestHost } from '../support/test-host';

/*
 * GET /api/process-definitions/{key}/translations and the titles of the definitions list: the Kazakh
 * text from the diagram, Russian and English from processes/i18n/<key>.json beside it. A translation
 * file is not a diagram: a broken one is a clear error where translations are served and never stops
 * a deployment.
 */
describe('translations of the diagrams through the API', () => {
  let t: TestHost;
  let dir: string;
  const file = () => path.join(dir, 'i18n', 'cotton-warehouse-license.json');
  const original = () => fs.readFileSync(path.resolve(__dirname, '../../processes/i18n/cotton-warehouse-license.json'), 'utf8');

  beforeAll(async () => {
    dir = tempDir('reglament-translations-');
    fs.cpSync(path.resolve(__dirname, '../../processes'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}readings`) });
    t = await startTestHost({ processesDir: dir });
  });
  afterAll(() => t.close());
  afterEach(() => fs.writeFileSync(file(), original()));

  it('serves every text of a version in kk (the diagram), ru and en, keyed by element, field and option', async () => {
    const answer = await t.call('office-user', 'GET', '/process-definitions/cotton-warehouse-license/translations');
    expect(answer.status).toBe(200);
    expect(answer.body.processDefinitionKey).toBe('cotton-warehouse-license');
    const texts = answer.body.texts as Record<string, { kk: string; ru?: string; en?: string }>;
    const start = Object.keys(texts).find((k) => k.endsWith('/channel'))!;
    expect(texts[start]).toEqual({ kk: expect.any(String), ru: expect.any(String), en: expect.any(String) });
    expect(texts[`${start}/office`].ru).toBe('Канцелярия услугодателя (в бумажном виде)');
    expect(Object.values(texts).every((n) => n.kk && n.ru && n.en)).toBe(true);

    const list = await t.call('office-user', 'GET', '/process-definitions');
    const cotton = list.body.find((d: { key: string }) => d.key === 'cotton-warehouse-license');
    expect(cotton.names.ru).toMatch(/^Выдача лицензии, переоформление/);
    expect(cotton.names.en).toMatch(/^Issuance, re-registration and duplicates/);
    expect(cotton.names.kk).toBe(cotton.name);
  });

  it('reads an edited file again without a restart; a translation made from another Kazakh text is not served', async () => {
    const edited = JSON.parse(original());
    const [titleKey] = Object.keys(edited.texts);
    edited.texts[titleKey].ru = 'Лицензия на хлопковые склады';
    const someTask = Object.keys(edited.texts).find((k) => k.startsWith('lane-'))!;
    edited.texts[someTask].kk = 'Басқа мәтін';
    fs.writeFileSync(file(), JSON.stringify(edited));
    fs.utimesSync(file(), new Date(), new Date(Date.now() + 60_000));
    const answer = await t.call('office-user', 'GET', '/process-definitions/cotton-warehouse-license/translations');
    expect(answer.body.texts[titleKey].ru).toBe('Лицензия на хлопковые склады');
    expect(answer.body.texts[someTask].ru).toBeUndefined();
    expect(answer.body.texts[someTask].kk).not.toBe('Басқа мәтін');
  });

  it('a broken file is a 500 naming the file and the field; the list stays in Kazakh and deploying still works', async () => {
    const broken = JSON.parse(original());
    const [titleKey] = Object.keys(broken.texts);
    delete broken.texts[titleKey].en;
    fs.writeFileSync(file(), JSON.stringify(broken));
    fs.utimesSync(file(), new Date(), new Date(Date.now() + 120_000));
    const answer = await t.call('office-user', 'GET', '/process-definitions/cotton-warehouse-license/translations');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('INVALID_TRANSLATIONS');
    expect(answer.body.error.message).toContain('cotton-warehouse-license.json');
    expect(answer.body.error.details).toEqual({ file: expect.stringContaining('cotton-warehouse-license.json'), field: `texts.${titleKey}.en` });

    const list = await t.call('office-user', 'GET', '/process-definitions');
    expect(list.status).toBe(200);
    const cotton = list.body.find((d: { key: string }) => d.key === 'cotton-warehouse-license');
    expect(cotton.names).toEqual({ kk: cotton.name });

    const source = fs.readFileSync(path.join(dir, 'cotton-warehouse-license.bpmn'), 'utf8').replace('</bpmn:definitions>', '<!-- changed --></bpmn:definitions>');
    const deployed = await t.call('admin', 'POST', '/deployments', { name: 'with a broken translation file', resources: [{ name: 'cotton-warehouse-license.bpmn', source }] });
    expect(deployed.status).toBe(201);
  });

  it('an unknown key is a 404', async () => {
    expect((await t.call('office-user', 'GET', '/process-definitions/no-such-process/translations')).status).toBe(404);
  });
});

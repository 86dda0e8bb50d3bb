import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../../../src/errors';
import { executableProcesses } from '../../../src/definitions/model';
import { findBpmnFiles } from '../../../src/definitions/lint/lint-files';
import { parseBpmn } from '../../../src/definitions/parse';
import { parseTranslationFile, TranslationFiles, translate, visibleTexts } from '../../../src/definitions/translations';

const processesDir = path.resolve(__dirname, '../../../processes');
const i18nDir = path.join(processesDir, 'i18n');

async function diagrams() {
  const result: { key: string; texts: ReturnType<typeof visibleTexts> }[] = [];
  for (const file of findBpmnFiles(processesDir)) {
    const { definitions } = await parseBpmn(fs.readFileSync(file, 'utf8'), file);
    for (const process of executableProcesses(definitions!)) result.push({ key: process.id, texts: visibleTexts(definitions!, process.id) });
  }
  return result;
}

describe('translations of the diagrams in processes/ (processes/i18n/<key>.json)', () => {
  it('every diagram has a translation file and every file a diagram', async () => {
    const keys = (await diagrams()).map((d) => d.key).sort();
    const files = fs.readdirSync(i18nDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(keys.length).toBeGreaterThanOrEqual(18);
    expect(files).toEqual(keys);
  });

  it('every user-visible text of every diagram has Russian and English made from its current Kazakh text', async () => {
    const missing: string[] = [];
    for (const { key, texts } of await diagrams()) {
      const file = new TranslationFiles(processesDir).read(key);
      const names = translate(texts, file);
      for (const text of texts) if (!names[text.key].ru || !names[text.key].en) missing.push(`${key}: ${text.key} (${text.kind}) "${text.kk}"${file?.texts[text.key] ? ` (translated from "${file.texts[text.key].kk}")` : ''}`);
    }
    expect(missing).toEqual([]);
  });

  it('no translation names an element, field or option the diagram no longer has', async () => {
    const stale: string[] = [];
    for (const { key, texts } of await diagrams()) {
      const keys = new Set(texts.map((t) => t.key));
      for (const entry of Object.keys(new TranslationFiles(processesDir).read(key)?.texts ?? {})) if (!keys.has(entry)) stale.push(`${key}: ${entry}`);
    }
    expect(stale).toEqual([]);
  });

  it('the texts a user sees include the process, its pool, lanes, nodes, named flows, form labels and options', async () => {
    const cotton = (await diagrams()).find((d) => d.key === 'cotton-warehouse-license')!;
    const kinds = new Set(cotton.texts.map((t) => t.kind));
    expect([...kinds].sort()).toEqual(['flowNode', 'formField', 'lane', 'option', 'participant', 'process', 'sequenceFlow']);
    expect(cotton.texts.find((t) => t.kind === 'option')!.key.split('/')).toHaveLength(3);
  });
});

describe('reading a translation file', () => {
  const good = { process: 'p', texts: { t1: { kk: 'Өтінішті тіркеу', ru: 'Регистрация заявления', en: 'Registration of the application' } } };

  it.each([
    ['not JSON', '{ "process": ', 'Translation file p.json: is not JSON'],
    ['a text without Russian', JSON.stringify({ process: 'p', texts: { t1: { kk: 'a', en: 'b' } } }), 'Translation file p.json, field texts.t1.ru:'],
    ['an empty English text', JSON.stringify({ process: 'p', texts: { t1: { kk: 'a', ru: 'b', en: ' ' } } }), 'Translation file p.json, field texts.t1.en: must be a non-empty English text'],
    ['an unknown language', JSON.stringify({ process: 'p', texts: { t1: { kk: 'a', ru: 'b', en: 'c', de: 'd' } } }), 'Translation file p.json, field texts.t1: has an unknown field "de"'],
    ['another process key', JSON.stringify({ ...good, process: 'q' }), 'Translation file p.json, field process: says "q", the file is for "p"'],
  ])('%s is an error naming the file and the field', (_case, content, message) => {
    let error: unknown;
    try {
      parseTranslationFile(content, 'p.json', 'p');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_TRANSLATIONS');
    expect((error as DomainError).message.startsWith(message)).toBe(true);
  });

  it('a translation applies only to the Kazakh text it was made from (whitespace aside)', () => {
    const file = parseTranslationFile(JSON.stringify(good), 'p.json', 'p');
    expect(translate([{ key: 't1', kk: 'Өтінішті  тіркеу', kind: 'flowNode' }], file).t1).toEqual({ kk: 'Өтінішті  тіркеу', ru: 'Регистрация заявления', en: 'Registration of the application' });
    expect(translate([{ key: 't1', kk: 'Өтінішті қабылдау', kind: 'flowNode' }], file).t1).toEqual({ kk: 'Өтінішті қабылдау' });
    expect(translate([{ key: 't2', kk: 'Басқа', kind: 'flowNode' }], file).t2).toEqual({ kk: 'Басқа' });
  });

  it('an edited file is read again without a restart; a missing file is no translation', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'translations-'));
    fs.mkdirSync(path.join(dir, 'i18n'));
    const files = new TranslationFiles(dir);
    expect(files.read('p')).toBeNull();
    const file = path.join(dir, 'i18n', 'p.json');
    fs.writeFileSync(file, JSON.stringify(good));
    expect(files.read('p')!.texts.t1.ru).toBe('Регистрация заявления');
    fs.writeFileSync(file, JSON.stringify({ ...good, texts: { t1: { ...good.texts.t1, ru: 'Регистрация обращения.' } } }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(files.read('p')!.texts.t1.ru).toBe('Регистрация обращения.');
    fs.writeFileSync(file, '{');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10000));
    expect(() => files.read('p')).toThrow(/Translation file .*p\.json: is not JSON/);
  });
});

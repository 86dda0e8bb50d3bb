import fs from 'node:fs';
import path from 'node:path';
import { en } from '../../../src/web/i18n/en';
import { kk } from '../../../src/web/i18n/kk';
import { ru } from '../../../src/web/i18n/ru';

/** Every history row the external tasks write (src/runtime/external-task*.ts) is said in words in the case history, in each language. */
describe('history of external tasks in the web app', () => {
  const sources = ['external-tasks.ts', 'external-task-projection.ts'].map((f) => fs.readFileSync(path.resolve(__dirname, '../../../src/runtime', f), 'utf8')).join('\n');
  const types = [...new Set([...sources.matchAll(/'(external-task-[a-z-]+)'/g)].map((m) => m[1]))].sort();

  it('finds the types in the sources', () => {
    expect(types).toEqual(expect.arrayContaining(['external-task-bpmn-error', 'external-task-cancelled', 'external-task-completed', 'external-task-created', 'external-task-failed', 'external-task-revived', 'external-task-unlocked']));
  });

  it.each([['kk', kk.events], ['ru', ru.events], ['en', en.events]] as [string, Record<string, string>][])('%s names each of them', (_lang, events) => {
    expect(types.filter((type) => !events[type])).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describeProcess } from '../../src/definitions/model';
import { parseBpmn } from '../../src/definitions/parse';
import { findBpmnFiles, lintFiles, readResources } from '../../src/definitions/lint/lint-files';
import { defaultProducedVariables, registeredHandlerNames } from '../../src/handlers';

const processesDir = path.resolve(__dirname, '../../processes');
const fixturesDir = path.resolve(__dirname, '../fixtures/time-limits');

describe('the diagrams in processes/', () => {
  it('lint clean: bpmnlint recommended plus the reglament rules (what npm run lint:bpmn checks)', async () => {
    const resources = readResources(findBpmnFiles(processesDir), processesDir);
    expect(resources.length).toBeGreaterThan(0);
    const result = await lintFiles(resources, { handlers: registeredHandlerNames(), producedVariables: defaultProducedVariables() });
    expect(result.problems).toEqual([]);
  });

  const fixtures = fs.readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

  it('every diagram with user tasks has a time-limit fixture transcribed from its seed', async () => {
    const withoutFixture: string[] = [];
    for (const file of findBpmnFiles(processesDir)) {
      const model = describeProcess((await parseBpmn(fs.readFileSync(file, 'utf8'))).definitions!);
      if (model.userTasks.size > 0 && !fixtures.includes(`${model.key}.json`)) withoutFixture.push(model.key);
    }
    expect(withoutFixture).toEqual([]);
  });
  it.each(fixtures)('every user task of %s has the time limit transcribed from the seed', async (fixtureFile) => {
    const key = fixtureFile.replace(/\.json$/, '');
    const expected: Record<string, { timeLimit: string }> = JSON.parse(fs.readFileSync(path.join(fixturesDir, fixtureFile), 'utf8'));
    const parsed = await parseBpmn(fs.readFileSync(path.join(processesDir, `${key}.bpmn`), 'utf8'));
    const model = describeProcess(parsed.definitions!);
    const actual = Object.fromEntries([...model.userTasks.values()].map((t) => [t.id, t.timeLimit]));
    expect(actual).toEqual(Object.fromEntries(Object.entries(expected).map(([id, v]) => [id, v.timeLimit])));
  });
});

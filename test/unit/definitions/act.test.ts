/**
 * The act a reglament implements, read from its process's `act.*` extension properties
 * (src/definitions/act.ts): what counts as complete and well-formed, what the model and the API get,
 * and that every reglament under processes/ names its act (reglament/act with requireAct).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActSchema } from '../../../src/api/schemas/resources';
import { ACT_KINDS, ACT_PROPERTIES, ACT_STATUSES, parseActReference, readAct } from '../../../src/definitions/act';
import { lintDefinition } from '../../../src/definitions/lint';
import { findBpmnFiles, lintFiles, readResources } from '../../../src/definitions/lint/lint-files';
import { describeProcess } from '../../../src/definitions/model';
import { parseBpmn } from '../../../src/definitions/parse';
import { defaultProducedVariables, registeredHandlerNames } from '../../../src/handlers/index';

const FIXTURES = join(__dirname, '../../fixtures/lint/act');
const PROCESSES = join(__dirname, '../../../processes');

const COMPLETE: Record<string, string> = {
  'act.body': 'Астана қаласы әкімдігі',
  'act.kind': 'resolution',
  'act.number': '102-1249',
  'act.date': '2014-08-05',
  'act.registration': '838',
  'act.status': 'repealed',
  'act.repealedBy': 'resolution No 102-234 of 2016-02-09',
  'act.annex': 'only',
};

const with_ = (changes: Record<string, string | undefined>) => {
  const map = new Map(Object.entries({ ...COMPLETE, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return readAct(map);
};

describe('readAct', () => {
  it('reads a complete act, with the references parsed', () => {
    expect(with_({ 'act.amends': 'resolution No 306 of 2015-10-02', 'act.body.en': 'Akimat of Astana' })).toEqual({
      present: true,
      problems: [],
      act: {
        body: 'Астана қаласы әкімдігі',
        bodyEn: 'Akimat of Astana',
        kind: 'resolution',
        number: '102-1249',
        date: '2014-08-05',
        registration: '838',
        status: 'repealed',
        repealedBy: { kind: 'resolution', number: '102-234', date: '2016-02-09' },
        annex: 'only',
        amends: { kind: 'resolution', number: '306', date: '2015-10-02' },
      },
    });
  });

  it('says nothing about a process without act properties', () => {
    expect(readAct(new Map([['serviceTimeLimit', '7 working days']]))).toEqual({ present: false, problems: [] });
  });

  it.each([
    ['a missing kind', { 'act.kind': undefined }, '"act.kind" is missing'],
    ['a blank number', { 'act.number': '  ' }, '"act.number" is missing'],
    ['an unknown kind', { 'act.kind': 'qaulysy' }, '"act.kind" is "qaulysy", not one of order, resolution, decree, law'],
    ['an impossible date', { 'act.date': '2014-02-29' }, '"act.date" is "2014-02-29", not a date YYYY-MM-DD'],
    ['a registration date in another format', { 'act.registrationDate': '5.09.2014' }, '"act.registrationDate" is "5.09.2014", not a date YYYY-MM-DD'],
    ['an unknown status', { 'act.status': 'lapsed' }, '"act.status" is "lapsed", not one of in-force, repealed'],
    ['a repealed act with no repealing act', { 'act.repealedBy': undefined }, '"act.status" is "repealed" but "act.repealedBy" does not name the repealing act'],
    ['an act in force that names a repealing act', { 'act.status': 'in-force' }, '"act.status" is "in-force" yet "act.repealedBy" is set'],
    ['an annex written in words', { 'act.annex': 'annex 2' }, '"act.annex" is "annex 2": write the annex number, "only" (the act\'s single annex) or "none" (the act\'s own text)'],
    ['a misspelt property', { 'act.registartion': '838' }, expect.stringContaining('unknown property "act.registartion"')],
  ])('refuses %s, naming the property', (_case, changes, problem) => {
    const reading = with_(changes as Record<string, string | undefined>);
    expect(reading.act).toBeUndefined();
    expect(reading.problems).toEqual([problem]);
  });
});

describe('parseActReference', () => {
  it.each([
    ['order No 527 of 2020-10-13', { kind: 'order', number: '527', date: '2020-10-13' }],
    ['resolution No 102-234 of 2016-02-09', { kind: 'resolution', number: '102-234', date: '2016-02-09' }],
    ['order 527 of 13.10.2020', expect.stringContaining('write "<kind> No <number> of <YYYY-MM-DD>"')],
    ['ukaz No 1 of 2020-01-01', 'kind "ukaz" is not one of order, resolution, decree, law'],
    ['order No 1 of 2020-13-01', '"2020-13-01" is not a date YYYY-MM-DD'],
  ])('%s', (text, expected) => {
    expect(parseActReference(text)).toEqual(expected);
  });
});

describe('reglament/act with requireAct', () => {
  async function lint(file: string, requireAct: boolean) {
    const parsed = await parseBpmn(readFileSync(join(FIXTURES, file), 'utf8'), file);
    return lintDefinition(parsed, { file, handlers: [], processKeys: [], onlyRules: ['reglament/act'], requireAct });
  }

  it('refuses a startable process without an act only when asked to', async () => {
    const xml = readFileSync(join(__dirname, '../../fixtures/lint/startable/valid-groups.bpmn'), 'utf8');
    const parsed = await parseBpmn(xml, 'reglament.bpmn');
    const names = Object.values(ACT_PROPERTIES).filter((name) => ['act.body', 'act.kind', 'act.number', 'act.date', 'act.registration', 'act.status', 'act.annex'].includes(name));
    expect(await lintDefinition(parsed, { handlers: [], processKeys: [], onlyRules: ['reglament/act'] })).toEqual([]);
    const problems = await lintDefinition(parsed, { file: 'reglament.bpmn', handlers: [], processKeys: [], onlyRules: ['reglament/act'], requireAct: true });
    expect(problems.map((p) => [p.elementId, p.severity, p.message])).toEqual([
      ['reglament', 'error', `Process "reglament" does not name the act it implements: set the extension properties ${names.join(', ')} (and act.repealedBy when repealed) on the process`],
    ]);
  });

  it.each(['valid-called.bpmn', 'valid-complete.bpmn', 'valid-amending-in-force.bpmn'])('accepts %s when the act is required', async (file) => {
    expect(await lint(file, true)).toEqual([]);
  });

  it('finds every reglament under processes/ with its act, and the shared flows need none', async () => {
    const resources = readResources(findBpmnFiles(PROCESSES));
    const result = await lintFiles(resources, { handlers: registeredHandlerNames(), producedVariables: defaultProducedVariables(), requireAct: true });
    expect(result.problems.filter((p) => p.rule === 'reglament/act')).toEqual([]);
    const withAct: string[] = [];
    for (const resource of resources) {
      const model = describeProcess((await parseBpmn(resource.source, resource.name)).definitions!);
      if (model.act) withAct.push(model.key);
      expect(model.startableInTasklist).toBe(model.act !== undefined);
    }
    expect(withAct).toHaveLength(13);
  });
});

describe('describeProcess', () => {
  it('gives the model the act of the cotton reglament', async () => {
    const parsed = await parseBpmn(readFileSync(join(PROCESSES, 'cotton-warehouse-license.bpmn'), 'utf8'));
    expect(describeProcess(parsed.definitions!).act).toMatchObject({
      body: 'Астана қаласы әкімдігі',
      bodyRu: 'Акимат города Астаны',
      bodyEn: 'Akimat of Astana',
      kind: 'resolution',
      number: '102-1249',
      date: '2014-08-05',
      registration: '838',
      registrationDate: '2014-09-05',
      status: 'repealed',
      repealedBy: { kind: 'resolution', number: '102-234', date: '2016-02-09' },
      annex: 'only',
      textFile: '002_83683e9406adde34.txt',
    });
  });

  it('leaves the act out when a property is malformed (the linter refuses such a diagram)', async () => {
    const parsed = await parseBpmn(readFileSync(join(FIXTURES, 'invalid-malformed.bpmn'), 'utf8'));
    expect(describeProcess(parsed.definitions!).act).toBeUndefined();
  });
});

describe('the API schema', () => {
  it('admits exactly the kinds and statuses the reader does', () => {
    // The schema module imports zod only, so it spells the lists out; they must not drift.
    expect(ActSchema.shape.kind.options).toEqual([...ACT_KINDS]);
    expect(ActSchema.shape.status.options).toEqual([...ACT_STATUSES]);
  });
});

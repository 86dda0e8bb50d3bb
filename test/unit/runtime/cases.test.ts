import fs from 'node:fs';
import path from 'node:path';
import { describeProcess } from '../../../src/definitions/model';
import { parseBpmn } from '../../../src/definitions/parse';
import { APPLICANT_VARIABLES, applicantOf, foldForSearch } from '../../../src/runtime/applicant';
import { caseNumberPrefix, caseYear, formatCaseNumber, givenCaseNumber } from '../../../src/runtime/case-number';

/* Issue 16: the case number's form and the applicant projection of the case list (runtime/). */
const PROCESSES = path.resolve(__dirname, '../../../processes');

describe('case numbers', () => {
  it.each([
    ['cotton-warehouse-license', 'CWL'],
    ['weapon-registration', 'WR'],
    ['intl-technical-inspection-certificate', 'ITIC'],
    ['a--b__c', 'ABC'],
    ['---', 'CASE'],
  ])('the prefix of %s is %s', (key, prefix) => {
    expect(caseNumberPrefix(key)).toBe(prefix);
  });

  it('is <prefix>-<year>-<6-digit sequence>, the year in Almaty', () => {
    expect(formatCaseNumber('cotton-warehouse-license', 2026, 42)).toBe('CWL-2026-000042');
    expect(formatCaseNumber('weapon-registration', 2026, 1234567)).toBe('WR-2026-1234567');
    // 31 December 20:00 UTC is already 1 January in Almaty (UTC+5).
    expect(caseYear(new Date('2025-12-31T20:00:00Z'))).toBe(2026);
    expect(caseYear(new Date('2025-12-31T18:00:00Z'))).toBe(2025);
  });

  it.each([
    [undefined, null],
    [null, null],
    ['', null],
    ['   ', null],
    [' CWL-1 ', 'CWL-1'],
  ])('a given number %j is %j (empty: generated)', (given, expected) => {
    expect(givenCaseNumber(given)).toBe(expected);
  });
});

describe('the applicant of a case', () => {
  it.each([
    ['name and IIN/BIN', { applicantName: '  ТОО «Мақта Терминал» ', applicantIinBin: '140540012346' }, { applicantName: 'ТОО «Мақта Терминал»', applicantIinBin: '140540012346', applicantSearch: 'тоо «мақта терминал»' }],
    ['none named', { other: 1 }, { applicantName: null, applicantIinBin: null, applicantSearch: null }],
    ['values that are no text', { applicantName: 42, applicantIinBin: '' }, { applicantName: null, applicantIinBin: null, applicantSearch: null }],
  ])('%s', (_name, variables, expected) => {
    expect(applicantOf(variables)).toEqual(expected);
  });

  it('folds Kazakh and Russian letters for a case-insensitive search', () => {
    expect(foldForSearch('ҚАЗАҚСТАН  Ұлттық  ӨҢІРЛІК')).toBe('қазақстан ұлттық өңірлік');
    expect(foldForSearch('ЁЛКА Шығыс')).toBe('ёлка шығыс');
  });

  it("is named by the variables every reglament's start form declares, the IIN/BIN checked by iin-bin", async () => {
    const reglaments = [];
    for (const file of fs.readdirSync(PROCESSES).filter((f) => f.endsWith('.bpmn'))) {
      const parsed = await parseBpmn(fs.readFileSync(path.join(PROCESSES, file), 'utf8'), file);
      const model = describeProcess(parsed.definitions!);
      if (!model.startableInTasklist) continue;
      reglaments.push(model.key);
      const fields = new Map(model.startFormFields.map((f) => [f.id, f]));
      expect({ key: model.key, name: fields.get(APPLICANT_VARIABLES.name)?.type, iinBin: fields.get(APPLICANT_VARIABLES.iinBin)?.iinBin }).toEqual({ key: model.key, name: 'string', iinBin: 'iin-or-bin' });
    }
    expect(reglaments.length).toBeGreaterThanOrEqual(13);
  });
});

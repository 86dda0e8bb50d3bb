/**
 * processes/README.md's catalog table is generated (scripts/catalog-table.ts) from each diagram's act
 * properties and its readings file; the committed table must be what they give today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actCell, catalogTable, readingsRow, TABLE_END, TABLE_START, withTable } from '../../scripts/catalog-table';

const PROCESSES = join(__dirname, '../../processes');

it('the catalog table in processes/README.md is current (else: node dist/scripts/catalog-table.js --write)', async () => {
  const readme = readFileSync(join(PROCESSES, 'README.md'), 'utf8');
  expect(readme).toBe(withTable(readme, await catalogTable(PROCESSES)));
});

it('lists the 13 reglaments, each act from its diagram', async () => {
  const rows = (await catalogTable(PROCESSES)).split('\n').slice(2);
  expect(rows).toHaveLength(13);
  const cotton = rows.find((row) => row.startsWith('| `cotton-warehouse-license` |'));
  expect(cotton).toContain('| Akimat of Astana, resolution No 102-1249 of 5 Aug 2014 (reg. No 838 of 5 Sep 2014; repealed by resolution No 102-234 of 9 Feb 2016), its only annex, seed `002_83683e9406adde34.txt` |');
});

describe('actCell', () => {
  const base = { body: 'Атырау облысы әкімдігі', kind: 'resolution', number: '307', date: '2017-11-21', registration: '4006' } as const;
  it.each([
    ['in force, numbered annex, no English body', { ...base, status: 'in-force', annex: '2' }, 'Атырау облысы әкімдігі, resolution No 307 of 21 Nov 2017 (reg. No 4006; in force), annex 2'],
    [
      'repealed, amending, in the act\'s own text',
      { ...base, bodyEn: 'Akimat of Atyrau oblast', status: 'repealed', repealedBy: { kind: 'resolution', number: '304', date: '2019-12-25' }, amends: { kind: 'resolution', number: '306', date: '2015-10-02' }, annex: 'none', textFile: '004.txt' },
      'Akimat of Atyrau oblast, resolution No 307 of 21 Nov 2017 (reg. No 4006; repealed by resolution No 304 of 25 Dec 2019), amending resolution No 306 of 2 Oct 2015, in the act\'s own text, seed `004.txt`',
    ],
  ] as const)('%s', (_case, act, cell) => {
    expect(actCell(act as Parameters<typeof actCell>[0])).toBe(cell);
  });
});

describe('readingsRow', () => {
  const text = ['Catalog row:', '', '| key | English title | annex | channels | steps | total legal time |', '|---|---|---|---|---|---|', '| `k` | Title | Annex 1 | portal | 4 | 1 day |', ''].join('\n');
  it('takes the cells by their header', () => {
    expect(readingsRow(text, 'k', 'k.md')).toEqual({ key: '`k`', 'English title': 'Title', annex: 'Annex 1', channels: 'portal', steps: '4', 'total legal time': '1 day' });
  });
  it.each([
    ['no row for the key', text.replace('`k`', '`other`'), 'k.md: no catalog row for `k`'],
    ['a missing column', text.replace('| channels ', '| channel ').replace('|---|---|---|---|---|---|', '|---|---|---|---|---|---|'), 'k.md: the catalog row of `k` has no column "channels"'],
  ])('names the file when there is %s', (_case, broken, message) => {
    expect(() => readingsRow(broken, 'k', 'k.md')).toThrow(message);
  });
});

it('refuses a README without the markers', () => {
  expect(() => withTable('# Processes\n', '| t |')).toThrow(TABLE_START);
  expect(withTable(`a\n${TABLE_START}\nold\n${TABLE_END}\nb`, 'new')).toBe(`a\n${TABLE_START}\nnew\n${TABLE_END}\nb`);
});

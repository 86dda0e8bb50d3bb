/**
 * Loading config/calendar/*.json: every mistake an administrator can make is refused with the file and
 * the line at fault. The files are written to a temp folder; the faulty line is found by a marker so
 * that the expected line number follows the fixture when it is edited.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CalendarDataError, DEFAULT_CALENDAR_FILE, loadCalendar, readCalendarConfig } from '../../../src/calendar/business-calendar';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reglament-calendar-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WEEK = [
  '  "workingHours": {',
  '    "mon": ["09:00-13:00", "14:00-18:00"],',
  '    "tue": ["09:00-13:00", "14:00-18:00"],',
  '    "wed": ["09:00-13:00", "14:00-18:00"],',
  '    "thu": ["09:00-13:00", "14:00-18:00"],',
  '    "fri": ["09:00-13:00", "14:00-18:00"],',
  '    "sat": [],',
  '    "sun": []',
  '  },',
];

/** A valid file; `year` lines go inside "years"."2026". */
function calendarText(year: string[], extra: string[] = []): string {
  return [
    '{',
    '  "zone": "UTC+5",',
    ...WEEK,
    ...extra,
    '  "holidays": [',
    '    { "date": "01-01", "note": "New Year" },',
    '    { "date": "01-07", "substitute": false, "note": "Orthodox Christmas" }',
    '  ],',
    '  "years": {',
    '    "2026": {',
    ...year,
    '    }',
    '  }',
    '}',
  ].join('\n');
}

let counter = 0;
function write(text: string): string {
  const file = path.join(dir, `calendar-${++counter}.json`);
  writeFileSync(file, text);
  return file;
}

function lineOf(text: string, marker: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`marker ${marker} not in fixture`);
  return index + 1;
}

function loadError(file: string): CalendarDataError {
  try {
    loadCalendar({ file });
  } catch (error) {
    if (error instanceof CalendarDataError) return error;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('valid data', () => {
  it('the shipped config/calendar/kz.json loads', () => {
    const config = readCalendarConfig();
    expect(DEFAULT_CALENDAR_FILE).toMatch(/config[\\/]calendar[\\/]kz\.json$/);
    expect(config.zone).toBe('UTC+5');
    expect(config.years.get(2026)?.daysOff.map((d) => d.date)).toContain('2026-05-27');
    expect([...config.years.values()].some((year) => year.workingDays.length > 0)).toBe(true);
  });

  it('a file with a transferred working Saturday loads and the Saturday gets the usual hours', () => {
    const file = write(
      calendarText([
        '      "note": "test decree",',
        '      "daysOff": [{ "date": "2026-05-08", "note": "moved from Saturday 16.05" }],',
        '      "workingDays": [{ "date": "2026-05-16", "note": "working Saturday" }]',
      ]),
    );
    const calendar = loadCalendar({ file });
    expect(calendar.isWorkingDay(new Date('2026-05-16T05:00:00Z'))).toBe(true);
    expect(calendar.isWorkingDay(new Date('2026-05-08T05:00:00Z'))).toBe(false);
    expect(calendar.endOfWorkingDay(new Date('2026-05-16T05:00:00Z'))).toEqual(new Date('2026-05-16T13:00:00Z'));
  });

  it('accepts a byte-order mark and CRLF line ends', () => {
    const file = write('\uFEFF' + calendarText(['      "daysOff": []']).replace(/\n/g, '\r\n'));
    expect(() => loadCalendar({ file })).not.toThrow();
  });
});

describe('invalid data names the file and the line', () => {
  const BOTH = calendarText([
    '      "daysOff": [',
    '        { "date": "2026-05-08", "note": "bridge" }',
    '      ],',
    '      "workingDays": [',
    '        { "date": "2026-05-09", "note": "ok" },',
    '        { "date": "2026-05-08", "note": "MARK" }',
    '      ]',
  ]);
  const TWICE = calendarText([
    '      "daysOff": [',
    '        { "date": "2026-05-08", "note": "first" },',
    '        { "date": "2026-05-08", "note": "MARK" }',
    '      ]',
  ]);
  const cases: [name: string, text: string, marker: string, reason: string][] = [
    [
      'bad JSON: trailing comma',
      calendarText(['      "daysOff": [', '        { "date": "2026-05-08", "note": "x" },', '      ] // MARK']),
      'MARK',
      'invalid JSON: trailing comma before "]"',
    ],
    [
      'bad JSON: missing comma',
      calendarText(['      "note": "a"', '      "daysOff": [] // MARK']),
      'MARK',
      'invalid JSON: expected "," or "}" but found character "\\""',
    ],
    [
      'bad JSON: unterminated string',
      calendarText(['      "note": "never closed // MARK']),
      'MARK',
      'invalid JSON: unterminated string (strings cannot span lines)',
    ],
    [
      'bad JSON: a comment',
      calendarText([], ['  // MARK the zone above is Astana time']),
      'MARK',
      'invalid JSON: comments are not allowed in JSON',
    ],
    [
      'bad JSON: text after the document',
      `${calendarText([])}\n} // MARK`,
      'MARK',
      'invalid JSON: unexpected character "}" after the end of the document',
    ],
    [
      'duplicate key',
      calendarText([], ['  "zone": "UTC+6", "MARK": 0,']),
      'MARK',
      'invalid JSON: duplicate key "zone" (first at line 2)',
    ],
    [
      'bad date',
      calendarText(['      "daysOff": [', '        { "note": "no such day",', '          "date": "2026-02-30" }', '      ]']),
      '2026-02-30',
      '"2026-02-30" is not a valid date; expected "YYYY-MM-DD"',
    ],
    [
      'date written the other way round',
      calendarText(['      "daysOff": [{ "date": "27.05.2026", "note": "Kurban ait" }]']),
      '27.05.2026',
      '"27.05.2026" is not a valid date; expected "YYYY-MM-DD"',
    ],
    [
      'date under the wrong year',
      calendarText(['      "daysOff": [{ "date": "2027-05-16", "note": "Kurban ait" }]']),
      '2027-05-16',
      '2027-05-16 is listed under year 2026',
    ],
    [
      'a date both a day off and a working day',
      BOTH,
      'MARK',
      `2026-05-08 is listed both in daysOff (line ${lineOf(BOTH, 'bridge')}) and in workingDays`,
    ],
    [
      'a date twice in the same list',
      TWICE,
      'MARK',
      `2026-05-08 is listed twice in daysOff (line ${lineOf(TWICE, 'first')})`,
    ],
    [
      'unknown key in a year',
      calendarText(['      "dayOff": []']),
      'dayOff',
      'unknown key "dayOff"; allowed here: note, daysOff, workingDays',
    ],
    [
      'unknown key at the top',
      calendarText([], ['  "timezone": "Asia/Almaty",']),
      'timezone',
      'unknown key "timezone"; allowed here: note, zone, workingHours, holidays, years',
    ],
    [
      'unknown key in an entry',
      calendarText(['      "daysOff": [{ "date": "2026-05-08", "note": "x", "hours": ["09:00-13:00"] }]']),
      'hours',
      'unknown key "hours"; allowed here: date, note, confirmed',
    ],
    [
      'entry without a note',
      calendarText(['      "daysOff": [', '        { "date": "2026-05-08" }', '      ]']),
      '"2026-05-08" }',
      'missing "note" (say where the entry comes from, e.g. the decree)',
    ],
    [
      'year key that is not a year',
      calendarText([], []).replace('"2026": {', '"y2026": {'),
      'y2026',
      '"y2026" is not a year; keys of "years" are years like "2026"',
    ],
    [
      'bad working hours',
      calendarText([]).replace('"tue": ["09:00-13:00", "14:00-18:00"]', '"tue": ["09:00-13:00", "18:00-14:00"]'),
      '"tue"',
      '"18:00-14:00" is not a period; expected "HH:MM-HH:MM" with the start before the end, e.g. "09:00-13:00"',
    ],
    [
      'overlapping working hours',
      calendarText([]).replace('"wed": ["09:00-13:00", "14:00-18:00"]', '"wed": ["09:00-13:00", "12:00-18:00"]'),
      '"wed"',
      '"12:00-18:00" overlaps or precedes the previous period; list periods in order, without overlaps',
    ],
    [
      'unknown zone',
      calendarText([]).replace('"zone": "UTC+5"', '"zone": "Asia/Alma-Ata-City"'),
      '"zone"',
      'unknown time zone "Asia/Alma-Ata-City"; use a fixed offset like "UTC+5" or an IANA name like "Asia/Almaty"',
    ],
    [
      'recurring holiday on 29 February',
      calendarText([]).replace('"date": "01-01"', '"date": "02-29"'),
      '02-29',
      '"02-29" is not a recurring date; expected "MM-DD" (not 02-29)',
    ],
    [
      'a confirmed mark that is not true/false',
      calendarText(['      "daysOff": [', '        { "date": "2026-05-27", "note": "Kurban ait", "confirmed": "no" }', '      ]']),
      '"confirmed"',
      'expected true or false, found a string',
    ],
    [
      'wrong type',
      calendarText(['      "daysOff": { "date": "2026-05-08", "note": "x" }']),
      '"daysOff"',
      'expected a list of days, found an object',
    ],
  ];

  it.each(cases)('%s', (_name, text, marker, reason) => {
    const file = write(text);
    const error = loadError(file);
    const line = lineOf(text, marker);
    expect(error.reason).toBe(reason);
    expect(error.file).toBe(file);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`${file}, line ${line}`);
    expect(error.message).toContain(reason);
  });

  it('names the day of the week that is missing, at the line of workingHours', () => {
    const text = calendarText([]).replace('    "sun": []', '    "note": "no sunday"');
    const error = loadError(write(text));
    expect(error.reason).toBe('missing "sun"; list all seven days (use [] for a day off)');
    expect(error.line).toBe(lineOf(text, '"workingHours"'));
  });

  it('names the path inside the file', () => {
    const text = calendarText(['      "daysOff": [{ "date": "x", "note": "n" }]']);
    const error = loadError(write(text));
    expect(error.path).toBe('years.2026.daysOff[0].date');
    expect(error.message).toMatch(/, line \d+ \(years\.2026\.daysOff\[0\]\.date\): /);
  });

  it('reports a file that cannot be read', () => {
    const missing = path.join(dir, 'missing.json');
    const error = loadError(missing);
    expect(error.file).toBe(missing);
    expect(error.line).toBeUndefined();
    expect(error.message).toContain(`Calendar data error in ${missing}: cannot read the file`);
  });

  it('does not blame the file for a bad value given in code', () => {
    const file = write(calendarText([]));
    let error: unknown;
    try {
      loadCalendar({ file, config: { zone: 'Nowhere/City' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as CalendarDataError).file).toBeUndefined();
    expect((error as Error).message).toBe(
      'Calendar data error in calendar configuration given in code (zone): unknown time zone "Nowhere/City"; use a fixed offset like "UTC+5" or an IANA name like "Asia/Almaty"',
    );
  });
});

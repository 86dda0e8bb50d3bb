import { civilDate, inForcePeriods, versionInForce, VersionDates } from '../../../src/definitions/in-force';

/** Versions as deployed: number, in-force date (or none), deployment time. */
const v = (version: number, inForceFrom: string | null): VersionDates => ({ version, inForceFrom, deployedAt: '2026-11-01T05:00:00.000Z' });

describe('which version applies to an application filed on a date', () => {
  it.each([
    ['no dates: the latest', [v(1, null), v(2, null)], '2026-12-30', 2],
    ['an amendment not yet in force', [v(1, null), v(2, '2027-01-01')], '2026-12-31', 1],
    ['the amendment on its first day', [v(1, null), v(2, '2027-01-01')], '2027-01-01', 2],
    ['a correction dated in the past replaces at once', [v(1, null), v(2, '2026-01-01')], '2026-12-30', 2],
    ['two amendments, the first in force', [v(1, null), v(2, '2027-01-01'), v(3, '2027-07-01')], '2027-03-01', 2],
    ['an undated fix after a dated amendment shadows it (documented)', [v(1, null), v(2, '2027-01-01'), v(3, null)], '2027-03-01', 3],
    ['every version still to come', [v(1, '2030-01-01')], '2026-12-30', undefined],
  ])('%s', (_name, versions, date, expected) => {
    expect(versionInForce(versions, date)?.version).toBe(expected);
  });

  it.each([
    ['one undated version', [v(1, null)], [{ version: 1, from: null, until: null }]],
    [
      'an amendment waiting',
      [v(1, null), v(2, '2027-01-01')],
      [
        { version: 1, from: null, until: '2026-12-31' },
        { version: 2, from: '2027-01-01', until: null },
      ],
    ],
    [
      'a dated version replaced before its date never applies',
      [v(1, null), v(2, '2027-07-01'), v(3, '2027-01-01')],
      [
        { version: 1, from: null, until: '2026-12-31' },
        { version: 3, from: '2027-01-01', until: null },
      ],
    ],
    ['nothing in force yet', [v(1, '2027-01-01')], [{ version: 1, from: '2027-01-01', until: null }]],
  ])('periods: %s', (_name, versions, expected) => {
    expect(inForcePeriods(versions, '2026-12-30')).toEqual(expected);
  });

  it('takes the filing date in Almaty, whatever the host zone', () => {
    expect(civilDate(new Date('2026-12-31T18:59:59Z'))).toBe('2026-12-31');
    expect(civilDate(new Date('2026-12-31T19:00:00Z'))).toBe('2027-01-01');
  });
});

import { checkIinBin, controlDigit, isValidBin, isValidIin, makeBin, makeIin } from '../../src/iin-bin';

describe('IIN / BIN control digit (weights 1..11, then 3..11,1,2)', () => {
  it('computes the control digit with the first weights', () => {
    // 8*1+5*2+0*3+3*4+1*5+5*6+3*7+2*8+9*9+6*10+5*11 = 298; 298 mod 11 = 1
    expect(controlDigit('85031532965')).toBe(1);
    expect(isValidIin('850315329651')).toBe(true);
  });

  it('falls back to the second weights when the first give 10', () => {
    // first weights: 131 mod 11 = 10; second: 9*3+0*4+0*5+1*6+0*7+1*8+3*9+0*10+0*11+8*1+1*2 = 78, 78 mod 11 = 1
    expect(controlDigit('90010130081')).toBe(1);
    expect(isValidIin('900101300811')).toBe(true);
    expect(isValidIin('900101300810')).toBe(false);
  });

  it('a number whose both sums give 10 cannot exist', () => {
    // first: 120 mod 11 = 10, second: 76 mod 11 = 10
    expect(controlDigit('90010130080')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidIin(`90010130080${d}`)).toBe(false);
  });

  it('refuses wrong control digits, wrong length, letters, impossible dates and kinds', () => {
    expect(checkIinBin('850315329652', 'iin')).toMatchObject({ valid: false, problem: 'check-digit' });
    expect(checkIinBin('85031532965', 'iin')).toMatchObject({ valid: false, problem: 'format' });
    expect(checkIinBin('85031532965X', 'iin')).toMatchObject({ valid: false, problem: 'format' });
    expect(checkIinBin(850315329651, 'iin')).toMatchObject({ valid: false, problem: 'format' });
    expect(checkIinBin('851315329651', 'iin')).toMatchObject({ valid: false, problem: 'date' });
    expect(checkIinBin('850332329651', 'iin')).toMatchObject({ valid: false, problem: 'date' });
    expect(checkIinBin('850315929651', 'iin')).toMatchObject({ valid: false, problem: 'kind' });
    // An IIN is not a BIN: its 5th digit (day) is not an entity type.
    expect(checkIinBin('850315329651', 'bin')).toMatchObject({ valid: false, problem: 'kind' });
  });

  it('generated IINs and BINs are valid, and one changed digit makes them invalid', () => {
    for (let serial = 1; serial < 300; serial += 7) {
      const iin = makeIin(new Date(Date.UTC(1979, 10, 30)), serial % 2 ? 'male' : 'female', serial);
      const bin = makeBin(new Date(Date.UTC(2019, 8, 1)), serial);
      expect(isValidIin(iin)).toBe(true);
      expect(isValidBin(bin)).toBe(true);
      const flip = (s: string) => s.slice(0, 11) + String((Number(s[11]) + 1) % 10);
      expect(isValidIin(flip(iin))).toBe(false);
      expect(isValidBin(flip(bin))).toBe(false);
    }
  });
});

describe('IIN / BIN date part and kind (issue 16: a typo is a field error, not a legal outcome)', () => {
  // Each number here has a right control digit unless the row says otherwise: only the named part is wrong.
  const withControl = (first11: string) => `${first11}${controlDigit(first11) ?? 0}`;
  it.each([
    ['an IIN of 15 March 1985 (7th digit 3: the 1900s)', withControl('85031530012'), undefined, { valid: true, kind: 'iin' }],
    ['an IIN of 29 February 2000 (a leap year, 7th digit 5: the 2000s)', withControl('00022950012'), undefined, { valid: true, kind: 'iin' }],
    ['an IIN of 29 February 1900 (not a leap year)', withControl('00022930012'), undefined, { valid: false, problem: 'date' }],
    ['an IIN of 31 April', withControl('85043130012'), undefined, { valid: false, problem: 'date' }],
    ['an IIN whose 7th digit is 0 (no century)', withControl('85031500012'), undefined, { valid: false, problem: 'kind' }],
    ['an IIN whose 7th digit is 7', withControl('85031570012'), undefined, { valid: false, problem: 'kind' }],
    ['a BIN of May 2014 (5th digit 4: a resident legal entity)', '140540012346', undefined, { valid: true, kind: 'bin' }],
    ['the example BIN of docs/external-systems.md', '120540000071', undefined, { valid: true, kind: 'bin' }],
    ['the former example BIN 120540000077 (control digit 1)', '120540000077', undefined, { valid: false, problem: 'check-digit' }],
    ['a BIN whose 6th digit is 7', withControl('14054700123'), undefined, { valid: false, problem: 'kind' }],
    ['a 5th digit 8 (neither a day nor an entity type)', withControl('14058001234'), undefined, { valid: false, problem: 'kind' }],
    ['a BIN where only an IIN is taken', '140540012346', 'iin', { valid: false, problem: 'date' }],
    ['an IIN where only a BIN is taken', withControl('85031530012'), 'bin', { valid: false, problem: 'kind' }],
  ] as const)('%s', (_name, value, kind, expected) => {
    expect(checkIinBin(value, kind)).toMatchObject(expected);
  });
});

import { checkIinBin, controlDigit, isValidBin, isValidIin, makeBin, makeIin } from '../../../src/integrations/iin-bin';

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

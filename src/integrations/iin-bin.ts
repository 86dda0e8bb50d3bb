/**
 * IIN / BIN of Kazakhstan: 12 digits, the last a control digit. The control digit is the sum of
 * the first 11 digits weighted 1..11, modulo 11; when that is 10, the weights 3..11,1,2 are used
 * instead; when that is 10 again, the number is not issued (invalid).
 * IIN: YYMMDD, then the century-and-sex digit (0..6), four serial digits, control digit.
 * BIN: YYMM of registration, then the entity type (4 resident legal entity, 5 non-resident,
 * 6 individual entrepreneur in joint venture), the attribute digit (0..3), five serial digits,
 * control digit.
 */
const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The control digit of the first 11 digits, or null when no valid number can end them. */
export function controlDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) throw new Error(`Expected 11 digits, got "${first11}"`);
  const digits = [...first11].map(Number);
  let c = digits.reduce((s, d, i) => s + d * W1[i], 0) % 11;
  if (c === 10) c = digits.reduce((s, d, i) => s + d * W2[i], 0) % 11;
  return c === 10 ? null : c;
}

export type IinBinProblem = 'format' | 'check-digit' | 'date' | 'kind';

export function checkIinBin(value: unknown, kind?: 'iin' | 'bin'): { valid: true } | { valid: false; problem: IinBinProblem; message: string } {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) return { valid: false, problem: 'format', message: `"${String(value)}" is not 12 digits` };
  const month = Number(value.slice(2, 4));
  if (month < 1 || month > 12) return { valid: false, problem: 'date', message: `${value}: month ${value.slice(2, 4)} is not 01..12` };
  if (kind === 'iin') {
    const day = Number(value.slice(4, 6));
    if (day < 1 || day > 31) return { valid: false, problem: 'date', message: `${value}: day ${value.slice(4, 6)} is not 01..31` };
    if (!/[0-6]/.test(value[6])) return { valid: false, problem: 'kind', message: `${value}: the 7th digit of an IIN is 0..6 (century and sex)` };
  }
  if (kind === 'bin' && !/[456]/.test(value[4])) return { valid: false, problem: 'kind', message: `${value}: the 5th digit of a BIN is 4, 5 or 6 (type of entity)` };
  const c = controlDigit(value.slice(0, 11));
  if (c === null || c !== Number(value[11])) return { valid: false, problem: 'check-digit', message: `${value}: control digit ${value[11]} is wrong (expected ${c ?? 'none: the number cannot exist'})` };
  return { valid: true };
}

export const isValidIin = (value: unknown) => checkIinBin(value, 'iin').valid;
export const isValidBin = (value: unknown) => checkIinBin(value, 'bin').valid;

/** A valid IIN for a birth date and sex, with the given serial (the serial is bumped if no control digit fits). */
export function makeIin(birth: Date, sex: 'male' | 'female' = 'male', serial = 1): string {
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const century = Math.floor(birth.getUTCFullYear() / 100);
  const centuryDigit = (century === 18 ? 1 : century === 19 ? 3 : 5) + (sex === 'female' ? 1 : 0);
  for (let s = serial; ; s++) {
    const first = `${yy}${mm}${dd}${centuryDigit}${String(s % 10000).padStart(4, '0')}`;
    const c = controlDigit(first);
    if (c !== null) return `${first}${c}`;
  }
}

/** A valid BIN for a registration month, with the given serial. */
export function makeBin(registered: Date, serial = 1, type: 4 | 5 | 6 = 4): string {
  const yy = String(registered.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(registered.getUTCMonth() + 1).padStart(2, '0');
  for (let s = serial; ; s++) {
    const first = `${yy}${mm}${type}0${String(s % 100000).padStart(5, '0')}`;
    const c = controlDigit(first);
    if (c !== null) return `${first}${c}`;
  }
}

/**
 * IIN / BIN of Kazakhstan: 12 digits, the last a control digit. The control digit is the sum of
 * the first 11 digits weighted 1..11, modulo 11; when that is 10, the weights 3..11,1,2 are used
 * instead; when that is 10 again, the number is not issued (invalid).
 * IIN: YYMMDD (birth date), then the century-and-sex digit (1,2: 1800s; 3,4: 1900s; 5,6: 2000s; odd
 * male, even female), four serial digits, control digit.
 * BIN: YYMM of registration, then the entity type (4 resident legal entity, 5 non-resident,
 * 6 individual entrepreneur in joint venture), the attribute digit (0..3), five serial digits,
 * control digit.
 * A pure module of the shared kernel: the form check (runtime), the state systems' clients and
 * simulators (integrations) and the web form all use it.
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
export type IinBinKind = 'iin' | 'bin';
export type IinBinCheck = { valid: true; kind: IinBinKind } | { valid: false; problem: IinBinProblem; message: string };

/**
 * Which of the two a 12-digit number is by its 5th digit: an IIN has the first digit of a day
 * (0..3) there, a BIN the type of entity (4..6); null for any other digit.
 */
export function iinBinKind(value: string): IinBinKind | null {
  const d = Number(value[4]);
  return d <= 3 ? 'iin' : d <= 6 ? 'bin' : null;
}

/** The century of an IIN's birth date by its 7th digit (1,2: 1800s; 3,4: 1900s; 5,6: 2000s), or null. */
function centuryOf(digit: string): number | null {
  const d = Number(digit);
  return d >= 1 && d <= 6 ? 1800 + Math.floor((d - 1) / 2) * 100 : null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Checks an IIN or a BIN: 12 digits, the date part (an IIN's birth date YYMMDD with the century of its
 * 7th digit, a BIN's registration YYMM), the kind digits, and the control digit. Without `kind`,
 * the 5th digit says which of the two the number is. Pure: the server and the web app both check with it.
 */
export function checkIinBin(value: unknown, kind?: IinBinKind): IinBinCheck {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) return { valid: false, problem: 'format', message: `"${String(value)}" is not 12 digits` };
  const month = Number(value.slice(2, 4));
  if (month < 1 || month > 12) return { valid: false, problem: 'date', message: `${value}: month ${value.slice(2, 4)} is not 01..12` };
  const detected = iinBinKind(value);
  if (kind === 'bin' && detected !== 'bin') return { valid: false, problem: 'kind', message: `${value}: the 5th digit of a BIN is 4, 5 or 6 (type of entity)` };
  if (kind === 'iin' && detected !== 'iin') return { valid: false, problem: 'date', message: `${value}: day ${value.slice(4, 6)} is not 01..31` };
  if (detected === null) return { valid: false, problem: 'kind', message: `${value}: the 5th digit is the first digit of a day (0..3, IIN) or a type of entity (4..6, BIN)` };
  if (detected === 'iin') {
    const century = centuryOf(value[6]);
    if (century === null) return { valid: false, problem: 'kind', message: `${value}: the 7th digit of an IIN is 1..6 (century and sex)` };
    const year = century + Number(value.slice(0, 2));
    if (!isRealDate(year, month, Number(value.slice(4, 6)))) return { valid: false, problem: 'date', message: `${value}: ${year}-${value.slice(2, 4)}-${value.slice(4, 6)} is not a date` };
  } else if (!/[0-3]/.test(value[5])) {
    return { valid: false, problem: 'kind', message: `${value}: the 6th digit of a BIN is 0..3 (attribute of the entity)` };
  }
  const c = controlDigit(value.slice(0, 11));
  if (c === null || c !== Number(value[11])) return { valid: false, problem: 'check-digit', message: `${value}: control digit ${value[11]} is wrong (expected ${c ?? 'none: the number cannot exist'})` };
  return { valid: true, kind: detected };
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

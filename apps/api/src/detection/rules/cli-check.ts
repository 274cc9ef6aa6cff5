import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';

/**
 * Caller-number (CLI) validity for the `cli_validity` rule (features.md F16), with libphonenumber-js's full
 * ("max") metadata: the numbering plans of every country, kept up to date by that package's releases.
 */

/** Why a presented caller number is not a number anyone could hold. */
export type CliProblem = 'format' | 'length' | 'country_code' | 'unallocated' | 'reserved' | 'same_as_callee';

export const CLI_PROBLEMS: readonly CliProblem[] = ['format', 'length', 'country_code', 'unallocated', 'reserved', 'same_as_callee'];

export const CLI_PROBLEM_TEXT: Readonly<Record<CliProblem, { en: string; tr: string }>> = {
  format: { en: 'not a number', tr: 'numara değil' },
  length: { en: 'impossible length', tr: 'imkânsız uzunluk' },
  country_code: { en: 'no such country code', tr: 'olmayan ülke kodu' },
  unallocated: { en: 'outside the numbering plan', tr: 'numaralandırma planı dışında' },
  reserved: { en: 'reserved / fictional range', tr: 'ayrılmış / kurgusal aralık' },
  same_as_callee: { en: 'same as the callee', tr: 'arananla aynı' },
};

/** Numbers of this many digits or fewer are PBX extensions and service codes, not subscriber numbers (as in masking). */
export const EXTENSION_MAX_DIGITS = 6;

/**
 * Ranges set aside for drama and documentation, which no subscriber holds (E.164 digits without '+'): the NANP
 * 555-0100…0199 in every area code, and Ofcom's drama ranges in the UK.
 */
const RESERVED: readonly RegExp[] = [
  /^1[2-9]\d{2}55501\d{2}$/,
  /^441134960\d{3}$/,
  /^441144960\d{3}$/,
  /^441314960\d{3}$/,
  /^441514960\d{3}$/,
  /^441614960\d{3}$/,
  /^442079460\d{3}$/,
  /^441174960\d{3}$/,
  /^442890180\d{3}$/,
  /^442920180\d{3}$/,
  /^447700900\d{3}$/,
  /^448081570\d{3}$/,
  /^449098790\d{3}$/,
  /^443069990\d{3}$/,
];

/** Privacy-withheld callers: not a validity problem (the caller chose not to show a number). */
const WITHHELD = /^(anonymous|restricted|private|unavailable|unknown|withheld)$/i;

/**
 * The number as E.164 digits (no '+'): `+905321234567`, `00905321234567` and `905321234567` (how switches send E.164)
 * as they are, and a Turkish national `05321234567` with +90 (like the masking); null for other national or short
 * numbers, which cannot be checked without knowing the caller's country.
 */
export function e164Digits(number: string): string | null {
  const compact = number.replace(/[\s().-]/g, '');
  if (/^\+\d+$/.test(compact)) return compact.slice(1);
  if (/^00\d+$/.test(compact)) return compact.slice(2);
  if (/^0\d{10}$/.test(compact)) return `90${compact.slice(1)}`;
  if (/^[1-9]\d+$/.test(compact) && compact.length > EXTENSION_MAX_DIGITS + 1) return compact;
  return null;
}

/**
 * What is wrong with a presented caller number, or null when it is fine or cannot be judged: empty and withheld
 * callers, extensions (6 digits or fewer) and national numbers of unknown country are not judged.
 */
export function cliProblem(caller: string | null, callee: string | null): CliProblem | null {
  if (caller === null) return null;
  const trimmed = caller.trim();
  if (trimmed === '' || WITHHELD.test(trimmed)) return null;
  const compact = trimmed.replace(/[\s().-]/g, '');
  if (!/^\+?\d+$/.test(compact)) return 'format';
  const digits = compact.replace(/^\+/, '');
  if (digits.length <= EXTENSION_MAX_DIGITS && !compact.startsWith('+')) return null;
  const e164 = e164Digits(compact);
  if (e164 === null) return null;
  if (callee !== null) {
    const calleeE164 = e164Digits(callee);
    if (calleeE164 !== null && calleeE164 === e164) return 'same_as_callee';
  }
  if (e164.length > 15 || e164.length < 7) return 'length';
  if (RESERVED.some((r) => r.test(e164))) return 'reserved';
  const parsed = parsePhoneNumberFromString(`+${e164}`);
  if (parsed === undefined) return 'country_code';
  const length = validatePhoneNumberLength(`+${e164}`);
  if (length === 'TOO_SHORT' || length === 'TOO_LONG' || length === 'INVALID_LENGTH') return 'length';
  if (length === 'INVALID_COUNTRY') return 'country_code';
  return parsed.isValid() ? null : 'unallocated';
}

/**
 * Neighbour spoofing (features.md F17): the caller shares the callee's number up to its last 4 digits — the NANP
 * NPA-NXX, and the area/operator code plus exchange elsewhere (E.164 of the same length) — without being the callee.
 */
export function isNeighbour(caller: string | null, callee: string | null): boolean {
  if (caller === null || callee === null) return false;
  const a = e164Digits(caller);
  const b = e164Digits(callee);
  if (a === null || b === null || a === b || a.length !== b.length || a.length < 10) return false;
  return a.slice(0, -4) === b.slice(0, -4);
}

/**
 * Masks phone numbers for roles that must not see them (KVKK/GDPR, docs/security.md#privacy). Pure: no I/O.
 *
 * Rules (the same number parsing as the web app's display formatting, `phone-number.ts`):
 * - A full international number (`+905321234567`, `00905321234567`, `905321234567` — E.164 without `+` as
 *   switches send it — or a Turkish national `05321234567`) keeps its country code, the first 3 digits of the
 *   national number and the last 2: `+90 532 *** ** 67`, `+1 415 *** **23`-style groups, always with `+`.
 * - Any other number of 7 or more digits (a national number without a country code, a number with letters
 *   around it such as a SIP URI) keeps at most its first 3 and its last 2 digits, and at least 3 digits are
 *   always masked (the head shrinks first): `2123456` → `21*** 56`-style.
 * - Numbers of 6 digits or fewer (PBX extensions such as `1001`, short service codes such as `112`) are left as
 *   they are: they identify a desk or a service, not a subscriber, and masking them would make internal calls
 *   unreadable. This is a documented choice.
 * - Separators (spaces, `()`, `.`, `-`) are ignored; `null`/`undefined` become `null`, blank stays as is.
 * - Text with digit runs (a SIP URI, a finding's reason) gets every run of 7+ digits masked in place.
 *
 * The output never contains a masked digit, and is stable: the same input always gives the same mask.
 */

export const MASK_CHAR = '*';
/** Digit runs shorter than this are not phone numbers (extensions, short codes, counts, years). */
export const MIN_MASKED_DIGITS = 7;
const KEEP_NATIONAL_HEAD = 3;
const KEEP_TAIL = 2;
/** At least this many digits are hidden in any masked number. */
const MIN_HIDDEN = 3;

/** Two-digit ITU country codes; every other code that does not start with 1 or 7 has three digits. */
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48',
  '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81',
  '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** Group sizes of a national number by country code (the display format); others: threes, last group 2–4. */
const NATIONAL_GROUPS: Readonly<Partial<Record<string, readonly number[]>>> = {
  '90': [3, 3, 2, 2],
  '7': [3, 3, 2, 2],
  '1': [3, 3, 4],
};

/** Masks one phone number (see the file comment); `null`/`undefined` → `null`. */
export function maskPhoneNumber(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const raw = value.trim();
  if (raw === '') return value;
  const compact = raw.replace(/[\s().-]/g, '');
  const international = internationalDigits(compact);
  if (international !== null) {
    const masked = maskInternational(international);
    if (masked !== null) return masked;
  }
  if (/^\+?\d+$/.test(compact)) {
    return compact.replace(/\d+/, (digits) => maskRun(digits));
  }
  return maskNumbersInText(raw);
}

/** Masks every run of 7+ digits in free text (SIP URIs, reasons of findings); shorter runs stay. */
export function maskNumbersInText(text: string): string {
  // compact runs (`905321234567`, `+905321234567`) and `+`-numbers written with single spaces (`+90 532 123 45 67`);
  // dates and times (`2026-12-04 10:00`) have no such run
  return text.replace(/\+\d(?: ?\d){6,}|\d{7,}/g, (match) => maskPhoneNumber(match) ?? match);
}

/** True when `value` holds a digit that {@link maskPhoneNumber} would hide (i.e. masking changes something). */
export function isMaskable(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && maskPhoneNumber(value) !== value;
}

/** The digits after the country code's start (`905321234567`), or null when it is no full international number. */
function internationalDigits(compact: string): string | null {
  if (/^\+\d{7,15}$/.test(compact)) return compact.slice(1);
  if (/^00\d{7,15}$/.test(compact)) return compact.slice(2);
  if (/^0[1-9]\d{9}$/.test(compact)) return `90${compact.slice(1)}`; // Turkish national 0 + 10 digits
  if (/^[1-9]\d{10,14}$/.test(compact)) return compact; // E.164 without '+'
  return null;
}

function countryCodeOf(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  return TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}

function maskInternational(digits: string): string | null {
  const code = countryCodeOf(digits);
  const national = digits.slice(code.length);
  if (national.length <= KEEP_TAIL) return null;
  const known = NATIONAL_GROUPS[code];
  const sizes = known !== undefined && sum(known) === national.length ? known : genericGroups(national.length);
  const hiddenFrom = headLength(national.length);
  const hiddenTo = national.length - KEEP_TAIL;
  const chars = Array.from({ length: national.length }, (_, i) => (i >= hiddenFrom && i < hiddenTo ? MASK_CHAR : national.charAt(i)));
  const parts: string[] = [];
  let index = 0;
  for (const size of sizes) {
    parts.push(chars.slice(index, index + size).join(''));
    index += size;
  }
  return `+${code} ${parts.join(' ')}`;
}

/** A run of digits without a recognised country code: keep ≤ 3 at the head and 2 at the tail, hide ≥ 3. */
function maskRun(digits: string): string {
  if (digits.length < MIN_MASKED_DIGITS) return digits;
  const head = headLength(digits.length);
  return `${digits.slice(0, head)}${MASK_CHAR.repeat(digits.length - head - KEEP_TAIL)}${digits.slice(-KEEP_TAIL)}`;
}

/** Digits kept at the head of `length` digits: 3, fewer when that would hide less than 3 (never negative). */
function headLength(length: number): number {
  return Math.max(0, Math.min(KEEP_NATIONAL_HEAD, length - KEEP_TAIL - MIN_HIDDEN));
}

function genericGroups(length: number): number[] {
  const sizes: number[] = [];
  let rest = length;
  while (rest > 4) {
    sizes.push(3);
    rest -= 3;
  }
  sizes.push(rest);
  return sizes;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Keeps only digits (and a leading `+`) of a search term: `+90 (532) 123-45-67` → `+905321234567`. */
export function compactNumber(value: string): string {
  const trimmed = value.trim();
  return `${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
}

/**
 * The stored spellings a full number may have (`+905321234567`, `905321234567`, `00905321234567`, and for a
 * Turkish national `05321234567` also `905…`), for an exact search by a masked user; empty when `value` is not a
 * full number (fewer than 7 digits, or `*`/`#` in it).
 */
export function exactNumberCandidates(value: string): string[] {
  if (/[*#]/.test(value)) return [];
  const compact = compactNumber(value);
  const digits = compact.replace(/^\+/, '');
  if (digits.length < MIN_MASKED_DIGITS) return [];
  const international = internationalDigits(compact);
  const forms = new Set<string>([digits, `+${digits}`]);
  if (international !== null) {
    forms.add(international);
    forms.add(`+${international}`);
    forms.add(`00${international}`);
    if (international.startsWith('90') && international.length === 12) forms.add(`0${international.slice(2)}`);
  }
  return [...forms];
}

/**
 * Display formatting of phone numbers as they come from a switch (E.164 with or without `+`, `00`
 * international prefix, Turkish national `0…`, extensions, SIP user parts).
 *
 * - Turkish numbers: `+90 532 123 45 67` (3-3-2-2 after the country code).
 * - NANP (+1): `+1 415 555 0123`; Russia/Kazakhstan (+7): `+7 495 123 45 67`.
 * - Other countries: `+CC` followed by the national number in groups of three, the last group 2–4 digits.
 * - Anything that does not look like a full international number (extensions, short codes, text) is
 *   returned unchanged, so nothing is invented.
 */

/** Two-digit ITU country codes; every other code that does not start with 1 or 7 has three digits. */
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48',
  '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81',
  '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

export function formatPhoneNumber(value: string | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  const raw = value.trim();
  const compact = raw.replace(/[\s().-]/g, '');
  let international: string | null = null;
  if (/^\+\d{7,15}$/.test(compact)) {
    international = compact.slice(1);
  } else if (/^00\d{7,15}$/.test(compact)) {
    international = compact.slice(2);
  } else if (/^0[1-9]\d{9}$/.test(compact)) {
    // Turkish national format: 0 + 10-digit national number
    international = `90${compact.slice(1)}`;
  } else if (/^[1-9]\d{10,14}$/.test(compact)) {
    // E.164 without '+', as most switches send it (11–15 digits)
    international = compact;
  }
  if (international === null) {
    return raw;
  }
  return formatInternational(international) ?? raw;
}

function formatInternational(digits: string): string | null {
  if (digits.startsWith('90')) {
    const national = digits.slice(2);
    return national.length === 10 ? `+90 ${groups(national, [3, 3, 2, 2])}` : `+90 ${generic(national)}`;
  }
  if (digits.startsWith('1')) {
    const national = digits.slice(1);
    return national.length === 10 ? `+1 ${groups(national, [3, 3, 4])}` : `+1 ${generic(national)}`;
  }
  if (digits.startsWith('7')) {
    const national = digits.slice(1);
    return national.length === 10 ? `+7 ${groups(national, [3, 3, 2, 2])}` : `+7 ${generic(national)}`;
  }
  const codeLength = TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  const national = digits.slice(codeLength);
  if (national.length < 4) {
    return null;
  }
  return `+${digits.slice(0, codeLength)} ${generic(national)}`;
}

function groups(digits: string, sizes: readonly number[]): string {
  const parts: string[] = [];
  let index = 0;
  for (const size of sizes) {
    parts.push(digits.slice(index, index + size));
    index += size;
  }
  return parts.join(' ');
}

function generic(digits: string): string {
  const parts: string[] = [];
  let rest = digits;
  while (rest.length > 4) {
    parts.push(rest.slice(0, 3));
    rest = rest.slice(3);
  }
  parts.push(rest);
  return parts.join(' ');
}

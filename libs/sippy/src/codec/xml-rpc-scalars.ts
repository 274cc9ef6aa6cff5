import { malformed } from './xml-rpc-decode-errors';

/*
 * Scalar text → value, for the XML-RPC decoder. Each function has a fast path for the canonical
 * form a server writes (`<int>42</int>`, `<double>0.0125</double>`, `<boolean>1</boolean>`) and
 * otherwise falls back to the full rules (surrounding whitespace trimmed with String#trim, signs,
 * leading zeros, exponents, the exact decimal string for integers beyond 2^53). Both paths give the
 * same value for the same text; xml-rpc-scalars.spec.ts checks that they agree.
 */

const INTEGER = /^[+-]?\d+$/;
const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;

/**
 * `-?\d{1,15}` in [s, e) of `text` as a number (always a safe integer), else undefined. "-0" is 0,
 * like the full path.
 */
export function plainIntegerAt(text: string, s: number, e: number): number | undefined {
  const negative = text.charCodeAt(s) === MINUS;
  const first = negative ? s + 1 : s;
  if (e === first || e - first > 15) {
    return undefined;
  }
  let value = 0;
  for (let i = first; i < e; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) {
      return undefined;
    }
    value = value * 10 + digit;
  }
  return negative ? 0 - value : value;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * `-?\d+(\.\d*)?` with at most 15 digits in [s, e) of `text` as a number, else undefined. The
 * digits form an integer m < 2^53 and the fraction has k ≤ 15 digits, so m and 10^k are exact
 * doubles and m / 10^k (one correctly rounded division) is the double nearest the decimal: what
 * Number(text) gives (Clinger's fast path).
 */
export function plainDecimalAt(text: string, s: number, e: number): number | undefined {
  const negative = text.charCodeAt(s) === MINUS;
  let i = negative ? s + 1 : s;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < e; i++) {
    const c = text.charCodeAt(i);
    const digit = c - ZERO;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
      if (fraction !== -1) {
        fraction++;
      }
    } else if (c === DOT && fraction === -1 && digits > 0) {
      fraction = 0;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15) {
    return undefined;
  }
  const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
  return negative ? -value : value;
}

/** `<int>`/`<i4>`/`<i8>`…: a number when a safe integer, else the canonical decimal string. */
export function decodeInteger(text: string, tag: string): number | string {
  return plainIntegerAt(text, 0, text.length) ?? decodeIntegerFull(text, tag);
}

export function decodeIntegerFull(text: string, tag: string): number | string {
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) {
    throw malformed(`invalid <${tag}> value`);
  }
  const value = Number(trimmed);
  if (Number.isSafeInteger(value)) {
    return value === 0 ? 0 : value; // "-0" → 0
  }
  // Canonical decimal digits without BigInt: BigInt(text).toString() is superlinear in the digit
  // count (a 3-million-digit <int> took seconds), and the body may be up to maxBytes of digits.
  const negative = trimmed.startsWith('-');
  const digits = trimmed.replace(/^[+-]?0*/, '');
  return negative ? `-${digits}` : digits; // never "", never "-0": both are safe integers
}

// One way to match each input (no `\d+\.?\d*` ambiguity): that form backtracked quadratically,
// e.g. 40 000 digits followed by one bad character took over a second.
const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `<double>`/`<float>`: a finite number. */
export function decodeDouble(text: string, tag: string): number {
  return plainDecimalAt(text, 0, text.length) ?? decodeDoubleFull(text, tag);
}

export function decodeDoubleFull(text: string, tag: string): number {
  const trimmed = text.trim();
  if (!DOUBLE.test(trimmed)) {
    throw malformed(`invalid <${tag}> value`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw malformed(`<${tag}> value out of range`);
  }
  return value;
}

/** `<boolean>`: 0 or 1 (surrounding whitespace allowed). */
export function decodeBoolean(text: string): boolean {
  if (text === '1') {
    return true;
  }
  if (text === '0') {
    return false;
  }
  const trimmed = text.trim();
  if (trimmed === '1') {
    return true;
  }
  if (trimmed === '0') {
    return false;
  }
  throw malformed('invalid <boolean> value (expected 0 or 1)');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/[\t\n\r ]+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw malformed('invalid <base64> value');
  }
  return Buffer.from(compact, 'base64');
}

// 20261124T10:03:12, 2026-11-24T10:03:12.123, …Z, …+03:00, …+0300 (Apache ex:dateTime)
const DATE_TIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** `<dateTime.iso8601>`: a Date; zone-less values are UTC whatever the process TZ. */
export function decodeDateTime(text: string, tag: string): Date {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) {
    throw malformed(`invalid <${tag}> value`);
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match as (string | undefined)[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw malformed(`invalid <${tag}> value`);
  }
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const zoneHours = Number(digits.slice(0, 2));
    const zoneMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (zoneHours > 23 || zoneMinutes > 59) {
      throw malformed(`invalid <${tag}> value`);
    }
    offsetMinutes = sign * (zoneHours * 60 + zoneMinutes);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(hour, minute - offsetMinutes, second, ms);
  return date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

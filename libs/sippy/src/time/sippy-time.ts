/**
 * Sippy time formats (see docs/sippy-xmlrpc.md §2).
 *
 * (a) ISO-like `YYYYMMDDThh:mm:ss[.SSS]` — XML-RPC dateTime.iso8601 style, always UTC, no zone suffix.
 * (b) `'%H:%M:%S.000 GMT %a %b %d %Y'`, e.g. `09:57:29.000 GMT Wed Nov 18 2009` — UTC, C-locale names.
 *
 * Everything here uses only UTC getters and fixed English name tables, so the result never depends
 * on the process time zone (`TZ`) or locale. Free text is never handed to the engine's own date
 * parser: engines disagree on non-ISO strings.
 */

/** C-locale weekday abbreviations, index = `Date#getUTCDay()`. */
export const SIPPY_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** C-locale month abbreviations, index = `Date#getUTCMonth()`. */
export const SIPPY_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/**
 * Heuristic threshold for bare epoch numbers: a magnitude below 1e11 is read as **seconds**
 * (1e11 s is the year 5138), anything at or above as **milliseconds** (1e11 ms is 1973-03-03).
 * No CDR of a real switch falls in the ambiguous zone on either side.
 */
export const EPOCH_MILLIS_THRESHOLD = 1e11;

const MAX_DATE_MS = 8.64e15;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats a Date as Sippy's format (b): `HH:MM:SS.000 GMT Ddd Mmm DD YYYY`, in UTC.
 *
 * Milliseconds are **truncated** (not rounded) and always written as `.000`, exactly like Sippy's own
 * format string: rounding up could push a window bound past the instant it stands for (and across a
 * day/year boundary); truncation keeps `format(d) <= d`. Callers that need half-open windows should
 * therefore pass whole-second bounds.
 *
 * @throws TypeError when `date` is not a Date; RangeError when it is invalid or its UTC year is
 *   outside 0…9999 (Sippy's `%Y` is four digits).
 */
export function formatSippyTime(date: Date): string {
  if (!(date instanceof Date)) {
    throw new TypeError('formatSippyTime: expected a Date');
  }
  const time = date.getTime();
  if (Number.isNaN(time)) {
    throw new RangeError('formatSippyTime: invalid Date');
  }
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new RangeError(`formatSippyTime: year ${year} cannot be written as %Y (0000-9999)`);
  }
  const hh = pad(date.getUTCHours(), 2);
  const mm = pad(date.getUTCMinutes(), 2);
  const ss = pad(date.getUTCSeconds(), 2);
  const weekday = SIPPY_WEEKDAYS[date.getUTCDay()];
  const month = SIPPY_MONTHS[date.getUTCMonth()];
  const day = pad(date.getUTCDate(), 2);
  return `${hh}:${mm}:${ss}.000 GMT ${weekday} ${month} ${day} ${pad(year, 4)}`;
}

/**
 * Format (b), tolerant: 1–2 digit hour and day, optional fraction of any length, any run of
 * whitespace, zone `GMT`/`UTC` (or none: Sippy times are UTC), case-insensitive names.
 */
const FORMAT_B =
  /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s+(?:(?:GMT|UTC)\s+)?([A-Za-z]{3})\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})$/i;

/** Format (a): `YYYYMMDDThh:mm:ss[.SSS]`, zone-less = UTC; a zone suffix is tolerated. */
const FORMAT_A = /^(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 extended and PostgreSQL text output: `YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][Z|±hh[:mm]| UTC]`.
 * Zone-less values are read as UTC (our databases and Sippy store UTC).
 */
const FORMAT_ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

function fractionToMillis(fraction: string | undefined): number {
  if (!fraction) {
    return 0;
  }
  // Truncate sub-millisecond digits: '.123456' → 123, '.5' → 500.
  return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

/** Days in `month` (1-12) of `year`, proleptic Gregorian (as Date computes it). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses `Z`, `UTC`, `GMT`, `+03`, `+0330`, `-03:30` into minutes east of UTC; null when invalid. */
function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined || /^(?:Z|UTC|GMT)$/i.test(zone)) {
    return 0;
  }
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) {
    return null;
  }
  const hours = Number(match[2]);
  const minutesText = match.at(3); // optional group: undefined when absent
  const minutes = minutesText === undefined ? 0 : Number(minutesText);
  if (hours > 18 || minutes > 59) {
    return null;
  }
  const total = hours * 60 + minutes;
  return match[1] === '-' ? -total : total;
}

/** Builds a Date from calendar parts, or null when any part is out of range (month 13, Feb 30, 25:00). */
function fromParts(parts: DateParts): Date | null {
  const { year, month, day, hour, minute, second, millisecond, offsetMinutes } = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  let local: number;
  if (year >= 100) {
    local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  } else {
    // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, millisecond);
    local = date.getTime();
  }
  const time = local - offsetMinutes * 60_000;
  if (!Number.isFinite(time) || Math.abs(time) > MAX_DATE_MS) {
    return null;
  }
  return new Date(time);
}

function monthIndex(name: string): number {
  const wanted = name.toLowerCase();
  return SIPPY_MONTHS.findIndex((month) => month.toLowerCase() === wanted);
}

function isWeekday(name: string): boolean {
  const wanted = name.toLowerCase();
  return SIPPY_WEEKDAYS.some((weekday) => weekday.toLowerCase() === wanted);
}

function parseFormatB(text: string): Date | null {
  const match = FORMAT_B.exec(text);
  if (!match) {
    return null;
  }
  const [, hh, mi, ss, fraction, weekday, monthName, dd, yyyy] = match as unknown as string[];
  const month = monthIndex(monthName);
  // The weekday must be a real abbreviation (guards against garbage), but it is NOT cross-checked
  // against the date: the day/month/year Sippy sends are the source of truth.
  if (month < 0 || !isWeekday(weekday)) {
    return null;
  }
  return fromParts({
    year: Number(yyyy),
    month: month + 1,
    day: Number(dd),
    hour: Number(hh),
    minute: Number(mi),
    second: Number(ss),
    millisecond: fractionToMillis(fraction),
    offsetMinutes: 0,
  });
}

function parseCalendar(match: RegExpExecArray): Date | null {
  const [, yyyy, mo, dd] = match;
  // optional groups: undefined when absent (.at() says so; index access types them as string)
  const [hh, mi, ss, fraction, zone] = [4, 5, 6, 7, 8].map((group) => match.at(group));
  const offsetMinutes = parseOffset(zone);
  if (offsetMinutes === null) {
    return null;
  }
  return fromParts({
    year: Number(yyyy),
    month: Number(mo),
    day: Number(dd),
    hour: hh === undefined ? 0 : Number(hh),
    minute: mi === undefined ? 0 : Number(mi),
    second: ss === undefined ? 0 : Number(ss),
    millisecond: fractionToMillis(fraction),
    offsetMinutes,
  });
}

function fromEpoch(value: number): Date | null {
  // 0 and negatives are the usual "no time" sentinels in CDR exports, not 1970 or earlier.
  if (!Number.isFinite(value) || value <= 0) {
    return null;
  }
  const millis = value < EPOCH_MILLIS_THRESHOLD ? value * 1000 : value;
  if (millis > MAX_DATE_MS) {
    return null;
  }
  return new Date(Math.trunc(millis));
}

const COLON = 0x3a;
const ZERO = 0x30;

/** Three ASCII letters at `i` as a lower-case key (a-z only), or -1. */
function letters3(text: string, i: number): number {
  let key = 0;
  for (let k = i; k < i + 3; k++) {
    const c = text.charCodeAt(k) | 0x20;
    if (c < 0x61 || c > 0x7a) {
      return -1;
    }
    key = key * 32 + (c - 0x60);
  }
  return key;
}

const MONTH_BY_KEY: ReadonlyMap<number, number> = new Map(SIPPY_MONTHS.map((month, index) => [letters3(month, 0), index]));
const WEEKDAY_KEYS: ReadonlySet<number> = new Set(SIPPY_WEEKDAYS.map((weekday) => letters3(weekday, 0)));

/** Two (or four) decimal digits at `i`, or -1. */
function digitsAt(text: string, i: number, count: number): number {
  let value = 0;
  for (let k = i; k < i + count; k++) {
    const digit = text.charCodeAt(k) - ZERO;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Format (b) exactly as Sippy writes it, `09:57:29.000 GMT Wed Nov 18 2009` (32 characters), read
 * by position; undefined for any other text (the RegExp path then decides). Accepts a subset of
 * what parseFormatB accepts and gives the same result for it.
 */
function parseCanonicalFormatB(text: string): Date | null | undefined {
  if (
    text.length !== 32 ||
    text.charCodeAt(2) !== COLON ||
    text.charCodeAt(5) !== COLON ||
    text.charCodeAt(8) !== 0x2e ||
    !text.startsWith(' GMT ', 12) ||
    text.charCodeAt(20) !== 0x20 ||
    text.charCodeAt(24) !== 0x20 ||
    text.charCodeAt(27) !== 0x20
  ) {
    return undefined;
  }
  const hour = digitsAt(text, 0, 2);
  const minute = digitsAt(text, 3, 2);
  const second = digitsAt(text, 6, 2);
  const millisecond = digitsAt(text, 9, 3);
  const day = digitsAt(text, 25, 2);
  const year = digitsAt(text, 28, 4);
  const weekday = letters3(text, 17);
  const month = MONTH_BY_KEY.get(letters3(text, 21));
  if (hour < 0 || minute < 0 || second < 0 || millisecond < 0 || day < 0 || year < 0 || weekday < 0 || month === undefined) {
    return undefined;
  }
  if (!WEEKDAY_KEYS.has(weekday)) {
    return null; // three letters but no weekday: parseFormatB refuses it too
  }
  return fromParts({ year, month: month + 1, day, hour, minute, second, millisecond, offsetMinutes: 0 });
}

function parseText(raw: string): Date | null {
  const text = raw.trim();
  const canonical = parseCanonicalFormatB(text);
  if (canonical !== undefined) {
    return canonical;
  }
  if (text === '') {
    return null;
  }
  if (NUMERIC.test(text)) {
    return fromEpoch(Number(text));
  }
  const iso = FORMAT_ISO.exec(text);
  if (iso) {
    return parseCalendar(iso);
  }
  const compact = FORMAT_A.exec(text);
  if (compact) {
    return parseCalendar(compact);
  }
  return parseFormatB(text);
}

/**
 * Parses any time value a Sippy switch (or another CDR source) sends. Never throws.
 *
 * Accepted:
 * - format (b) `09:57:29.000 GMT Wed Nov 18 2009` (tolerant: 1–2 digit day/hour, optional or longer
 *   fraction, extra spaces, `UTC` or no zone, any case). The weekday must be a valid abbreviation but
 *   may disagree with the date — the date wins;
 * - format (a) `20091118T09:57:29[.123]` (zone-less = UTC);
 * - ISO 8601 `2009-11-18T09:57:29.123Z` / `…+03:00`, date-only `2009-11-18` (midnight UTC);
 * - PostgreSQL text `2009-11-18 09:57:29[.123456][+03]` (zone-less = UTC);
 * - a valid `Date` (a copy is returned);
 * - epoch numbers, numeric strings or bigints: seconds when |n| < 1e11, otherwise milliseconds
 *   (see {@link EPOCH_MILLIS_THRESHOLD}); 0 and negatives → null.
 *
 * Returns null for null/undefined/''/whitespace, any other type, unparseable text, and
 * out-of-range parts (month 13, Feb 30, hour 25, minute 60, second 60, offset > 18 h).
 * Sub-millisecond digits are truncated.
 */
export function parseSippyTime(value: unknown): Date | null {
  try {
    if (value === null || value === undefined) {
      return null;
    }
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? null : new Date(value.getTime());
    }
    if (typeof value === 'number') {
      return fromEpoch(value);
    }
    if (typeof value === 'bigint') {
      return fromEpoch(Number(value));
    }
    if (typeof value === 'string') {
      return parseText(value);
    }
    return null;
  } catch {
    // Defensive: nothing above is expected to throw, but this function promises never to.
    return null;
  }
}

/** `parseSippyTime(value)` as an ISO 8601 UTC string (`2009-11-18T09:57:29.000Z`), or null. */
export function toIsoUtc(value: unknown): string | null {
  const date = parseSippyTime(value);
  return date === null ? null : date.toISOString();
}

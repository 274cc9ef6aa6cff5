import { zoneOffsetMinutes } from '../reports/report-time';

/** Local calendar parts of an instant in an IANA zone. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formats.set(tz, f);
  }
  return f;
}

export function localParts(instant: Date, tz: string): LocalParts {
  const parts = format(tz).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: WEEKDAYS[get('weekday')] ?? 0,
  };
}

/** 0 = Monday 00:xx … 167 = Sunday 23:xx, in `tz` (a UTC hour bucket belongs to the local hour it starts in). */
export function hourOfWeek(instant: Date, tz: string): number {
  const p = localParts(instant, tz);
  return (p.weekday - 1) * 24 + p.hour;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-11-24T13:00` — the local wall time of an instant in `tz`. */
export function localDateTime(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** `2026-11-24` — the local date of an instant in `tz`. */
export function localDate(instant: Date, tz: string): string {
  return localDateTime(instant, tz).slice(0, 10);
}

export function floorHour(ms: number): Date {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

/**
 * The UTC hour buckets of the same local hour of the week in the `weeks` weeks before `hour`, oldest first.
 * Normally `hour − 7 days × j`; across a DST change the bucket one hour earlier or later that shows the same local
 * weekday and hour; null when that week had no such local hour (the skipped spring hour).
 */
export function sameHourInEarlierWeeks(hour: Date, tz: string, weeks: number): Array<Date | null> {
  const target = hourOfWeek(hour, tz);
  const result: Array<Date | null> = [];
  for (let j = weeks; j >= 1; j -= 1) {
    const base = hour.getTime() - j * WEEK_MS;
    const match = [base, base - HOUR_MS, base + HOUR_MS].find((t) => hourOfWeek(new Date(t), tz) === target);
    result.push(match === undefined ? null : new Date(match));
  }
  return result;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The instant of local midnight at the start of `day` (YYYY-MM-DD) in `tz`. */
export function localMidnight(day: string, tz: string): Date {
  const m = DATE.exec(day);
  if (m === null) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // offset at the guess, then once more at the corrected instant (a DST change near midnight)
  let instant = wall - zoneOffsetMinutes(tz, new Date(wall)) * 60_000;
  instant = wall - zoneOffsetMinutes(tz, new Date(instant)) * 60_000;
  return new Date(instant);
}

/** [local midnight of `day`, local midnight of the next day) in `tz`: 23, 24 or 25 hours. */
export function localDayRange(day: string, tz: string): { from: Date; to: Date } {
  const from = localMidnight(day, tz);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from, to: localMidnight(next, tz) };
}

/** The calendar day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

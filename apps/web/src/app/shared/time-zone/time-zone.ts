/** Calendar days and IANA time zones without a date library (Intl only). Shared by the live view and the reports. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ZONE = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** An IANA zone name the browser knows (`Europe/Istanbul`, `UTC`); raw offsets and abbreviations are refused. */
export function isTimeZone(value: string): boolean {
  if (!ZONE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar day written `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Offset of `tz` from UTC at `instant`, minutes. */
export function offsetMinutes(tz: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant of local midnight of `day` (`YYYY-MM-DD`) in `tz`, plus `plusDays` days. */
export function zonedMidnight(day: string, tz: string, plusDays = 0): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + plusDays);
  let instant = wall - offsetMinutes(tz, wall) * 60_000;
  instant = wall - offsetMinutes(tz, instant) * 60_000; // DST: the offset at the result, not at the guess
  return new Date(instant);
}

/** Today's calendar day in `tz`, as `YYYY-MM-DD`. */
export function todayIn(tz: string, now: Date): string {
  return shiftDay(new Date(now.getTime() + offsetMinutes(tz, now.getTime()) * 60_000).toISOString().slice(0, 10), 0);
}

/** `day` ± `days` (calendar arithmetic, no zone). */
export function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

import type { ParamMap, Params } from '@angular/router';
import { REPORT_BUCKETS, type ReportBucket, type ReportRange } from './reports.models';

/**
 * The reports view as kept in the URL: `/reports?from=2026-11-18&to=2026-11-24&tz=Europe/Istanbul&bucket=day`.
 * `from`/`to` are calendar days in `tz`, both inclusive. Invalid values fall back to the defaults.
 */
export interface ReportViewQuery {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly bucket: ReportBucket;
}

export const DEFAULT_REPORT_TZ = 'Europe/Istanbul';
export const REPORT_TZ_STORAGE_KEY = 'velora.reports.tz';
/** Days shown by default, today included. */
export const DEFAULT_REPORT_DAYS = 7;

/** Zones offered in the picker; the viewer's own and the stored one are added when missing. */
export const COMMON_TIME_ZONES = [
  'Europe/Istanbul',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'America/New_York',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ZONE = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

export function isTimeZone(value: string): boolean {
  if (!ZONE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isDay(value: string): boolean {
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

/** The stored zone if valid, else Istanbul. */
export function storedTimeZone(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    const value = storage?.getItem(REPORT_TZ_STORAGE_KEY) ?? null;
    return value !== null && isTimeZone(value) ? value : DEFAULT_REPORT_TZ;
  } catch {
    return DEFAULT_REPORT_TZ;
  }
}

/** Parses the URL; missing or invalid values get defaults (last 7 days in the stored zone, daily buckets). */
export function parseReportQuery(params: ParamMap, now: Date, fallbackTz: string): ReportViewQuery {
  const tzParam = params.get('tz');
  const tz = tzParam !== null && isTimeZone(tzParam) ? tzParam : fallbackTz;
  const today = todayIn(tz, now);
  const fromParam = params.get('from');
  const toParam = params.get('to');
  let to = toParam !== null && isDay(toParam) ? toParam : today;
  let from = fromParam !== null && isDay(fromParam) ? fromParam : shiftDay(to, -(DEFAULT_REPORT_DAYS - 1));
  if (from > to) {
    [from, to] = [to, from];
  }
  const bucketParam = params.get('bucket');
  const bucket = (REPORT_BUCKETS as readonly string[]).includes(bucketParam ?? '')
    ? (bucketParam as ReportBucket)
    : from === to
      ? 'hour'
      : 'day';
  return { from, to, tz, bucket };
}

export function toReportQueryParams(query: ReportViewQuery): Params {
  return { from: query.from, to: query.to, tz: query.tz, bucket: query.bucket };
}

/** The API range: `[midnight of from, midnight after to)` in the zone. */
export function toReportRange(query: ReportViewQuery): ReportRange {
  return {
    from: zonedMidnight(query.from, query.tz).toISOString(),
    to: zonedMidnight(query.to, query.tz, 1).toISOString(),
    tz: query.tz,
  };
}

/** Time zones and buckets of the reports. */

import { dateTimeFormat } from '../common/intl-formats';

export const REPORT_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];

export const DEFAULT_REPORT_TIME_ZONE = 'Europe/Istanbul';

/** At most this many buckets per time series (hour buckets over a long range are refused). */
export const MAX_REPORT_BUCKETS = 10_000;

const ZONE_NAME = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/**
 * True for an IANA zone name the runtime knows (`Europe/Istanbul`, `Asia/Kolkata`, `UTC`).
 * Raw offsets (`+03:00`) and abbreviations (`EST`) are refused: PostgreSQL would read POSIX
 * offsets with the opposite sign.
 */
export function isValidTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_NAME.test(value)) {
    return false;
  }
  try {
    dateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC at `instant`, in minutes (Istanbul: +180). */
export function zoneOffsetMinutes(zone: string, instant: Date): number {
  const parts = dateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * Whether hour buckets in `zone` line up with UTC hours over [from, to): true when every offset
 * the zone uses in that range is a whole number of hours (Istanbul, Berlin, New York), false for
 * Asia/Kolkata (+05:30), Asia/Kathmandu (+05:45)… An hourly UTC rollup can answer hour buckets only
 * when this is true; day/week/month buckets need whole-hour offsets at their boundaries too.
 */
export function hourAligned(zone: string, from: Date, to: Date): boolean {
  const step = 6 * 3_600_000;
  for (let t = from.getTime(); t < to.getTime() + step; t += step) {
    if (zoneOffsetMinutes(zone, new Date(Math.min(t, to.getTime()))) % 60 !== 0) {
      return false;
    }
  }
  return true;
}

/** Upper bound of the number of buckets of a series (used to refuse absurd hour series). */
export function estimateBuckets(bucket: ReportBucket, from: Date, to: Date): number {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  const per: Record<ReportBucket, number> = { hour: 1, day: 24, week: 168, month: 28 * 24 };
  return Math.ceil(hours / per[bucket]) + 1;
}

/** The period of the same length right before [from, to). */
export function previousPeriod(from: Date, to: Date): { from: Date; to: Date } {
  const length = to.getTime() - from.getTime();
  return { from: new Date(from.getTime() - length), to: new Date(from.getTime()) };
}

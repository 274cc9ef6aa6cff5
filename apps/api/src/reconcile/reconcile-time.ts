import { zoneOffsetMinutes } from '../reports/report-time';

export const HOUR_MS = 3_600_000;

/** The UTC hours [a, a + 1 h) covering [from, to); both must be whole hours. */
export function hourWindows(from: number, to: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (let a = from; a < to; a += HOUR_MS) {
    windows.push([a, Math.min(a + HOUR_MS, to)]);
  }
  return windows;
}

export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const ceilHour = (ms: number): number => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/** The calendar day of `instant` in `zone`, as UTC-based Y/M/D. */
function localDay(instant: number, zone: string): { y: number; m: number; d: number } {
  const shifted = new Date(instant + zoneOffsetMinutes(zone, new Date(instant)) * 60_000);
  return { y: shifted.getUTCFullYear(), m: shifted.getUTCMonth(), d: shifted.getUTCDate() };
}

/**
 * The instant when the wall clock in `zone` shows `hour:minute` on day y-m-d (+ `plusDays`). In a skipped hour
 * (spring forward) it is the instant the same number of minutes after the jump; in a repeated hour the first one.
 */
export function zonedInstant(day: { y: number; m: number; d: number }, hour: number, minute: number, zone: string, plusDays = 0): number {
  const wall = Date.UTC(day.y, day.m, day.d + plusDays, hour, minute);
  let instant = wall - zoneOffsetMinutes(zone, new Date(wall)) * 60_000;
  instant = wall - zoneOffsetMinutes(zone, new Date(instant)) * 60_000; // the offset at the result, not at the guess
  return instant;
}

/** The next instant after `now` when the wall clock in `zone` shows `at` (today's if still ahead, else tomorrow's). */
export function nextDailyRun(now: number, at: { hour: number; minute: number }, zone: string): number {
  const today = localDay(now, zone);
  const candidate = zonedInstant(today, at.hour, at.minute, zone);
  return candidate > now ? candidate : zonedInstant(today, at.hour, at.minute, zone, 1);
}

/**
 * Yesterday in `zone` relative to `now`, as whole UTC hours: [local midnight of yesterday, local midnight of today),
 * widened to whole hours in zones with a half-hour offset (Asia/Kolkata), where a window then straddles two days.
 */
export function previousDay(now: number, zone: string): { from: number; to: number } {
  const today = localDay(now, zone);
  return { from: floorHour(zonedInstant(today, 0, 0, zone, -1)), to: ceilHour(zonedInstant(today, 0, 0, zone)) };
}

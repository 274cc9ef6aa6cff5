import type { ReconcileWindow } from '@velora/contracts';
import { shiftDay, zonedMidnight } from '../../../shared/time-zone/time-zone';

const HOUR_MS = 3_600_000;
const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number): number => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/**
 * A day's verdict: every closed hour checked and nothing was missing (`complete`), some were missing and have been
 * inserted (`healed`), the switch could not be read for an hour (`failed`), only some hours checked (`partial`),
 * none (`unchecked`), or no hour of the day is over yet (`open`).
 */
export const DAY_STATUSES = ['complete', 'healed', 'failed', 'partial', 'unchecked', 'open'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];

export interface CompletenessHour {
  /** Start and end of the UTC hour (epoch ms). */
  readonly start: number;
  readonly end: number;
  /** The latest check, or null. */
  readonly check: ReconcileWindow | null;
}

export interface CompletenessDay {
  /** `YYYY-MM-DD` in the zone. */
  readonly day: string;
  readonly status: DayStatus;
  /** The hours of the day that are over (only these can be checked), oldest first. */
  readonly hours: readonly CompletenessHour[];
  readonly checkedHours: number;
  readonly healed: number;
  /** CDRs the switch returned over the checked hours, and stored after the checks. */
  readonly switchCount: number;
  readonly stored: number;
  /** When the day was last checked (the latest check of its hours), ISO. */
  readonly checkedAt: string | null;
  /** Whole closed hours to send to POST /api/sippy/reconcile, or null when none is over yet. */
  readonly reconcile: { readonly from: string; readonly to: string } | null;
}

/** The whole UTC hours covering the days `from`…`to` (inclusive) in `tz`: the range to list. */
export function hoursOfDays(from: string, to: string, tz: string): { from: string; to: string } {
  return {
    from: new Date(floorHour(zonedMidnight(from, tz).getTime())).toISOString(),
    to: new Date(ceilHour(zonedMidnight(to, tz, 1).getTime())).toISOString(),
  };
}

/**
 * One entry per calendar day from `to` back to `from` (newest first), from the latest check of each hour. In a zone
 * with a half-hour offset (Asia/Kolkata) the hour that straddles midnight belongs to both days.
 */
export function completenessDays(from: string, to: string, tz: string, checks: readonly ReconcileWindow[], now: number): CompletenessDay[] {
  const byStart = new Map(checks.map((c) => [Date.parse(c.window_start), c]));
  const days: CompletenessDay[] = [];
  for (let day = to; day >= from; day = shiftDay(day, -1)) {
    const start = floorHour(zonedMidnight(day, tz).getTime());
    const end = Math.min(ceilHour(zonedMidnight(day, tz, 1).getTime()), floorHour(now));
    const hours: CompletenessHour[] = [];
    for (let a = start; a + HOUR_MS <= end; a += HOUR_MS) {
      hours.push({ start: a, end: a + HOUR_MS, check: byStart.get(a) ?? null });
    }
    const checked = hours.flatMap((h) => (h.check === null ? [] : [h.check]));
    const healed = checked.reduce((sum, c) => sum + c.healed, 0);
    const checkedAt = checked.reduce<string | null>(
      (latest, c) => (latest === null || c.checked_at > latest ? c.checked_at : latest),
      null,
    );
    days.push({
      day,
      status: dayStatus(hours.length, checked),
      hours,
      checkedHours: checked.length,
      healed,
      switchCount: checked.reduce((sum, c) => sum + (c.switch_count ?? 0), 0),
      stored: checked.reduce((sum, c) => sum + c.stored_after, 0),
      checkedAt,
      reconcile: hours.length === 0 ? null : { from: new Date(start).toISOString(), to: new Date(end).toISOString() },
    });
  }
  return days;
}

function dayStatus(closedHours: number, checked: readonly ReconcileWindow[]): DayStatus {
  if (closedHours === 0) return 'open';
  if (checked.some((c) => c.status === 'failed')) return 'failed';
  if (checked.length === 0) return 'unchecked';
  if (checked.length < closedHours) return 'partial';
  return checked.some((c) => c.healed > 0) ? 'healed' : 'complete';
}

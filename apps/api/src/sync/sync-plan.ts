import type { SyncCursorState } from './sync.types';

export interface SyncPlanConfig {
  safetyLagMs: number;
  overlapMs: number;
  fullPassEveryMs: number;
  maxCallMs: number;
  initialLookbackMs: number;
}

export interface SyncPlan {
  pass: 'fast' | 'full';
  /** Inclusive lower bound of CDR times to read. */
  from: number;
  /** Exclusive upper bound (now − safety lag, whole seconds: Sippy times have 1 s resolution). */
  to: number;
}

const floorSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

export function initialSyncState(now: number, cfg: SyncPlanConfig): SyncCursorState {
  const start = new Date(floorSecond(now - cfg.initialLookbackMs)).toISOString();
  return { version: 1, fast_until: start, full_until: start, last_full_pass_at: null, rows_total: 0, last_success_at: null };
}

/**
 * Decides what the next run reads. Sippy writes a CDR when the call ENDS but files it under its start time,
 * so a call of up to max_call seconds can appear in a window that was read already:
 * - a full pass re-reads [full_until − max_call, now − lag) every fullPassEvery (and on first start and after
 *   outages), which guarantees that nothing is lost;
 * - the frequent ("fast") passes in between re-read only [fast_until − overlap, now − lag), so new calls show up
 *   within one interval while the switch is not asked for two hours of CDRs every 15 seconds.
 */
export function planSyncRun(state: SyncCursorState, now: number, cfg: SyncPlanConfig): SyncPlan | null {
  const to = floorSecond(now - cfg.safetyLagMs);
  const lastFull = state.last_full_pass_at ? Date.parse(state.last_full_pass_at) : Number.NEGATIVE_INFINITY;
  const full = now - lastFull >= cfg.fullPassEveryMs;
  const from = full
    ? floorSecond(Date.parse(state.full_until) - cfg.maxCallMs)
    : floorSecond(Math.min(Date.parse(state.fast_until), to) - cfg.overlapMs);
  if (!(to > from)) {
    return null;
  }
  return { pass: full ? 'full' : 'fast', from, to };
}

/** Splits [from, to) into consecutive windows of at most windowMs (Sippy recommends small windows). */
export function splitWindows(from: number, to: number, windowMs: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (let a = from; a < to; a += windowMs) {
    windows.push([a, Math.min(a + windowMs, to)]);
  }
  return windows;
}

/** The state after a window [.., b) of the given pass has been committed. */
export function advanceState(state: SyncCursorState, pass: 'fast' | 'full', b: number, inserted: number): SyncCursorState {
  const iso = new Date(b).toISOString();
  return {
    ...state,
    fast_until: Date.parse(state.fast_until) < b ? iso : state.fast_until,
    full_until: pass === 'full' && Date.parse(state.full_until) < b ? iso : state.full_until,
    rows_total: state.rows_total + inserted,
  };
}

/** Delay before the next run: the interval after a success, interval × 2^failures after failures, capped. */
export function nextRunDelayMs(consecutiveFailures: number, intervalMs: number, maxBackoffMs: number): number {
  if (consecutiveFailures <= 0) return intervalMs;
  return Math.min(Math.max(maxBackoffMs, intervalMs), intervalMs * 2 ** Math.min(consecutiveFailures, 20));
}

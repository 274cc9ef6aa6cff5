import { advanceState, initialSyncState, nextRunDelayMs, planSyncRun, splitWindows, type SyncPlanConfig } from './sync-plan';

const cfg: SyncPlanConfig = {
  safetyLagMs: 5_000,
  overlapMs: 900_000,
  fullPassEveryMs: 300_000,
  maxCallMs: 7_200_000,
  initialLookbackMs: 86_400_000,
};
const T = Date.UTC(2026, 10, 25, 12, 0, 0, 0);

describe('sync plan', () => {
  it('first run is a full pass from lookback + max call duration back to now − lag', () => {
    const state = initialSyncState(T, cfg);
    const plan = planSyncRun(state, T, cfg);
    expect(plan).toEqual({ pass: 'full', from: T - 86_400_000 - 7_200_000, to: T - 5_000 });
  });

  it('between full passes, runs re-read only the overlap before the cursor', () => {
    let state = initialSyncState(T, cfg);
    state = { ...advanceState(state, 'full', T - 5_000, 10), last_full_pass_at: new Date(T).toISOString() };
    const plan = planSyncRun(state, T + 15_000, cfg);
    expect(plan).toEqual({ pass: 'fast', from: T - 5_000 - 900_000, to: T + 10_000 });
  });

  it('a full pass is due again after fullPassEvery and reaches max call duration back', () => {
    let state = initialSyncState(T, cfg);
    state = { ...advanceState(state, 'full', T - 5_000, 0), last_full_pass_at: new Date(T).toISOString() };
    state = advanceState(state, 'fast', T + 290_000, 0);
    const plan = planSyncRun(state, T + 300_000, cfg);
    expect(plan).toEqual({ pass: 'full', from: T - 5_000 - 7_200_000, to: T + 295_000 });
  });

  it('bounds are whole seconds (Sippy times have 1 s resolution)', () => {
    const state = initialSyncState(T + 123, cfg);
    const plan = planSyncRun(state, T + 5_999, cfg);
    expect(plan!.from % 1000).toBe(0);
    expect(plan!.to % 1000).toBe(0);
  });

  it('a fast pass never advances the full-pass cursor; a full pass advances both', () => {
    const state = initialSyncState(T, cfg);
    const fast = advanceState(state, 'fast', T, 3);
    expect(fast.full_until).toBe(state.full_until);
    expect(fast.fast_until).toBe(new Date(T).toISOString());
    expect(fast.rows_total).toBe(3);
    const full = advanceState(state, 'full', T, 2);
    expect(full.full_until).toBe(new Date(T).toISOString());
    expect(full.fast_until).toBe(new Date(T).toISOString());
  });

  it('cursors never move backwards', () => {
    const state = advanceState(initialSyncState(T, cfg), 'full', T, 0);
    const again = advanceState(state, 'full', T - 60_000, 0);
    expect(again.full_until).toBe(state.full_until);
    expect(again.fast_until).toBe(state.fast_until);
  });

  it('splits a range into consecutive windows covering it exactly', () => {
    expect(splitWindows(0, 25, 10)).toEqual([
      [0, 10],
      [10, 20],
      [20, 25],
    ]);
    expect(splitWindows(5, 5, 10)).toEqual([]);
  });

  it('nothing to do when the clock has not moved past the lag', () => {
    const state = { ...initialSyncState(T, { ...cfg, initialLookbackMs: 0 }), last_full_pass_at: new Date(T).toISOString() };
    expect(planSyncRun(state, T + 1_000, { ...cfg, overlapMs: 0 })).toBeNull();
  });

  it('backs off exponentially after failures, capped, and never below the interval', () => {
    expect([0, 1, 2, 3, 4, 10].map((f) => nextRunDelayMs(f, 15_000, 300_000))).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
    expect(nextRunDelayMs(3, 600_000, 300_000)).toBe(600_000);
  });
});

import {
  analyzeSubjectHour,
  detectAsrDrop,
  detectCostJumps,
  detectTrafficSpike,
  median,
  newDestinationFinding,
  robustBaseline,
  type AnalysisSettings,
  type HourMeasures,
  type SubjectHour,
} from './insight-analysis';

const SETTINGS: AnalysisSettings = { thresholdWarn: 4, thresholdCrit: 8, minCalls: 20, minHistoryWeeks: 3 };
const DE = { type: 'country', countryCode: 'DE' } as const;

/** Deterministic noise (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hour = (calls: number, answered = Math.round(calls * 0.6), cost: Record<string, number> = {}): HourMeasures => ({
  calls,
  answered,
  cost,
});
const series = (observed: HourMeasures, history: Array<HourMeasures | null>): SubjectHour => ({ subject: DE, observed, history });

describe('median and MAD', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('is not dragged by one past outlier, unlike mean and standard deviation', () => {
    const base = robustBaseline([40, 42, 38, 41, 39, 400, 40, 43], () => 0);
    expect(base.median).toBe(40.5);
    // MAD = median(|x − 40.5|) = 1.5 → spread 2.22; the 400 does not widen it
    expect(base.spread).toBeCloseTo(1.5 * 1.4826, 6);
  });

  it('raises a zero spread (identical weeks) to the floor', () => {
    expect(robustBaseline([10, 10, 10, 10], (m) => Math.sqrt(m))).toEqual({ median: 10, spread: Math.sqrt(10) });
  });
});

describe('traffic spike', () => {
  const history = [40, 42, 38, 41, 39, 40, 43, 37].map((c) => hour(c));

  it('fires on a spike, critical far above the band, with the evidence behind it', () => {
    const finding = detectTrafficSpike(series(hour(200), history), SETTINGS);
    expect(finding).toMatchObject({
      kind: 'traffic_spike',
      severity: 'critical',
      metric: 'calls',
      observed: 200,
      expected: 40,
      subject: DE,
      currency: null,
      evidence: { calls: 200, history: [40, 42, 38, 41, 39, 40, 43, 37], history_weeks: 8 },
    });
    // spread = max(1.4826 × MAD 1.5, √40) = 6.32 → z = 160 / 6.32
    expect(finding?.score).toBeCloseTo(25.3, 1);
    expect(finding?.band).toEqual({ low: 14.7, high: 65.3 });
  });

  it('is a warning between the two thresholds', () => {
    // z = (70 − 40) / 6.32 = 4.7
    expect(detectTrafficSpike(series(hour(70), history), SETTINGS)?.severity).toBe('warning');
    expect(detectTrafficSpike(series(hour(60), history), SETTINGS)).toBeNull(); // z = 3.2
  });

  it('is silent with too little history, whatever the hour holds', () => {
    expect(detectTrafficSpike(series(hour(5000), [hour(40), hour(41)]), SETTINGS)).toBeNull();
    // weeks before the stored history started are not history
    expect(detectTrafficSpike(series(hour(5000), [null, null, null, null, null, hour(40), hour(41)]), SETTINGS)).toBeNull();
    expect(detectTrafficSpike(series(hour(5000), [null, null, null, null, hour(0), hour(40), hour(41)]), SETTINGS)?.kind).toBe(
      'traffic_spike',
    );
  });

  it('is silent below the minimum volume and for a small relative rise on a big series', () => {
    // from 1 to 19 calls: a big z, but under INSIGHTS_MIN_CALLS
    expect(
      detectTrafficSpike(
        series(
          hour(19),
          [1, 1, 2, 1].map((c) => hour(c)),
        ),
        SETTINGS,
      ),
    ).toBeNull();
    // 10 000 → 10 800: z = 800 / 100 = 8, but only +8 %
    expect(
      detectTrafficSpike(
        series(
          hour(10_800),
          [10_000, 10_000, 10_000, 10_000].map((c) => hour(c)),
        ),
        SETTINGS,
      ),
    ).toBeNull();
  });

  it('stays silent on normal weekly seasonality, hour by hour over a whole week', () => {
    // 9 weeks of an office pattern: 100 calls/h on weekdays 09–18, 5 at night, 20 on weekend days, ±10 % noise
    const random = rng(42);
    const level = (how: number): number => {
      const day = Math.floor(how / 24);
      const h = how % 24;
      if (day >= 5) return h >= 9 && h < 18 ? 20 : 3;
      return h >= 9 && h < 18 ? 100 : 5;
    };
    const noisy = (value: number): number => Math.max(0, Math.round(value * (0.9 + 0.2 * random())));
    const weeks = Array.from({ length: 9 }, () => Array.from({ length: 168 }, (_, how) => noisy(level(how))));
    let fired = 0;
    let checked = 0;
    for (let how = 0; how < 168; how += 1) {
      const observed = weeks[8][how];
      const history = weeks.slice(0, 8).map((w) => hour(w[how], Math.round(w[how] * 0.6)));
      const s = series(hour(observed, Math.round(observed * 0.6)), history);
      fired += analyzeSubjectHour(s, SETTINGS, null).length;
      checked += 1;
    }
    expect(checked).toBe(168);
    expect(fired).toBe(0);
    // the same Monday 10:00 against the whole week's median (no seasonality) would have fired
    const flat = weeks.slice(0, 8).flatMap((w) => w.map((c) => hour(c)));
    expect(detectTrafficSpike(series(hour(weeks[8][10]), flat), SETTINGS)).not.toBeNull();
  });
});

describe('ASR drop', () => {
  const history = [100, 110, 95, 105, 100].map((calls) => hour(calls, Math.round(calls * 0.6)));

  it('fires when the hour answers far fewer calls than the same hour usually does', () => {
    const finding = detectAsrDrop(series(hour(100, 20), history), SETTINGS);
    expect(finding).toMatchObject({ kind: 'asr_drop', metric: 'asr', observed: 20, expected: 60, severity: 'critical' });
    expect(finding?.evidence.history).toEqual([60, 60, 60, 60, 60]);
  });

  it('is silent for ordinary variation, below the minimum volume, and for weeks with too few calls', () => {
    expect(detectAsrDrop(series(hour(100, 52), history), SETTINGS)).toBeNull();
    expect(detectAsrDrop(series(hour(10, 0), history), SETTINGS)).toBeNull();
    const thinWeeks = [hour(5, 3), hour(5, 3), hour(5, 3), hour(100, 60)];
    expect(detectAsrDrop(series(hour(100, 0), thinWeeks), SETTINGS)).toBeNull();
  });
});

describe('cost jump', () => {
  const history = [1, 2, 3, 4, 5].map(() => hour(50, 30, { TRY: 10, USD: 2 }));

  it('fires per currency and never adds currencies together', () => {
    const findings = detectCostJumps(series(hour(50, 30, { TRY: 80, USD: 2.1 }), history), SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'cost_jump',
      currency: 'TRY',
      observed: 80,
      expected: 10,
      metric: 'cost',
      severity: 'critical',
    });
    expect(findings[0].evidence.history).toEqual([10, 10, 10, 10, 10]);
  });

  it('counts a week without costs in the currency as zero', () => {
    const mixed = [hour(50, 30, { TRY: 10 }), hour(50, 30, {}), hour(50, 30, { TRY: 12 }), hour(50, 30, { TRY: 11 })];
    expect(detectCostJumps(series(hour(50, 30, { TRY: 60 }), mixed), SETTINGS)[0]?.evidence.history).toEqual([10, 0, 12, 11]);
  });
});

describe('new destination', () => {
  const quiet = [hour(0), hour(0), hour(0), hour(0)];

  it('is info below the minimum volume and a warning from it; the spike it implies is not raised twice', () => {
    expect(newDestinationFinding(series(hour(3), quiet), 28, SETTINGS)).toMatchObject({
      kind: 'new_destination',
      severity: 'info',
      observed: 3,
    });
    const findings = analyzeSubjectHour(series(hour(60, 10, { USD: 30 }), quiet), SETTINGS, { quietDays: 28 });
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([['new_destination', 'warning']]);
    expect(findings[0].evidence.quiet_days).toBe(28);
  });

  it('is silent on a young installation (too little history) and for the whole traffic', () => {
    expect(newDestinationFinding(series(hour(60), [null, null, hour(0)]), 28, SETTINGS)).toBeNull();
    expect(
      newDestinationFinding({ subject: { type: 'all', countryCode: null }, observed: hour(60), history: quiet }, 28, SETTINGS),
    ).toBeNull();
  });
});

import type { InsightKind, InsightMetric, InsightSeverity, InsightSubjectType } from '@velora/contracts';

/**
 * The anomaly maths of the insights (docs/insights.md), pure: no clock, no database.
 *
 * The baseline of an hour is the same local hour of the week in the earlier weeks (hour-of-week seasonality: Monday
 * 10:00 is compared with earlier Mondays at 10:00, never with Sunday night). Its centre is the **median** and its
 * spread the **MAD** (median absolute deviation × 1.4826, the normal-consistent scale) — both ignore a past anomaly
 * instead of being dragged by it, unlike a mean and a standard deviation. A spread of 0 (identical weeks) is raised to
 * a floor that reflects counting noise, so a stable series does not turn every small change into an infinite score.
 */

/** MAD × this estimates the standard deviation of normally distributed data. */
export const MAD_SCALE = 1.4826;
/** Spikes and jumps must also be at least this much above the median (×1.5), so large, steady series do not fire on a few per cent. */
export const MIN_RISE = 0.5;
/** An ASR drop must be at least this many percentage points. */
export const MIN_ASR_DROP_PP = 10;
/** Floor of the ASR spread, percentage points. */
export const ASR_SPREAD_FLOOR_PP = 2;
/** Floor of the cost spread: this share of the median (and never below COST_SPREAD_FLOOR_ABS). */
export const COST_SPREAD_FLOOR_SHARE = 0.1;
export const COST_SPREAD_FLOOR_ABS = 0.01;

export interface AnalysisSettings {
  /** Robust z-score from which an insight is raised (warning). */
  thresholdWarn: number;
  /** Robust z-score from which it is critical. */
  thresholdCrit: number;
  /** Fewer calls of the subject in the hour raise no traffic, ASR or cost insight; fewer calls in an earlier week give that week no ASR. */
  minCalls: number;
  /** Fewer weeks of history raise nothing. */
  minHistoryWeeks: number;
}

/** What the rollup says about one subject in one hour. */
export interface HourMeasures {
  calls: number;
  answered: number;
  /** Cost per currency (currencies are never added together). */
  cost: Readonly<Record<string, number>>;
}

export interface InsightSubject {
  type: InsightSubjectType;
  /** ISO code for `country`, null for `all`. */
  countryCode: string | null;
}

/** One subject in one hour, with the same hour of the week in earlier weeks (oldest first; null = before the stored history). */
export interface SubjectHour {
  subject: InsightSubject;
  observed: HourMeasures;
  history: ReadonlyArray<HourMeasures | null>;
}

export interface Finding {
  kind: InsightKind;
  severity: InsightSeverity;
  subject: InsightSubject;
  currency: string | null;
  metric: InsightMetric;
  observed: number;
  expected: number | null;
  band: { low: number; high: number } | null;
  score: number | null;
  evidence: {
    calls: number;
    answered: number;
    history: Array<number | null>;
    history_weeks: number;
    quiet_days?: number;
  };
}

export interface RobustBaseline {
  median: number;
  /** MAD × 1.4826, raised to the floor. */
  spread: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and scaled MAD of `values`; the spread is at least `floor(median)`. */
export function robustBaseline(values: readonly number[], floor: (median: number) => number): RobustBaseline {
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return { median: m, spread: Math.max(MAD_SCALE * mad, floor(m)) };
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

function severityOf(score: number, settings: AnalysisSettings): InsightSeverity {
  return score >= settings.thresholdCrit ? 'critical' : 'warning';
}

const asrOf = (m: HourMeasures): number => (m.answered / m.calls) * 100;

/** Weeks with stored history (non-null). */
export function historyWeeks(series: SubjectHour): number {
  return series.history.filter((h) => h !== null).length;
}

/**
 * Traffic spike: calls in the hour far above the usual calls of that hour of the week.
 * Spread floor: √median (Poisson counting noise), at least 1.
 */
export function detectTrafficSpike(series: SubjectHour, settings: AnalysisSettings): Finding | null {
  const weeks = series.history.filter((h): h is HourMeasures => h !== null);
  if (weeks.length < settings.minHistoryWeeks) return null;
  const observed = series.observed.calls;
  if (observed < settings.minCalls) return null;
  const base = robustBaseline(
    weeks.map((w) => w.calls),
    (m) => Math.max(Math.sqrt(m), 1),
  );
  const score = (observed - base.median) / base.spread;
  if (score < settings.thresholdWarn || observed < base.median * (1 + MIN_RISE)) return null;
  return {
    kind: 'traffic_spike',
    severity: severityOf(score, settings),
    subject: series.subject,
    currency: null,
    metric: 'calls',
    observed,
    expected: round(base.median, 2),
    band: band(base, settings, 2),
    score: round(score, 1),
    evidence: evidenceOf(series, (h) => h.calls),
  };
}

/**
 * ASR drop: the answer-seizure ratio of the hour far below its usual value for that hour of the week. Weeks with
 * fewer than minCalls calls have no meaningful ratio and are left out. Spread floor: the binomial standard error of
 * the hour's ratio (√(p(1−p)/n)), at least 2 percentage points.
 */
export function detectAsrDrop(series: SubjectHour, settings: AnalysisSettings): Finding | null {
  const observedCalls = series.observed.calls;
  if (observedCalls < settings.minCalls) return null;
  const weeks = series.history.filter((h): h is HourMeasures => h !== null && h.calls >= settings.minCalls);
  if (weeks.length < settings.minHistoryWeeks) return null;
  const observed = asrOf(series.observed);
  const base = robustBaseline(weeks.map(asrOf), (m) => {
    const p = Math.min(Math.max(m / 100, 0), 1);
    return Math.max(100 * Math.sqrt((p * (1 - p)) / observedCalls), ASR_SPREAD_FLOOR_PP);
  });
  const drop = base.median - observed;
  const score = drop / base.spread;
  if (score < settings.thresholdWarn || drop < MIN_ASR_DROP_PP) return null;
  return {
    kind: 'asr_drop',
    severity: severityOf(score, settings),
    subject: series.subject,
    currency: null,
    metric: 'asr',
    observed: round(observed, 2),
    expected: round(base.median, 2),
    band: { low: round(Math.max(0, base.median - settings.thresholdWarn * base.spread), 2), high: 100 },
    score: round(score, 1),
    evidence: evidenceOf(series, (h) => (h.calls >= settings.minCalls ? round(asrOf(h), 2) : null)),
  };
}

/**
 * Cost jump, per currency: the hour's cost far above the usual cost of that hour of the week (a week without costs in
 * the currency counts as 0). Spread floor: 10 % of the median, at least 0.01.
 */
export function detectCostJumps(series: SubjectHour, settings: AnalysisSettings): Finding[] {
  const weeks = series.history.filter((h): h is HourMeasures => h !== null);
  if (weeks.length < settings.minHistoryWeeks || series.observed.calls < settings.minCalls) return [];
  const findings: Finding[] = [];
  for (const [currency, observed] of Object.entries(series.observed.cost)) {
    if (!(observed > 0)) continue;
    const base = robustBaseline(
      weeks.map((w) => w.cost[currency] ?? 0),
      (m) => Math.max(COST_SPREAD_FLOOR_SHARE * Math.abs(m), COST_SPREAD_FLOOR_ABS),
    );
    const score = (observed - base.median) / base.spread;
    if (score < settings.thresholdWarn || observed < base.median * (1 + MIN_RISE)) continue;
    findings.push({
      kind: 'cost_jump',
      severity: severityOf(score, settings),
      subject: series.subject,
      currency,
      metric: 'cost',
      observed: round(observed, 4),
      expected: round(base.median, 4),
      band: band(base, settings, 4),
      score: round(score, 1),
      evidence: evidenceOf(series, (h) => round(h.cost[currency] ?? 0, 4)),
    });
  }
  return findings;
}

/**
 * A destination with calls in the hour and none in the `quietDays` days before: info, or a warning from minCalls
 * calls. Silent without minHistoryWeeks weeks of stored history (on a new installation everything is "new").
 */
export function newDestinationFinding(series: SubjectHour, quietDays: number, settings: AnalysisSettings): Finding | null {
  if (series.subject.type !== 'country' || series.observed.calls === 0) return null;
  if (historyWeeks(series) < settings.minHistoryWeeks) return null;
  return {
    kind: 'new_destination',
    severity: series.observed.calls >= settings.minCalls ? 'warning' : 'info',
    subject: series.subject,
    currency: null,
    metric: 'calls',
    observed: series.observed.calls,
    expected: null,
    band: null,
    score: null,
    evidence: { ...evidenceOf(series, (h) => h.calls), quiet_days: quietDays },
  };
}

/**
 * Every finding of one subject in one hour. A new destination raises only its own insight (its calls and costs have
 * no baseline to compare with, so a spike or jump would say the same thing again).
 */
export function analyzeSubjectHour(
  series: SubjectHour,
  settings: AnalysisSettings,
  isNewDestination: { quietDays: number } | null,
): Finding[] {
  if (isNewDestination !== null) {
    const finding = newDestinationFinding(series, isNewDestination.quietDays, settings);
    if (finding !== null) return [finding];
  }
  return [detectTrafficSpike(series, settings), detectAsrDrop(series, settings), ...detectCostJumps(series, settings)].filter(
    (f): f is Finding => f !== null,
  );
}

function band(base: RobustBaseline, settings: AnalysisSettings, digits: number): { low: number; high: number } {
  return {
    low: round(Math.max(0, base.median - settings.thresholdWarn * base.spread), digits),
    high: round(base.median + settings.thresholdWarn * base.spread, digits),
  };
}

function evidenceOf(series: SubjectHour, value: (h: HourMeasures) => number | null): Finding['evidence'] {
  return {
    calls: series.observed.calls,
    answered: series.observed.answered,
    history: series.history.map((h) => (h === null ? null : value(h))),
    history_weeks: historyWeeks(series),
  };
}

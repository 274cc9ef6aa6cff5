import type { Cdr } from '@velora/sippy';

/**
 * Metric definitions of the reports (docs/reports.md, features.md §3b). The SQL in
 * `reports.repository.ts` computes the same sums; these pure functions turn them into the
 * published metrics and are the reference the unit tests check on crafted CDR sets.
 */

/** Sippy/SIP result codes that count as failures the network did not cause (NER numerator). */
export const USER_SIDE_FAILURE_CODES = [486, 480, 408, 487, 603] as const;

/** Additive sums of one group of CDRs (what a query or a rollup row yields). */
export interface MetricSums {
  /** Attempts: every CDR in scope. */
  calls: number;
  /** Status `completed` (result 0 / 2xx) with duration > 0. */
  answered: number;
  /** Not answered and result in USER_SIDE_FAILURE_CODES. */
  user_failures: number;
  /** Sum of the durations of answered calls, seconds. */
  talk_seconds: number;
  /** Sum of billed_duration over all calls, seconds. */
  billed_seconds: number;
  /** Sum and count of the PDD values the switch sent (pdd1xx, else delay). */
  pdd_sum: number;
  pdd_count: number;
}

export interface CostAmount {
  /** ISO 4217 code as stored; null when the CDR had none. */
  currency: string | null;
  amount: number;
}

/** The published metrics of one group. */
export interface ReportMetrics {
  calls: number;
  answered: number;
  /** calls − answered. */
  failed: number;
  /** answered / calls × 100, 2 decimals; null without calls. */
  asr: number | null;
  /** talk_seconds / answered, seconds, 1 decimal; null without answered calls. */
  acd: number | null;
  /** (answered + user-side failures) / calls × 100, 2 decimals; null without calls. */
  ner: number | null;
  /** billed_seconds / 60, 2 decimals. */
  billed_minutes: number;
  /** Talk time of answered calls / 60, 2 decimals. */
  talk_minutes: number;
  /** Sum of cost per currency, biggest first; never added across currencies. */
  cost: CostAmount[];
  /** Mean PDD in seconds (3 decimals); null when the switch sent none. */
  avg_pdd: number | null;
  /**
   * Highest number of simultaneous calls (connect ≤ t < disconnect) among the calls in scope; null when the scope
   * holds more calls than REPORT_PEAK_MAX_CALLS (the sweep over raw rows is not done).
   */
  peak_concurrent: number | null;
}

export const EMPTY_SUMS: MetricSums = Object.freeze({
  calls: 0,
  answered: 0,
  user_failures: 0,
  talk_seconds: 0,
  billed_seconds: 0,
  pdd_sum: 0,
  pdd_count: 0,
});

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const r = Math.round(value * factor) / factor;
  return Object.is(r, -0) ? 0 : r;
}

/** ASR in percent. */
export function asr(s: Pick<MetricSums, 'calls' | 'answered'>): number | null {
  return s.calls === 0 ? null : round((s.answered / s.calls) * 100, 2);
}

/** NER in percent. */
export function ner(s: Pick<MetricSums, 'calls' | 'answered' | 'user_failures'>): number | null {
  return s.calls === 0 ? null : round(((s.answered + s.user_failures) / s.calls) * 100, 2);
}

/** ACD in seconds. */
export function acd(s: Pick<MetricSums, 'answered' | 'talk_seconds'>): number | null {
  return s.answered === 0 ? null : round(s.talk_seconds / s.answered, 1);
}

export function toMetrics(sums: MetricSums, cost: readonly CostAmount[] = [], peakConcurrent: number | null = 0): ReportMetrics {
  return {
    calls: sums.calls,
    answered: sums.answered,
    failed: sums.calls - sums.answered,
    asr: asr(sums),
    acd: acd(sums),
    ner: ner(sums),
    billed_minutes: round(sums.billed_seconds / 60, 2),
    talk_minutes: round(sums.talk_seconds / 60, 2),
    cost: sortCost(cost),
    avg_pdd: sums.pdd_count === 0 ? null : round(sums.pdd_sum / sums.pdd_count, 3),
    peak_concurrent: peakConcurrent,
  };
}

export function sortCost(cost: readonly CostAmount[]): CostAmount[] {
  return cost
    .map((c) => ({ currency: c.currency, amount: round(c.amount, 6) }))
    .sort((a, b) => b.amount - a.amount || (a.currency ?? '').localeCompare(b.currency ?? ''));
}

/** Relative change in percent, 1 decimal; null when the previous value is 0 or either is null. */
export function deltaPct(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) {
    return null;
  }
  return round(((current - previous) / Math.abs(previous)) * 100, 1);
}

// ---------------------------------------------------------------------------------------------
// The definitions on canonical CDRs (reference implementation; the SQL must agree).

/** PDD the switch sent: Sippy pdd1xx, else delay (seconds); null when neither is a number ≥ 0. */
export type PddOf = (cdr: Cdr) => number | null;

export function isAnswered(cdr: Pick<Cdr, 'status' | 'duration'>): boolean {
  return cdr.status === 'completed' && cdr.duration !== null && cdr.duration > 0;
}

export function isUserSideFailure(cdr: Pick<Cdr, 'status' | 'duration' | 'result'>): boolean {
  return !isAnswered(cdr) && cdr.result !== null && (USER_SIDE_FAILURE_CODES as readonly number[]).includes(cdr.result);
}

export function sumCdrs(cdrs: readonly Cdr[], pddOf: PddOf = () => null): { sums: MetricSums; cost: CostAmount[] } {
  const sums: MetricSums = { ...EMPTY_SUMS };
  const cost = new Map<string | null, number>();
  for (const cdr of cdrs) {
    sums.calls += 1;
    if (isAnswered(cdr)) {
      sums.answered += 1;
      sums.talk_seconds += cdr.duration ?? 0;
    } else if (isUserSideFailure(cdr)) {
      sums.user_failures += 1;
    }
    sums.billed_seconds += cdr.billed_duration ?? 0;
    const pdd = pddOf(cdr);
    if (pdd !== null) {
      sums.pdd_sum += pdd;
      sums.pdd_count += 1;
    }
    if (cdr.cost !== null) {
      cost.set(cdr.currency, (cost.get(cdr.currency) ?? 0) + cdr.cost);
    }
  }
  return { sums, cost: [...cost].map(([currency, amount]) => ({ currency, amount })) };
}

/**
 * Peak concurrency: the most calls with start_time ≤ t < end_time at any instant t. Calls without
 * both times, or with end ≤ start, never overlap anything.
 */
export function peakConcurrent(cdrs: readonly Pick<Cdr, 'start_time' | 'end_time'>[]): number {
  const events: [number, number][] = [];
  for (const cdr of cdrs) {
    if (cdr.start_time === null || cdr.end_time === null) continue;
    const start = Date.parse(cdr.start_time);
    const end = Date.parse(cdr.end_time);
    if (!(end > start)) continue;
    events.push([start, 1], [end, -1]);
  }
  // At equal times an end (-1) comes first: a call ending at t does not overlap one starting at t.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

/** All metrics of a CDR set, computed by the definitions. */
export function metricsOf(cdrs: readonly Cdr[], pddOf?: PddOf): ReportMetrics {
  const { sums, cost } = sumCdrs(cdrs, pddOf);
  return toMetrics(sums, cost, peakConcurrent(cdrs));
}

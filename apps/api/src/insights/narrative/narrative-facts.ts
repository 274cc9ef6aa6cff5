import type { InsightKind, InsightMetric, InsightSeverity, NarrativeDayTotals, NarrativeFacts } from '@velora/contracts';
import { localDateTime } from '../hour-of-week';
import type { RollupCell } from '../insights.repository';

/** What the narrative needs of an insight (no phone number can be in it: subjects are country codes). */
export interface NarrativeInsightInput {
  kind: InsightKind;
  severity: InsightSeverity;
  countryCode: string | null;
  hour: Date;
  metric: InsightMetric;
  observed: number;
  expected: number | null;
  currency: string | null;
}

export const TOP_DESTINATIONS = 5;
export const NARRATIVE_INSIGHTS = 10;

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Day totals from rollup cells (costs only in well-formed currency codes; never added across currencies). */
export function dayTotals(cells: readonly RollupCell[]): NarrativeDayTotals {
  let calls = 0;
  let answered = 0;
  let talk = 0;
  let talkCount = 0;
  let billed = 0;
  const cost = new Map<string, number>();
  for (const c of cells) {
    calls += c.calls;
    answered += c.answered;
    talk += c.answered_duration_sum;
    talkCount += c.answered_duration_count;
    billed += c.billed_sum;
    if (c.cost_count > 0 && CURRENCY.test(c.currency)) cost.set(c.currency, (cost.get(c.currency) ?? 0) + c.cost_sum);
  }
  return {
    calls,
    answered,
    asr: calls > 0 ? round((answered / calls) * 100, 2) : null,
    acd: talkCount > 0 ? round(talk / talkCount, 1) : null,
    billed_minutes: round(billed / 60, 2),
    cost: [...cost.entries()]
      .map(([currency, amount]) => ({ currency, amount: round(amount, 2) }))
      .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency)),
  };
}

function changePct(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return round(((current - previous) / Math.abs(previous)) * 100, 1);
}

/**
 * The aggregates of a local day that a narrative is written from: day and previous-day totals, the change, the
 * busiest hour, the top destinations by country code and the most severe insights. Built only from the hourly rollup
 * and the insights table: no caller, callee, account or trunk can reach it.
 */
export function buildNarrativeFacts(input: {
  date: string;
  tz: string;
  cells: readonly RollupCell[];
  previousCells: readonly RollupCell[];
  insights: readonly NarrativeInsightInput[];
}): NarrativeFacts {
  const day = dayTotals(input.cells);
  const previous = dayTotals(input.previousCells);

  const perHour = new Map<number, number>();
  const perCountry = new Map<string, { calls: number; answered: number }>();
  for (const c of input.cells) {
    perHour.set(c.bucket.getTime(), (perHour.get(c.bucket.getTime()) ?? 0) + c.calls);
    if (COUNTRY.test(c.country_code)) {
      const entry = perCountry.get(c.country_code) ?? { calls: 0, answered: 0 };
      entry.calls += c.calls;
      entry.answered += c.answered;
      perCountry.set(c.country_code, entry);
    }
  }
  let busiest: NarrativeFacts['busiest_hour'] = null;
  for (const [time, calls] of [...perHour.entries()].sort((a, b) => a[0] - b[0])) {
    if (calls > 0 && (busiest === null || calls > busiest.calls))
      busiest = { local: localDateTime(new Date(time), input.tz).slice(11), calls };
  }
  const top = [...perCountry.entries()]
    .sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]))
    .slice(0, TOP_DESTINATIONS)
    .map(([country_code, v]) => ({
      country_code,
      calls: v.calls,
      answered: v.answered,
      asr: v.calls > 0 ? round((v.answered / v.calls) * 100, 2) : null,
    }));

  return {
    date: input.date,
    tz: input.tz,
    day,
    previous_day: previous,
    change_pct: {
      calls: changePct(day.calls, previous.calls),
      answered: changePct(day.answered, previous.answered),
      asr: changePct(day.asr, previous.asr),
      billed_minutes: changePct(day.billed_minutes, previous.billed_minutes),
    },
    busiest_hour: busiest,
    top_destinations: top,
    insights: input.insights.slice(0, NARRATIVE_INSIGHTS).map((i) => ({
      kind: i.kind,
      severity: i.severity,
      country_code: i.countryCode !== null && COUNTRY.test(i.countryCode) ? i.countryCode : null,
      hour_local: localDateTime(i.hour, input.tz),
      metric: i.metric,
      observed: i.observed,
      expected: i.expected,
      currency: i.currency !== null && CURRENCY.test(i.currency) ? i.currency : null,
    })),
  };
}

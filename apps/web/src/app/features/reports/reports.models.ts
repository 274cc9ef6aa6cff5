/** Shapes of /api/reports (apps/api/src/reports/reports.service.ts; docs/reports.md). */

export const REPORT_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];
export const BREAKDOWN_DIMENSIONS = ['country', 'city', 'account', 'trunk', 'direction', 'cause'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const TOP_SUBJECTS = ['caller', 'callee', 'destination'] as const;
export type TopSubject = (typeof TOP_SUBJECTS)[number];
export const TOP_METRICS = ['calls', 'minutes', 'cost', 'failures'] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

export interface CostAmount {
  readonly currency: string | null;
  readonly amount: number;
}

export interface ReportMetrics {
  readonly calls: number;
  readonly answered: number;
  readonly failed: number;
  readonly asr: number | null;
  readonly acd: number | null;
  readonly ner: number | null;
  readonly billed_minutes: number;
  readonly talk_minutes: number;
  readonly cost: readonly CostAmount[];
  readonly avg_pdd: number | null;
  /** null when the scope holds more calls than REPORT_PEAK_MAX_CALLS (not computed). */
  readonly peak_concurrent: number | null;
}

/** Query params of the CDR list (live view) that select exactly the calls behind a number. */
export type CdrFilterParams = Readonly<Record<string, string>>;

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
}

export interface ReportRow {
  readonly key: string | null;
  readonly name?: { readonly en: string; readonly tr: string };
  readonly metrics: ReportMetrics;
  readonly filter: CdrFilterParams | null;
}

export interface TimeseriesPoint {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly metrics: ReportMetrics;
  readonly filter: CdrFilterParams;
}

export interface TimeseriesReport {
  readonly period: ReportPeriod;
  readonly bucket: ReportBucket;
  readonly points: readonly TimeseriesPoint[];
}

export interface BreakdownReport {
  readonly period: ReportPeriod;
  readonly by: BreakdownDimension;
  readonly rows: readonly ReportRow[];
}

export interface TopReport {
  readonly period: ReportPeriod;
  readonly by: TopSubject;
  readonly metric: TopMetric;
  readonly rows: readonly ReportRow[];
}

export const SCALAR_METRICS = [
  'calls',
  'answered',
  'failed',
  'asr',
  'acd',
  'ner',
  'billed_minutes',
  'talk_minutes',
  'avg_pdd',
  'peak_concurrent',
] as const;
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

export interface CompareReport {
  readonly period: ReportPeriod;
  readonly previous: ReportPeriod;
  readonly current: ReportMetrics;
  readonly previous_metrics: ReportMetrics;
  readonly delta_pct: Readonly<Partial<Record<ScalarMetric, number | null>>>;
  readonly filter: CdrFilterParams;
  readonly previous_filter: CdrFilterParams;
}

/** Range and zone of every report request. */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
}

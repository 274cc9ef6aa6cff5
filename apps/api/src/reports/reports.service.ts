import { BadRequestException, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { BreakdownQueryDto, ReportQueryDto, TimeseriesQueryDto, TopQueryDto } from './dto/report-query.dto';
import { failureCauseName, type FailureCauseName } from './failure-causes';
import { deltaPct, toMetrics, type ReportMetrics } from './report-metrics';
import { estimateBuckets, MAX_REPORT_BUCKETS, previousPeriod, type ReportBucket } from './report-time';
import type { ExactNumberFilter } from '../cdrs/cdr.repository';
import { ReportsSource, type ReportGroup, type ReportScope } from './reports.repository';

/** CDR list query parameters that select exactly the calls behind a number (GET /api/sippy/cdrs). */
export type CdrFilterParams = Record<string, string>;

export interface ReportPeriod {
  from: string;
  to: string;
  tz: string;
}

export interface ReportRow {
  /** The group's value (country name, account id, result code…); null = unknown. */
  key: string | null;
  /** cause only: the result code's name in both languages. */
  name?: FailureCauseName;
  metrics: ReportMetrics;
  /** The CDR list filter of this row (null when the key is unknown: the list cannot select "no value"). */
  filter: CdrFilterParams | null;
}

export interface TimeseriesPoint {
  /** Local start of the bucket in the report's zone, e.g. 2026-11-24T00:00:00. */
  bucket: string;
  /** The instants the bucket spans (clipped to the report range). */
  from: string;
  to: string;
  metrics: ReportMetrics;
  filter: CdrFilterParams;
}

export interface TimeseriesReport {
  period: ReportPeriod;
  bucket: ReportBucket;
  points: TimeseriesPoint[];
}

export interface BreakdownReport {
  period: ReportPeriod;
  by: string;
  rows: ReportRow[];
}

export interface TopReport {
  period: ReportPeriod;
  by: string;
  metric: string;
  rows: ReportRow[];
}

export interface CompareReport {
  period: ReportPeriod;
  previous: ReportPeriod;
  current: ReportMetrics;
  previous_metrics: ReportMetrics;
  /** Relative change per scalar metric in percent (null when the previous value is 0 or unknown). */
  delta_pct: Record<string, number | null>;
  /** Filter of the current period's calls. */
  filter: CdrFilterParams;
  previous_filter: CdrFilterParams;
}

const SCALAR_METRICS = ['calls', 'answered', 'failed', 'asr', 'acd', 'ner', 'billed_minutes', 'talk_minutes', 'avg_pdd', 'peak_concurrent'] as const;

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsSource,
    private readonly config: AppConfig,
  ) {}

  async timeseries(query: TimeseriesQueryDto, numbers: ExactNumberFilter = {}): Promise<TimeseriesReport> {
    const scope = this.#scope(query, numbers);
    if (estimateBuckets(query.bucket, scope.from, scope.to) > MAX_REPORT_BUCKETS) {
      throw badRequest(`bucket: ${query.bucket} buckets over this range would be more than ${MAX_REPORT_BUCKETS}; choose a larger bucket or a shorter range`);
    }
    const buckets = await this.reports.timeseries(scope, query.bucket);
    return {
      period: period(scope),
      bucket: query.bucket,
      points: buckets.map((b) => {
        const from = new Date(Math.max(b.start.getTime(), scope.from.getTime()));
        const to = new Date(Math.min(b.end.getTime(), scope.to.getTime()));
        return {
          bucket: b.key,
          from: from.toISOString(),
          to: to.toISOString(),
          metrics: metricsOf(b),
          filter: filterParams({ ...scope, from, to }),
        };
      }),
    };
  }

  async breakdown(query: BreakdownQueryDto, numbers: ExactNumberFilter = {}): Promise<BreakdownReport> {
    const scope = this.#scope(query, numbers);
    const groups = await this.reports.breakdown(scope, query.by, query.limit);
    return {
      period: period(scope),
      by: query.by,
      rows: groups.map((g) => {
        const row: ReportRow = { key: g.key, metrics: metricsOf(g), filter: null };
        if (query.by === 'cause') {
          row.name = failureCauseName(g.key === null ? null : Number(g.key));
          row.filter = g.key === null ? null : filterParams({ ...scope, result: Number(g.key), answered: false });
        } else if (g.key !== null) {
          row.filter = filterParams({ ...scope, [query.by]: g.key });
        }
        return row;
      }),
    };
  }

  async top(query: TopQueryDto, numbers: ExactNumberFilter = {}): Promise<TopReport> {
    const scope = this.#scope(query, numbers);
    const groups = await this.reports.top(scope, query.by, query.metric, query.limit);
    return {
      period: period(scope),
      by: query.by,
      metric: query.metric,
      rows: groups.map((g) => {
        const failures = query.metric === 'failures' ? { answered: false } : {};
        let filter: CdrFilterParams | null = null;
        if (query.by === 'destination') {
          filter = filterParams({ ...scope, ...failures, country: g.country ?? undefined, city: g.city ?? undefined });
        } else if (g.key !== null) {
          filter = filterParams({ ...scope, ...failures, [query.by]: g.key });
        }
        return { key: g.key, metrics: metricsOf(g), filter };
      }),
    };
  }

  async compare(query: ReportQueryDto, numbers: ExactNumberFilter = {}): Promise<CompareReport> {
    const scope = this.#scope(query, numbers);
    const prev = { ...scope, ...previousPeriod(scope.from, scope.to) };
    const [current, previous] = await Promise.all([this.reports.totals(scope), this.reports.totals(prev)]);
    const cur = metricsOf(current);
    const old = metricsOf(previous);
    return {
      period: period(scope),
      previous: period(prev),
      current: cur,
      previous_metrics: old,
      delta_pct: Object.fromEntries(SCALAR_METRICS.map((m) => [m, deltaPct(cur[m], old[m])])),
      filter: filterParams(scope),
      previous_filter: filterParams(prev),
    };
  }

  /** Validates the range (the DTO has checked formats and the zone) and builds the scope. */
  #scope(query: ReportQueryDto, numbers: ExactNumberFilter): ReportScope {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to.getTime() <= from.getTime()) {
      throw badRequest('to must be later than from');
    }
    const maxDays = this.config.reports.maxRangeDays;
    if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
      throw badRequest(`to: the range from → to must be at most ${maxDays} days (REPORT_MAX_RANGE_DAYS)`);
    }
    return {
      from,
      to,
      tz: query.tz,
      caller: query.caller?.trim() || undefined,
      callee: query.callee?.trim() || undefined,
      ...numbers,
      status: query.status,
      direction: query.direction,
      country: query.country?.trim() || undefined,
      city: query.city?.trim() || undefined,
      account: query.account?.trim() || undefined,
      trunk: query.trunk?.trim() || undefined,
      result: query.result,
      answered: query.answered,
      peakMaxCalls: this.config.reports.peakMaxCalls,
    };
  }
}

function metricsOf(g: ReportGroup): ReportMetrics {
  return toMetrics(g.sums, g.cost, g.peak);
}

function period(scope: ReportScope): ReportPeriod {
  return { from: scope.from.toISOString(), to: scope.to.toISOString(), tz: scope.tz };
}

/** The CDR list query (only set parameters, as strings) that selects the calls of `scope`. */
export function filterParams(scope: Omit<ReportScope, 'tz'> & { tz?: string }): CdrFilterParams {
  const params: CdrFilterParams = { from: scope.from.toISOString(), to: scope.to.toISOString() };
  const keys = ['caller', 'callee', 'status', 'direction', 'country', 'city', 'account', 'trunk', 'result', 'answered'] as const;
  for (const k of keys) {
    const v = scope[k];
    if (v !== undefined && v !== '') {
      params[k] = String(v);
    }
  }
  return params;
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });
}

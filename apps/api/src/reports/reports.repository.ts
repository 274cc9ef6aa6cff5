import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import { ANSWERED_SQL, PDD_SQL } from '../cdrs/cdr-rollup.sql';
import { cdrFilterConditions, type CdrListFilter } from '../cdrs/cdr.repository';
import { DatabaseService } from '../database/database.service';
import type { BreakdownDimension, TopMetric, TopSubject } from './dto/report-query.dto';
import { EMPTY_SUMS, USER_SIDE_FAILURE_CODES, type CostAmount, type MetricSums } from './report-metrics';
import type { ReportBucket } from './report-time';

/** Aggregates arrive as numbers from both drivers (database-type-parsers.ts); `numeric` would be a string. */
type Numeric = number | string;

/** What a report covers: calls that started in [from, to), the CDR list filters, the viewer's zone. */
export interface ReportScope extends Omit<CdrListFilter, 'from' | 'to' | 'limit' | 'offset' | 'min_duration'> {
  from: Date;
  to: Date;
  tz: string;
  /**
   * Peak concurrency is swept over raw rows only when the calls it would sweep are at most this many; above it the
   * peak is null (REPORT_PEAK_MAX_CALLS). Undefined: always.
   */
  peakMaxCalls?: number;
}

/** Whether the peak sweep over `calls` calls is allowed in `scope` (REPORT_PEAK_MAX_CALLS). */
export function peakAllowed(scope: ReportScope, calls: number): boolean {
  return scope.peakMaxCalls === undefined || calls <= scope.peakMaxCalls;
}

/** One group of a report: its key (null = the value is unknown), the sums, cost per currency, peak concurrency. */
export interface ReportGroup {
  key: string | null;
  /** destination only: the city part of the key. */
  city?: string | null;
  /** destination only: the country part of the key. */
  country?: string | null;
  sums: MetricSums;
  cost: CostAmount[];
  /** null: not computed (more calls than REPORT_PEAK_MAX_CALLS). */
  peak: number | null;
}

/** A time bucket: local start (`2026-11-24T00:00:00`) and the instants it spans. */
export interface ReportBucketGroup extends ReportGroup {
  key: string;
  start: Date;
  end: Date;
}

/**
 * The port the reports service reads through (an abstract class is its own DI token). The raw-row
 * implementation below answers everything; the rollup-backed one (`RollupReportsSource`,
 * reports-rollup.source.ts, migration 0018) answers what the rollup can and delegates the rest (city,
 * callers/callees, caller/callee/city filters, hour buckets in half-hour zones, peak concurrency) to it.
 */
export abstract class ReportsSource {
  /** Totals of the whole scope. */
  abstract totals(scope: ReportScope): Promise<ReportGroup>;
  /** Groups by a dimension, biggest first. */
  abstract breakdown(scope: ReportScope, by: BreakdownDimension, limit: number): Promise<ReportGroup[]>;
  /** Top callers / callees / destinations by a metric. */
  abstract top(scope: ReportScope, by: TopSubject, metric: TopMetric, limit: number): Promise<ReportGroup[]>;
  /** Every bucket of [from, to) in the scope's zone, empty ones included. */
  abstract timeseries(scope: ReportScope, bucket: ReportBucket): Promise<ReportBucketGroup[]>;
}

/** The report queries over the raw `cdrs` rows (the same WHERE as the CDR list). */
@Injectable()
export class ReportsRepository implements ReportsSource {
  constructor(private readonly database: DatabaseService) {}

  /** Totals of the whole scope. */
  async totals(scope: ReportScope): Promise<ReportGroup> {
    const groups = await this.#grouped(scope, sql`'all'`);
    const group = groups.at(0);
    return group ?? { key: 'all', sums: { ...EMPTY_SUMS }, cost: [], peak: peakAllowed(scope, 0) ? 0 : null };
  }

  /** Groups by a dimension, biggest first (calls, then key). */
  async breakdown(scope: ReportScope, by: BreakdownDimension, limit: number): Promise<ReportGroup[]> {
    const key = dimensionKey(by);
    const extra = by === 'cause' ? sql`and not ${ANSWERED_SQL}` : sql``;
    const groups = await this.#grouped(scope, key, extra);
    return groups.sort((a, b) => b.sums.calls - a.sums.calls || compareKeys(a.key, b.key)).slice(0, limit);
  }

  /** Top callers / callees / destinations by a metric. */
  async top(scope: ReportScope, by: TopSubject, metric: TopMetric, limit: number): Promise<ReportGroup[]> {
    const key =
      by === 'destination'
        ? sql`coalesce(country_code, '') || chr(31) || coalesce(city, '')`
        : by === 'caller'
          ? sql`caller`
          : sql`callee`;
    const extra = by === 'destination' ? sql`` : sql`and ${sql.ref(by)} is not null`;
    const groups = await this.#grouped(scope, key, extra, { metric, limit });
    if (by === 'destination') {
      for (const g of groups) {
        const [country = '', city = ''] = (g.key ?? '').split('\u001f');
        g.country = country === '' ? null : country;
        g.city = city === '' ? null : city;
        g.key = [country, city].filter((p) => p !== '').join(' / ') || null;
      }
    }
    return groups;
  }

  /** A full time series: every bucket of [from, to) in the scope's zone, empty ones included. */
  async timeseries(scope: ReportScope, bucket: ReportBucket): Promise<ReportBucketGroup[]> {
    const local = sql`date_trunc(${bucket}, start_time at time zone ${scope.tz})`;
    const [buckets, sums] = await Promise.all([
      this.bucketList(scope, bucket),
      this.#grouped(scope, sql`to_char(${local}, 'YYYY-MM-DD"T"HH24:MI:SS')`, sql``, { noPeak: true }),
    ]);
    const calls = sums.reduce((n, g) => n + g.sums.calls, 0);
    const peaks = peakAllowed(scope, calls) ? await this.bucketPeaks(scope, bucket) : null;
    const groups = new Map(sums.map((g) => [g.key, g]));
    return buckets.map((b) => {
      const g = groups.get(b.key);
      return { ...b, sums: g?.sums ?? { ...EMPTY_SUMS }, cost: g?.cost ?? [], peak: peaks === null ? null : (peaks.get(b.key) ?? 0) };
    });
  }

  /** Every bucket of [from, to) in the scope's zone: its key (local start), start and end instants. */
  async bucketList(scope: ReportScope, bucket: ReportBucket): Promise<{ key: string; start: Date; end: Date }[]> {
    const step = sql.lit(`1 ${bucket}`);
    const buckets = await sql<{ key: string; start: Date; end: Date }>`
      select to_char(g, 'YYYY-MM-DD"T"HH24:MI:SS') as key,
             g at time zone ${scope.tz} as start,
             (g + interval ${step}) at time zone ${scope.tz} as end
      from generate_series(
        date_trunc(${bucket}, ${scope.from}::timestamptz at time zone ${scope.tz}),
        ${scope.to}::timestamptz at time zone ${scope.tz} - interval '1 microsecond',
        interval ${step}) as g
      order by g`.execute(this.database.db);
    return buckets.rows;
  }

  /**
   * Peak concurrency per bucket (by bucket key), from raw rows: the running count after each start event, and the
   * count carried in from the previous bucket (calls still up at the bucket's start). Buckets missing from the map
   * have no start or end event; their peak is what the previous bucket carried (see `timeseries`).
   */
  async bucketPeaks(scope: ReportScope, bucket: ReportBucket): Promise<Map<string, number>> {
    const where = cdrFilterConditions(toFilter(scope));
    const [buckets, peaks] = await Promise.all([
      this.bucketList(scope, bucket),
      sql<{ key: string; peak: Numeric | null; last: Numeric }>`
      with scope as (select start_time as s, end_time as e from cdrs where ${where} and end_time > start_time),
      ev as (select s as t, 1 as d from scope union all select e as t, -1 as d from scope),
      run as (select t, d, sum(d) over (order by t, d rows unbounded preceding) as c from ev)
      select to_char(date_trunc(${bucket}, t at time zone ${scope.tz}), 'YYYY-MM-DD"T"HH24:MI:SS') as key,
             max(c) filter (where d = 1) as peak,
             (array_agg(c order by t desc, d desc))[1] as last
      from run group by 1 order by 1`.execute(this.database.db),
    ]);
    const peakOf = new Map(peaks.rows.map((p) => [p.key, p]));
    const result = new Map<string, number>();
    let carried = 0; // no call in scope starts before the first bucket
    for (const b of buckets) {
      const p = peakOf.get(b.key);
      result.set(b.key, Math.max(carried, Number(p?.peak ?? 0)));
      if (p) carried = Number(p.last);
    }
    return result;
  }

  /** Peak concurrency per group of `key` over raw rows (one sweep over start/end events per group). */
  async peaks(scope: ReportScope, key: RawBuilder<unknown>, extra: RawBuilder<unknown> = sql``): Promise<Map<string | null, number>> {
    const where = cdrFilterConditions(toFilter(scope));
    const peaks = await sql<{ key: string | number | null; peak: Numeric | null }>`
      with scope as (select ${key} as k, start_time as s, end_time as e from cdrs where ${where} ${extra} and end_time > start_time),
      ev as (select k, s as t, 1 as d from scope union all select k, e as t, -1 as d from scope),
      run as (select k, d, sum(d) over (partition by k order by t, d rows unbounded preceding) as c from ev)
      select k as key, max(c) as peak from run group by k`.execute(this.database.db);
    return new Map(peaks.rows.map((p) => [keyText(p.key), Number(p.peak ?? 0)]));
  }

  /** Sums, cost and peak concurrency grouped by `key` (one SQL expression over `cdrs`). */
  async #grouped(
    scope: ReportScope,
    key: RawBuilder<unknown>,
    extra: RawBuilder<unknown> = sql``,
    options: { metric?: TopMetric; limit?: number; noPeak?: boolean } = {},
  ): Promise<ReportGroup[]> {
    const db = this.database.db;
    const where = cdrFilterConditions(toFilter(scope));
    const failureCodes = sql.join(USER_SIDE_FAILURE_CODES.map((c) => sql.lit(c)));
    const pdd = PDD_SQL;
    const order =
      options.metric === undefined
        ? sql``
        : sql`order by ${
            options.metric === 'calls'
              ? sql`count(*)`
              : options.metric === 'minutes'
                ? sql`coalesce(sum(billed_duration), 0)`
                : options.metric === 'cost'
                  ? sql`coalesce(sum(cost), 0)`
                  : sql`count(*) filter (where not ${ANSWERED_SQL})`
          } desc, 1 asc nulls last limit ${options.limit ?? 10}`;
    const rows = await sql<{
      key: string | number | null;
      calls: Numeric;
      answered: Numeric;
      user_failures: Numeric;
      talk_seconds: Numeric;
      billed_seconds: Numeric;
      pdd_sum: Numeric;
      pdd_count: Numeric;
    }>`
      select ${key} as key,
             count(*) as calls,
             count(*) filter (where ${ANSWERED_SQL}) as answered,
             count(*) filter (where not ${ANSWERED_SQL} and result in (${failureCodes})) as user_failures,
             coalesce(sum(duration::numeric) filter (where ${ANSWERED_SQL}), 0) as talk_seconds,
             coalesce(sum(billed_duration), 0) as billed_seconds,
             coalesce(sum(${pdd}), 0) as pdd_sum,
             count(${pdd}) as pdd_count
      from cdrs where ${where} ${extra}
      group by 1 ${order}`.execute(db);
    if (rows.rows.length === 0) return [];
    // A top list reads cost and peaks of its N keys only (not of every caller in the range).
    const keep = options.limit === undefined ? sql`` : sql`and ${key} in (${sql.join(rows.rows.map((r) => sql`${r.key}`))})`;
    const costs = await sql<{ key: string | number | null; currency: string | null; amount: Numeric }>`
      select ${key} as key, currency, sum(cost::numeric) as amount
      from cdrs where ${where} ${extra} ${keep} and cost is not null
      group by 1, 2`.execute(db);
    const costOf = new Map<string | null, CostAmount[]>();
    for (const c of costs.rows) {
      const k = keyText(c.key);
      costOf.set(k, [...(costOf.get(k) ?? []), { currency: c.currency, amount: Number(c.amount) }]);
    }
    // Peaks only over the groups returned (a top list's N keys) and only when their calls are few enough.
    const swept = rows.rows.reduce((n, r) => n + Number(r.calls), 0);
    const peakOf =
      options.noPeak || !peakAllowed(scope, swept) ? null : await this.peaks(scope, key, sql`${extra} ${keep}`);
    return rows.rows.map((r) => {
      const k = keyText(r.key);
      return {
        key: k,
        sums: {
          calls: Number(r.calls),
          answered: Number(r.answered),
          user_failures: Number(r.user_failures),
          talk_seconds: Number(r.talk_seconds),
          billed_seconds: Number(r.billed_seconds),
          pdd_sum: Number(r.pdd_sum),
          pdd_count: Number(r.pdd_count),
        },
        cost: costOf.get(k) ?? [],
        peak: peakOf === null ? null : (peakOf.get(k) ?? 0),
      };
    });
  }
}

function dimensionKey(by: BreakdownDimension): RawBuilder<unknown> {
  switch (by) {
    case 'cause':
      return sql`result`;
    case 'country':
      // By ISO code: the CDR list's country filter matches a code exactly (a name maps to its code), so a row's
      // link selects exactly its calls (a CDR without a country name still has the code of its number).
      return sql.ref('country_code');
    case 'city':
    case 'account':
    case 'trunk':
    case 'direction':
      return sql.ref(by);
  }
}

/** A group key as text (result codes arrive as numbers); null stays null. */
export function keyText(k: string | number | null): string | null {
  return k === null ? null : String(k);
}

/** Order of breakdown rows with equal calls: by key, unknown last. */
export function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}

/** The CDR list filter of a scope (everything but the zone). */
export function toFilter(scope: ReportScope): CdrListFilter {
  return {
    from: scope.from,
    to: scope.to,
    caller: scope.caller,
    callee: scope.callee,
    caller_exact: scope.caller_exact,
    callee_exact: scope.callee_exact,
    status: scope.status,
    direction: scope.direction,
    country: scope.country,
    city: scope.city,
    account: scope.account,
    trunk: scope.trunk,
    result: scope.result,
    answered: scope.answered,
  };
}

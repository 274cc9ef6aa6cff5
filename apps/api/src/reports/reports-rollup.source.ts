import { Injectable } from '@nestjs/common';
import { lookupCountryCode } from '@velora/sippy';
import { sql, type RawBuilder } from 'kysely';
import { ANSWERED_SQL, PDD_SQL } from '../cdrs/cdr-rollup.sql';
import { cdrFilterConditions } from '../cdrs/cdr.repository';
import { DatabaseService } from '../database/database.service';
import type { BreakdownDimension, TopMetric, TopSubject } from './dto/report-query.dto';
import { EMPTY_SUMS, USER_SIDE_FAILURE_CODES, type CostAmount, type MetricSums } from './report-metrics';
import { hourAligned, type ReportBucket } from './report-time';
import {
  compareKeys,
  keyText,
  peakAllowed,
  ReportsRepository,
  toFilter,
  type ReportBucketGroup,
  type ReportGroup,
  type ReportScope,
  type ReportsSource,
} from './reports.repository';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** How a scope is read from the rollup: which table, the WHERE on its dimensions, the whole hours it covers. */
export interface RollupPlan {
  /** `cdr_rollup_report_hourly` (account/trunk needed) or its coarse copy `cdr_rollup_report_hourly_totals`. */
  table: 'cdr_rollup_report_hourly' | 'cdr_rollup_report_hourly_totals';
  /** The scope's filters on the rollup's dimensions (`true` when there are none). */
  where: RawBuilder<unknown>;
  /** [middleFrom, middleTo): the whole UTC hours inside [from, to), read from the rollup; the rest is raw rows. */
  middleFrom: Date;
  middleTo: Date;
  /**
   * Full-key plans only, when [middleFrom, middleTo) holds whole UTC days: [from, to) of those days, read from
   * `cdr_rollup_report_daily`; the hours around them from the hourly table.
   */
  days?: { from: Date; to: Date };
}

/**
 * Which rollup (if any) answers `scope`: null when a filter is not a rollup dimension (caller, callee, city, a country
 * text that is no ISO code or known name) or when [from, to) holds no whole UTC hour. `needsAccountTrunk` picks the
 * full table (a breakdown by account or trunk).
 */
export function rollupPlan(scope: ReportScope, needsAccountTrunk = false, allowDays = true): RollupPlan | null {
  const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';
  if (!blank(scope.caller) || !blank(scope.callee) || !blank(scope.city)) return null;
  const conditions: RawBuilder<unknown>[] = [];
  if (!blank(scope.country)) {
    const country = lookupCountryCode((scope.country ?? '').trim());
    if (country === null) return null; // any other text matches the stored name: raw rows
    conditions.push(sql`country_code = ${country}`);
  }
  const oneOf = (column: string, value: string | readonly string[]): RawBuilder<unknown> => {
    const values: readonly string[] = typeof value === 'string' ? [value] : value;
    return values.length === 0 ? sql`false` : sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql`${v}`))})`;
  };
  if (scope.status !== undefined) conditions.push(oneOf('status', scope.status));
  if (scope.direction !== undefined) conditions.push(oneOf('direction', scope.direction));
  const account = blank(scope.account) ? undefined : scope.account?.trim();
  const trunk = blank(scope.trunk) ? undefined : scope.trunk?.trim();
  if (account !== undefined) conditions.push(sql`account = ${account}`);
  if (trunk !== undefined) conditions.push(sql`trunk = ${trunk}`);
  if (scope.result !== undefined) conditions.push(sql`result = ${scope.result}`);
  if (scope.answered !== undefined) conditions.push(scope.answered ? sql`answered` : sql`not answered`);
  const middleFrom = new Date(Math.ceil(scope.from.getTime() / HOUR) * HOUR);
  const middleTo = new Date(Math.floor(scope.to.getTime() / HOUR) * HOUR);
  if (middleFrom.getTime() >= middleTo.getTime()) return null; // no whole hour: raw rows are as cheap
  const fine = needsAccountTrunk || account !== undefined || trunk !== undefined;
  const where = conditions.length === 0 ? sql`true` : sql.join(conditions, sql` and `);
  const plan: RollupPlan = { table: fine ? 'cdr_rollup_report_hourly' : 'cdr_rollup_report_hourly_totals', where, middleFrom, middleTo };
  const dayFrom = new Date(Math.ceil(middleFrom.getTime() / DAY) * DAY);
  const dayTo = new Date(Math.floor(middleTo.getTime() / DAY) * DAY);
  if (fine && allowDays && dayFrom.getTime() < dayTo.getTime()) plan.days = { from: dayFrom, to: dayTo };
  return plan;
}

/**
 * The reports read from the hourly rollup `cdr_rollup_report_hourly` (migration 0018) wherever the filters allow
 * (docs/reports.md, *Storage*): the whole UTC hours of the range from the rollup, the partial hours at the edges from
 * raw rows, added in one SQL statement as exact `numeric` sums — the same numbers as `ReportsRepository` to the last
 * digit. Everything else is delegated to the raw-row repository: city breakdowns, top lists, caller/callee/city
 * filters, hour/day/week/month buckets in a zone that is not hour-aligned over the range, and peak concurrency
 * (not additive over rollup rows; computed from raw rows, next to the rollup sums).
 */
@Injectable()
export class RollupReportsSource implements ReportsSource {
  constructor(
    private readonly database: DatabaseService,
    private readonly raw: ReportsRepository,
  ) {}

  async totals(scope: ReportScope): Promise<ReportGroup> {
    const plan = rollupPlan(scope);
    if (plan === null) return this.raw.totals(scope);
    const key = sql`'all'::text`;
    const groups = await this.#sums(scope, plan, { group: key, key: () => key }, key);
    const peaks = await this.#peaks(scope, groups, () => this.raw.peaks(scope, key));
    const group = groups.get('all');
    return { key: 'all', sums: group?.sums ?? { ...EMPTY_SUMS }, cost: group?.cost ?? [], peak: peaks === null ? null : (peaks.get('all') ?? 0) };
  }

  async breakdown(scope: ReportScope, by: BreakdownDimension, limit: number): Promise<ReportGroup[]> {
    if (by === 'city') return this.raw.breakdown(scope, by, limit);
    const plan = rollupPlan(scope, by === 'account' || by === 'trunk');
    if (plan === null) return this.raw.breakdown(scope, by, limit);
    const column = by === 'cause' ? 'result' : by === 'country' ? 'country_code' : by;
    const key = sql.ref(column);
    const cause = by === 'cause';
    const groups = await this.#sums(scope, plan, { group: key, key: (g) => g }, key, cause ? sql`and not answered` : sql``, cause ? sql`and not ${ANSWERED_SQL}` : sql``);
    const peaks = await this.#peaks(scope, groups, () => this.raw.peaks(scope, key, cause ? sql`and not ${ANSWERED_SQL}` : sql``));
    return [...groups.entries()]
      .map(([k, g]) => ({ key: k, sums: g.sums, cost: g.cost, peak: peaks === null ? null : (peaks.get(k) ?? 0) }))
      .sort((a, b) => b.sums.calls - a.sums.calls || compareKeys(a.key, b.key))
      .slice(0, limit);
  }

  /** Top callers / callees / destinations: not rollup dimensions, always raw rows. */
  top(scope: ReportScope, by: TopSubject, metric: TopMetric, limit: number): Promise<ReportGroup[]> {
    return this.raw.top(scope, by, metric, limit);
  }

  async timeseries(scope: ReportScope, bucket: ReportBucket): Promise<ReportBucketGroup[]> {
    const plan = rollupPlan(scope, false, false);
    // A UTC hour lies inside one local bucket only when the zone's offset is whole hours over the range.
    if (plan === null || !hourAligned(scope.tz, scope.from, scope.to)) return this.raw.timeseries(scope, bucket);
    const localKey = (time: RawBuilder<unknown>): RawBuilder<unknown> =>
      sql`to_char(date_trunc(${bucket}, ${time} at time zone ${scope.tz}), 'YYYY-MM-DD"T"HH24:MI:SS')`;
    const [buckets, groups] = await Promise.all([
      this.raw.bucketList(scope, bucket),
      this.#sums(scope, plan, { group: sql.ref('bucket'), key: localKey }, localKey(sql.ref('start_time'))),
    ]);
    const peaks = await this.#peaks(scope, groups, () => this.raw.bucketPeaks(scope, bucket));
    return buckets.map((b) => {
      const g = groups.get(b.key);
      return { ...b, sums: g?.sums ?? { ...EMPTY_SUMS }, cost: g?.cost ?? [], peak: peaks === null ? null : (peaks.get(b.key) ?? 0) };
    });
  }

  /**
   * Peak concurrency is a sweep over raw rows (a maximum over instants does not add up over rollup rows): done only
   * when the calls of all groups are at most the scope's `peakMaxCalls` (REPORT_PEAK_MAX_CALLS), else null.
   */
  async #peaks<K>(
    scope: ReportScope,
    groups: Map<string | null, { sums: MetricSums }>,
    sweep: () => Promise<Map<K, number>>,
  ): Promise<Map<K, number> | null> {
    let calls = 0;
    for (const g of groups.values()) calls += g.sums.calls;
    return peakAllowed(scope, calls) ? sweep() : null;
  }

  /**
   * Sums and cost per currency grouped by a key: rollup rows of the whole hours plus raw rows of the edge hours, one
   * statement (`group by grouping sets ((k), (k, currency))`), numeric sums so nothing is rounded before the end.
   */
  async #sums(
    scope: ReportScope,
    plan: RollupPlan,
    /** Rollup rows are first summed per `group` (a column) and currency; `key(g)` then maps the group to the key. */
    rollup: { group: RawBuilder<unknown>; key: (g: RawBuilder<unknown>) => RawBuilder<unknown> },
    rawKey: RawBuilder<unknown>,
    rollupExtra: RawBuilder<unknown> = sql``,
    rawExtra: RawBuilder<unknown> = sql``,
  ): Promise<Map<string | null, { sums: MetricSums; cost: CostAmount[] }>> {
    const codes = sql.join(USER_SIDE_FAILURE_CODES.map((c) => sql.lit(c)));
    const rollupBranch = (table: string, from: Date, to: Date): RawBuilder<unknown> =>
      // Pre-aggregated per group and currency (a plain aggregate PostgreSQL can run in parallel workers; the key of a
      // time bucket is computed once per UTC hour, not per rollup row), so the grouping sets below see few rows.
      sql`
        select ${rollup.key(sql.ref('g'))} as k, currency, calls, answered, user_failures, talk, billed, pdd_sum, pdd_count,
          cost_sum, cost_count
        from (select ${rollup.group} as g, currency, sum(calls) as calls,
          coalesce(sum(calls) filter (where answered), 0) as answered,
          coalesce(sum(calls) filter (where not answered and result in (${codes})), 0) as user_failures,
          sum(talk_seconds) as talk, sum(billed_seconds) as billed, sum(pdd_sum) as pdd_sum, sum(pdd_count) as pdd_count,
          sum(cost_sum) as cost_sum, sum(cost_count) as cost_count
        from ${sql.table(table)}
        where bucket >= ${from} and bucket < ${to} and ${plan.where} ${rollupExtra}
        group by 1, 2) as pre`;
    const branches: RawBuilder<unknown>[] = [];
    if (plan.days === undefined) {
      branches.push(rollupBranch(plan.table, plan.middleFrom, plan.middleTo));
    } else {
      branches.push(rollupBranch('cdr_rollup_report_daily', plan.days.from, plan.days.to));
      if (plan.middleFrom.getTime() < plan.days.from.getTime()) branches.push(rollupBranch(plan.table, plan.middleFrom, plan.days.from));
      if (plan.days.to.getTime() < plan.middleTo.getTime()) branches.push(rollupBranch(plan.table, plan.days.to, plan.middleTo));
    }
    const edges: [Date, Date][] = [
      [scope.from, plan.middleFrom],
      [plan.middleTo, scope.to],
    ];
    for (const [from, to] of edges) {
      if (from.getTime() >= to.getTime()) continue;
      const where = cdrFilterConditions(toFilter({ ...scope, from, to }));
      branches.push(sql`
        select ${rawKey} as k, currency, 1::bigint as calls,
          case when ${ANSWERED_SQL} then 1 else 0 end as answered,
          case when not ${ANSWERED_SQL} and result in (${codes}) then 1 else 0 end as user_failures,
          case when ${ANSWERED_SQL} then duration::numeric else 0 end as talk,
          coalesce(billed_duration, 0)::bigint as billed,
          coalesce(${PDD_SQL}, 0) as pdd_sum, case when ${PDD_SQL} is null then 0 else 1 end as pdd_count,
          coalesce(cost::numeric, 0) as cost_sum, case when cost is null then 0 else 1 end as cost_count
        from cdrs where ${where} ${rawExtra}`);
    }
    const rows = await sql<{
      k: string | number | null;
      currency: string | null;
      per_currency: boolean;
      calls: string;
      answered: string;
      user_failures: string;
      talk: string;
      billed: string;
      pdd_sum: string;
      pdd_count: string;
      cost_sum: string;
    }>`
      select k, currency, grouping(currency) = 0 as per_currency,
        sum(calls) as calls, sum(answered) as answered, sum(user_failures) as user_failures, sum(talk) as talk,
        sum(billed) as billed, sum(pdd_sum) as pdd_sum, sum(pdd_count) as pdd_count, sum(cost_sum) as cost_sum
      from (${sql.join(branches, sql` union all `)}) as parts
      group by grouping sets ((k), (k, currency))
      having (grouping(currency) = 1 and sum(calls) > 0) or (grouping(currency) = 0 and sum(cost_count) > 0)`.execute(
      this.database.db,
    );
    const result = new Map<string | null, { sums: MetricSums; cost: CostAmount[] }>();
    const entry = (k: string | null): { sums: MetricSums; cost: CostAmount[] } => {
      let e = result.get(k);
      if (e === undefined) {
        e = { sums: { ...EMPTY_SUMS }, cost: [] };
        result.set(k, e);
      }
      return e;
    };
    for (const r of rows.rows) {
      const e = entry(keyText(r.k));
      if (r.per_currency) {
        e.cost.push({ currency: r.currency, amount: Number(r.cost_sum) });
      } else {
        e.sums = {
          calls: Number(r.calls),
          answered: Number(r.answered),
          user_failures: Number(r.user_failures),
          talk_seconds: Number(r.talk),
          billed_seconds: Number(r.billed),
          pdd_sum: Number(r.pdd_sum),
          pdd_count: Number(r.pdd_count),
        };
      }
    }
    // A key whose every call was later moved away leaves only zero rows: `having` drops it, so no empty entry here.
    return result;
  }
}

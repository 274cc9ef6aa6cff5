import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * SQL of the hourly rollup `cdr_rollup_hourly` (docs/reports.md). One row per hour of
 * `start_time` × country code × status × direction × account × trunk × currency; CDRs without a
 * start time are not rolled up (they cannot be placed in a range either).
 *
 * `contributions(source, sign)` aggregates rows of `source` (a table or CTE with the `cdrs`
 * columns) into rollup rows multiplied by `sign` (+1 add, −1 subtract); `ROLLUP_ADD` applies them.
 */
export const ROLLUP_KEY = sql`bucket, country_code, status, direction, account, trunk, currency`;

export function rollupContributions(source: RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown> {
  const s = sql.lit(sign);
  return sql`
    select date_trunc('hour', start_time) as bucket,
      coalesce(country_code, '') as country_code, status, direction,
      coalesce(account, '') as account, coalesce(trunk, '') as trunk, coalesce(currency, '') as currency,
      ${s} * count(*) as calls,
      ${s} * count(*) filter (where status = 'completed') as answered,
      ${s} * coalesce(sum(duration), 0) as duration_sum,
      ${s} * coalesce(sum(duration) filter (where status = 'completed'), 0) as answered_duration_sum,
      ${s} * count(duration) filter (where status = 'completed') as answered_duration_count,
      ${s} * coalesce(sum(billed_duration), 0) as billed_sum,
      ${s} * coalesce(sum(cost), 0) as cost_sum,
      ${s} * count(cost) as cost_count,
      ${s} * coalesce(sum(extract(epoch from start_time - setup_time)) filter (where setup_time is not null and start_time >= setup_time), 0) as pdd_sum,
      ${s} * count(*) filter (where setup_time is not null and start_time >= setup_time) as pdd_count
    from ${source} as src
    where start_time is not null
    group by 1, 2, 3, 4, 5, 6, 7`;
}

const MEASURES = [
  'calls',
  'answered',
  'duration_sum',
  'answered_duration_sum',
  'answered_duration_count',
  'billed_sum',
  'cost_sum',
  'cost_count',
  'pdd_sum',
  'pdd_count',
] as const;

/** The coarse table's key: what list totals and the summary filter on. */
export const TOTALS_KEY = sql`bucket, country_code, status, direction, currency`;

/** SQL of "answered" (docs/reports.md): status completed and a positive duration. */
export const ANSWERED_SQL = sql<SqlBool>`(status = 'completed' and coalesce(duration, 0) > 0)`;

/**
 * The post-dial delay the switch sent (docs/reports.md): Sippy `pdd1xx` when > 0, else `delay` when > 0, read from
 * the raw record as `numeric` (exact sums); null when neither is a positive number.
 */
export const PDD_SQL = sql<string | null>`(case
      when jsonb_typeof(raw->'pdd1xx') in ('number', 'string') and raw->>'pdd1xx' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'pdd1xx')::numeric > 0 then (raw->>'pdd1xx')::numeric
      when jsonb_typeof(raw->'delay') in ('number', 'string') and raw->>'delay' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'delay')::numeric > 0 then (raw->>'delay')::numeric
      end)`;

/** Key of the reports' rollup `cdr_rollup_report_hourly` (migration 0018); NULLs are kept (`nulls not distinct`). */
export const REPORT_ROLLUP_KEY = sql`bucket, country_code, status, direction, account, trunk, currency, result, answered`;
/** Key of its coarse copy `cdr_rollup_report_hourly_totals` (no account, no trunk). */
export const REPORT_TOTALS_KEY = sql`bucket, country_code, status, direction, currency, result, answered`;

export const REPORT_MEASURES = ['calls', 'talk_seconds', 'billed_seconds', 'cost_sum', 'cost_count', 'pdd_sum', 'pdd_count'] as const;

/**
 * Contribution rows of `source` (rows with the `cdrs` columns) to the reports' rollup, times `sign`. Talk time, cost
 * and PDD are summed as `numeric`, so adding and subtracting are exact.
 */
export function reportRollupContributions(source: RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown> {
  const s = sql.lit(sign);
  return sql`
    select date_trunc('hour', start_time, 'UTC') as bucket, country_code, status, direction, account, trunk, currency, result,
      ${ANSWERED_SQL} as answered,
      ${s} * count(*) as calls,
      ${s} * coalesce(sum(duration::numeric) filter (where ${ANSWERED_SQL}), 0) as talk_seconds,
      ${s} * coalesce(sum(billed_duration), 0) as billed_seconds,
      ${s} * coalesce(sum(cost::numeric), 0) as cost_sum,
      ${s} * count(cost) as cost_count,
      ${s} * coalesce(sum(pdd), 0) as pdd_sum,
      ${s} * count(pdd) as pdd_count
    from (select cdr.*, ${PDD_SQL} as pdd from ${source} as cdr where start_time is not null) as src
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9`;
}

function addMeasures(table: string, measures: readonly string[]): RawBuilder<unknown> {
  return sql.join(measures.map((m) => sql`${sql.ref(m)} = ${sql.table(table)}.${sql.ref(m)} + excluded.${sql.ref(m)}`));
}

/**
 * Applies the contributions of `source` (times `sign`) to every hourly rollup in one statement:
 * `cdr_rollup_hourly` (full key) and `cdr_rollup_hourly_totals` (hour × country × status × direction × currency: list
 * totals, the summary, insights), and the reports' `cdr_rollup_report_hourly`, `cdr_rollup_report_hourly_totals` and
 * `cdr_rollup_report_daily` (migration 0018). `source` is read once (a materialized CTE; it may lock rows `for update`), each table gets
 * `insert … on conflict do update set x = x + excluded.x`.
 */
export function rollupApply(source: RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown> {
  const measures = sql.join(MEASURES.map((m) => sql.ref(m)));
  const sums = sql.join(MEASURES.map((m) => sql`sum(${sql.ref(m)})`));
  const reportMeasures = sql.join(REPORT_MEASURES.map((m) => sql.ref(m)));
  const reportSums = sql.join(REPORT_MEASURES.map((m) => sql`sum(${sql.ref(m)})`));
  return sql`
    with src as materialized (select * from ${source} as locked),
    contribution as (${rollupContributions(sql`src`, sign)}),
    report as materialized (${reportRollupContributions(sql`src`, sign)}),
    fine as (
      insert into cdr_rollup_hourly (${ROLLUP_KEY}, ${measures})
      select ${ROLLUP_KEY}, ${measures} from contribution
      on conflict (${ROLLUP_KEY}) do update set ${addMeasures('cdr_rollup_hourly', MEASURES)}
    ),
    totals as (
      insert into cdr_rollup_hourly_totals (${TOTALS_KEY}, ${measures})
      select ${TOTALS_KEY}, ${sums} from contribution group by ${TOTALS_KEY}
      on conflict (${TOTALS_KEY}) do update set ${addMeasures('cdr_rollup_hourly_totals', MEASURES)}
    ),
    report_fine as (
      insert into cdr_rollup_report_hourly (${REPORT_ROLLUP_KEY}, ${reportMeasures})
      select ${REPORT_ROLLUP_KEY}, ${reportMeasures} from report
      on conflict (${REPORT_ROLLUP_KEY}) do update set ${addMeasures('cdr_rollup_report_hourly', REPORT_MEASURES)}
    ),
    report_daily as (
      insert into cdr_rollup_report_daily (${REPORT_ROLLUP_KEY}, ${reportMeasures})
      select date_trunc('day', bucket, 'UTC'), country_code, status, direction, account, trunk, currency, result, answered,
        ${reportSums}
      from report group by 1, 2, 3, 4, 5, 6, 7, 8, 9
      on conflict (${REPORT_ROLLUP_KEY}) do update set ${addMeasures('cdr_rollup_report_daily', REPORT_MEASURES)}
    )
    insert into cdr_rollup_report_hourly_totals (${REPORT_TOTALS_KEY}, ${reportMeasures})
    select ${REPORT_TOTALS_KEY}, ${reportSums} from report group by ${REPORT_TOTALS_KEY}
    on conflict (${REPORT_TOTALS_KEY}) do update set ${addMeasures('cdr_rollup_report_hourly_totals', REPORT_MEASURES)}`;
}

import { sql, type RawBuilder } from 'kysely';

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

/** `insert … on conflict do update set x = x + excluded.x` of contribution rows. */
export function rollupApply(contributions: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into cdr_rollup_hourly (${ROLLUP_KEY}, calls, answered, duration_sum, answered_duration_sum,
      answered_duration_count, billed_sum, cost_sum, cost_count, pdd_sum, pdd_count)
    ${contributions}
    on conflict (${ROLLUP_KEY}) do update set
      calls = cdr_rollup_hourly.calls + excluded.calls,
      answered = cdr_rollup_hourly.answered + excluded.answered,
      duration_sum = cdr_rollup_hourly.duration_sum + excluded.duration_sum,
      answered_duration_sum = cdr_rollup_hourly.answered_duration_sum + excluded.answered_duration_sum,
      answered_duration_count = cdr_rollup_hourly.answered_duration_count + excluded.answered_duration_count,
      billed_sum = cdr_rollup_hourly.billed_sum + excluded.billed_sum,
      cost_sum = cdr_rollup_hourly.cost_sum + excluded.cost_sum,
      cost_count = cdr_rollup_hourly.cost_count + excluded.cost_count,
      pdd_sum = cdr_rollup_hourly.pdd_sum + excluded.pdd_sum,
      pdd_count = cdr_rollup_hourly.pdd_count + excluded.pdd_count`;
}

import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * SQL of the CDR rollups (docs/reports.md, *Storage*). Every rollup is keyed by the **UTC** hour (or day) of
 * `start_time`; CDRs without a start time are not rolled up (they cannot be placed in a range either).
 *
 * - `cdr_rollup_hourly_totals` (migration 0008, hours cut in UTC since 0019) and `cdr_rollup_daily_totals` (0019):
 *   hour/day × country code × status × direction × currency, dimensions '' instead of null — list totals, the
 *   summary, insights.
 * - `cdr_rollup_report_hourly`, `cdr_rollup_report_hourly_totals` and `cdr_rollup_report_daily` (migration 0018):
 *   the reports' rollups, NULLs kept, talk time / cost / PDD as exact `numeric`.
 *
 * All five are fed from **one** aggregate of the changed rows at the finest key ({@link rollupContribution}); each
 * table's rows are grouped from it and applied with one multi-row `insert … on conflict do update set x = x + excluded.x`.
 */

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

/**
 * The columns a contribution reads (`CONTRIBUTION_FIELDS`, then `pdd`), as a select list over rows with the `cdrs`
 * columns: what {@link rollupContribution} needs, the PDD already extracted from `raw` (so `raw` is not carried along).
 */
export const CONTRIBUTION_FIELDS = [
  'start_time',
  'setup_time',
  'country_code',
  'status',
  'direction',
  'account',
  'trunk',
  'currency',
  'result',
  'duration',
  'billed_duration',
  'cost',
] as const;
export const CONTRIBUTION_COLUMNS = sql`${sql.join(CONTRIBUTION_FIELDS.map((c) => sql.ref(c)))}, ${PDD_SQL} as pdd`;

/** Key of the reports' rollup `cdr_rollup_report_hourly` (migration 0018); NULLs are kept (`nulls not distinct`). */
export const REPORT_ROLLUP_KEY = sql`bucket, country_code, status, direction, account, trunk, currency, result, answered`;
/** Key of its coarse copy `cdr_rollup_report_hourly_totals` (no account, no trunk). */
export const REPORT_TOTALS_KEY = sql`bucket, country_code, status, direction, currency, result, answered`;
export const REPORT_MEASURES = ['calls', 'talk_seconds', 'billed_seconds', 'cost_sum', 'cost_count', 'pdd_sum', 'pdd_count'] as const;

/** Key of `cdr_rollup_hourly_totals` / `cdr_rollup_daily_totals`: what list totals and the summary filter on. */
export const TOTALS_KEY = sql`bucket, country_code, status, direction, currency`;
export const TOTALS_MEASURES = [
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

/**
 * One aggregate of `delta` — rows with a `sign` column (+1 add, −1 subtract) and {@link CONTRIBUTION_COLUMNS} — per
 * UTC hour × every dimension of every rollup. Sums are `numeric` (exact: a row added then subtracted leaves no
 * residue). Besides the reports' measures it carries what the totals tables need and the reports' do not: all
 * durations (`duration_sum`, `duration_count`) and the setup-to-connect delay (`setup_pdd_*`, the list summary's).
 */
export function rollupContribution(delta: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select date_trunc('hour', start_time, 'UTC') as bucket, country_code, status, direction, account, trunk, currency, result, answered,
      sum(sign) as calls,
      coalesce(sum(sign * duration::numeric) filter (where answered), 0) as talk_seconds,
      coalesce(sum(sign * billed_duration), 0) as billed_seconds,
      coalesce(sum(sign * cost::numeric), 0) as cost_sum,
      coalesce(sum(sign) filter (where cost is not null), 0) as cost_count,
      coalesce(sum(sign * pdd), 0) as pdd_sum,
      coalesce(sum(sign) filter (where pdd is not null), 0) as pdd_count,
      coalesce(sum(sign * duration::numeric), 0) as duration_sum,
      coalesce(sum(sign) filter (where duration is not null), 0) as duration_count,
      coalesce(sum(sign * extract(epoch from start_time - setup_time)) filter (where start_time >= setup_time), 0) as setup_pdd_sum,
      coalesce(sum(sign) filter (where start_time >= setup_time), 0) as setup_pdd_count
    from (select d.*, ${ANSWERED_SQL} as answered from ${delta} as d where start_time is not null) as signed
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9`;
}

function addMeasures(table: string, measures: readonly string[]): RawBuilder<unknown> {
  return sql.join(measures.map((m) => sql`${sql.ref(m)} = ${sql.table(table)}.${sql.ref(m)} + excluded.${sql.ref(m)}`));
}

/**
 * The data-modifying CTEs that apply the contribution rows of CTE `contribution` (see {@link rollupContribution}) to
 * every rollup table, for `with …, ${rollupUpserts('contribution')}`. The last one is named `rollup_done`.
 */
export function rollupUpserts(contribution: string): RawBuilder<unknown> {
  const c = sql.table(contribution);
  const reportMeasures = sql.join(REPORT_MEASURES.map((m) => sql.ref(m)));
  const reportSums = sql.join(REPORT_MEASURES.map((m) => sql`sum(${sql.ref(m)})`));
  const totalsMeasures = sql.join(TOTALS_MEASURES.map((m) => sql.ref(m)));
  const totalsSums = (bucket: RawBuilder<unknown>): RawBuilder<unknown> => sql`
      select ${bucket}, coalesce(country_code, ''), status, direction, coalesce(currency, ''),
        sum(calls), coalesce(sum(calls) filter (where status = 'completed'), 0),
        sum(duration_sum)::float8, coalesce(sum(duration_sum) filter (where status = 'completed'), 0)::float8,
        coalesce(sum(duration_count) filter (where status = 'completed'), 0),
        sum(billed_seconds), sum(cost_sum)::float8, sum(cost_count), sum(setup_pdd_sum)::float8, sum(setup_pdd_count)
      from ${c} group by 1, 2, 3, 4, 5`;
  return sql`
    report_fine as (
      insert into cdr_rollup_report_hourly (${REPORT_ROLLUP_KEY}, ${reportMeasures})
      select ${REPORT_ROLLUP_KEY}, ${reportMeasures} from ${c}
      on conflict (${REPORT_ROLLUP_KEY}) do update set ${addMeasures('cdr_rollup_report_hourly', REPORT_MEASURES)}
    ),
    report_daily as (
      insert into cdr_rollup_report_daily (${REPORT_ROLLUP_KEY}, ${reportMeasures})
      select date_trunc('day', bucket, 'UTC'), country_code, status, direction, account, trunk, currency, result, answered, ${reportSums}
      from ${c} group by 1, 2, 3, 4, 5, 6, 7, 8, 9
      on conflict (${REPORT_ROLLUP_KEY}) do update set ${addMeasures('cdr_rollup_report_daily', REPORT_MEASURES)}
    ),
    report_totals as (
      insert into cdr_rollup_report_hourly_totals (${REPORT_TOTALS_KEY}, ${reportMeasures})
      select ${REPORT_TOTALS_KEY}, ${reportSums} from ${c} group by ${REPORT_TOTALS_KEY}
      on conflict (${REPORT_TOTALS_KEY}) do update set ${addMeasures('cdr_rollup_report_hourly_totals', REPORT_MEASURES)}
    ),
    totals as (
      insert into cdr_rollup_hourly_totals (${TOTALS_KEY}, ${totalsMeasures})
      ${totalsSums(sql`bucket`)}
      on conflict (${TOTALS_KEY}) do update set ${addMeasures('cdr_rollup_hourly_totals', TOTALS_MEASURES)}
    ),
    rollup_done as (
      insert into cdr_rollup_daily_totals (${TOTALS_KEY}, ${totalsMeasures})
      ${totalsSums(sql`date_trunc('day', bucket, 'UTC')`)}
      on conflict (${TOTALS_KEY}) do update set ${addMeasures('cdr_rollup_daily_totals', TOTALS_MEASURES)}
    )`;
}

/**
 * Applies the rows of `source` (a table or subquery with the `cdrs` columns), times `sign`, to every rollup in one
 * statement. Used by the rebuild (+1 over a day of CDRs) and by tests; the upsert folds the same SQL into its own
 * statement (`CdrRepository`).
 */
export function rollupApply(source: RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown> {
  return sql`
    with delta as (select ${sql.lit(sign)} as sign, ${CONTRIBUTION_COLUMNS} from ${source} as src),
    contribution as materialized (${rollupContribution(sql`delta`)}),
    ${rollupUpserts('contribution')}
    select 1`;
}

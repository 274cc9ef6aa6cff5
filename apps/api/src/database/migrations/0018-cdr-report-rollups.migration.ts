import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The reports' hourly rollup (docs/reports.md, *Storage*): sums that carry the report metric definitions exactly,
 * per UTC hour of `start_time` × country code × status × direction × account × trunk × currency × result ×
 * answered (`status = 'completed' and duration > 0`), and a coarse copy without account and trunk (what most
 * reports group and filter on), and a daily copy of the full key (`cdr_rollup_report_daily`, whole UTC days, for account and
 * trunk over long ranges). Dimensions keep their NULLs (a `unique nulls not distinct` key, PostgreSQL ≥ 15 and
 * PGlite), so a rollup row's key reads exactly like the CDRs' columns. Talk time, cost and PDD are `numeric`: the
 * CDRs' doubles are added as `::numeric` on both sides, so subtract-and-add leaves no residue and a rollup sum equals
 * the raw sum to the last digit. Filled here from the CDR table in one statement; `npm run rollups:rebuild`
 * recomputes it day by day.
 */
export const cdrReportRollupsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const measures = sql`
        calls bigint not null default 0,
        talk_seconds numeric not null default 0,
        billed_seconds bigint not null default 0,
        cost_sum numeric not null default 0,
        cost_count bigint not null default 0,
        pdd_sum numeric not null default 0,
        pdd_count bigint not null default 0`;
    await sql`
      create table cdr_rollup_report_hourly (
        bucket timestamptz not null,
        country_code text,
        status text not null,
        direction text not null,
        account text,
        trunk text,
        currency text,
        result integer,
        answered boolean not null,
        ${measures},
        constraint cdr_rollup_report_hourly_key
          unique nulls not distinct (bucket, country_code, status, direction, account, trunk, currency, result, answered)
      )`.execute(db);
    await sql`
      create table cdr_rollup_report_hourly_totals (
        bucket timestamptz not null,
        country_code text,
        status text not null,
        direction text not null,
        currency text,
        result integer,
        answered boolean not null,
        ${measures},
        constraint cdr_rollup_report_hourly_totals_key
          unique nulls not distinct (bucket, country_code, status, direction, currency, result, answered)
      )`.execute(db);
    // The full key per UTC day: a 30-day breakdown by account or trunk reads 30 rows per key instead of 720.
    await sql`
      create table cdr_rollup_report_daily (
        bucket timestamptz not null,
        country_code text,
        status text not null,
        direction text not null,
        account text,
        trunk text,
        currency text,
        result integer,
        answered boolean not null,
        ${measures},
        constraint cdr_rollup_report_daily_key
          unique nulls not distinct (bucket, country_code, status, direction, account, trunk, currency, result, answered)
      )`.execute(db);
    // Frozen copy of reportRollupContributions(cdrs, +1) (cdr-rollup.sql.ts) at the time of this migration.
    await sql`
      insert into cdr_rollup_report_hourly
      select date_trunc('hour', start_time, 'UTC'), country_code, status, direction, account, trunk, currency, result,
        (status = 'completed' and coalesce(duration, 0) > 0),
        count(*),
        coalesce(sum(duration::numeric) filter (where status = 'completed' and coalesce(duration, 0) > 0), 0),
        coalesce(sum(billed_duration), 0),
        coalesce(sum(cost::numeric), 0), count(cost),
        coalesce(sum(case
          when jsonb_typeof(raw->'pdd1xx') in ('number', 'string') and raw->>'pdd1xx' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'pdd1xx')::numeric > 0 then (raw->>'pdd1xx')::numeric
          when jsonb_typeof(raw->'delay') in ('number', 'string') and raw->>'delay' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'delay')::numeric > 0 then (raw->>'delay')::numeric
          end), 0),
        count(case
          when jsonb_typeof(raw->'pdd1xx') in ('number', 'string') and raw->>'pdd1xx' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'pdd1xx')::numeric > 0 then 1
          when jsonb_typeof(raw->'delay') in ('number', 'string') and raw->>'delay' ~ '^[0-9]+(\\.[0-9]+)?$' and (raw->>'delay')::numeric > 0 then 1
          end)
      from cdrs where start_time is not null
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9`.execute(db);
    await sql`
      insert into cdr_rollup_report_hourly_totals
      select bucket, country_code, status, direction, currency, result, answered, sum(calls), sum(talk_seconds),
        sum(billed_seconds), sum(cost_sum), sum(cost_count), sum(pdd_sum), sum(pdd_count)
      from cdr_rollup_report_hourly group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
    await sql`
      insert into cdr_rollup_report_daily
      select date_trunc('day', bucket, 'UTC'), country_code, status, direction, account, trunk, currency, result, answered,
        sum(calls), sum(talk_seconds), sum(billed_seconds), sum(cost_sum), sum(cost_count), sum(pdd_sum), sum(pdd_count)
      from cdr_rollup_report_hourly group by 1, 2, 3, 4, 5, 6, 7, 8, 9`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop table cdr_rollup_report_daily`.execute(db);
    await sql`drop table cdr_rollup_report_hourly_totals`.execute(db);
    await sql`drop table cdr_rollup_report_hourly`.execute(db);
  },
};

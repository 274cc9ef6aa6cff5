import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Rollup upkeep (issue #10, docs/reports.md *Storage*):
 * - drops `cdr_rollup_hourly` (0008's full-key rollup): no request reads it any more (list totals, the summary and
 *   insights read `cdr_rollup_hourly_totals`, reports and detection the reports' rollups of 0018), and maintaining it
 *   cost a third of the rollup work on every ingested chunk;
 * - cuts `cdr_rollup_hourly_totals`' hours in UTC: 0008 truncated `start_time` in the session time zone, which is
 *   the UTC hour only when the server's zone is a whole number of hours from UTC. The table is recomputed from
 *   `cdrs` only when a bucket is not on a UTC hour (otherwise it is already right);
 * - adds `cdr_rollup_daily_totals`, the same measures per UTC day, so a list total or a summary over weeks adds up
 *   a few rows per day instead of one row per hour × country × status × direction × currency.
 */
export const cdrRollupDailyTotalsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`drop table cdr_rollup_hourly`.execute(db);

    const misaligned = await sql<{ found: boolean }>`
      select exists (select 1 from cdr_rollup_hourly_totals where bucket <> date_trunc('hour', bucket, 'UTC')) as found`.execute(db);
    if (misaligned.rows[0]?.found) {
      await sql`delete from cdr_rollup_hourly_totals`.execute(db);
      // Frozen copy of the totals part of rollupUpserts() (cdr-rollup.sql.ts) at the time of this migration.
      await sql`
        insert into cdr_rollup_hourly_totals (bucket, country_code, status, direction, currency, calls, answered, duration_sum,
          answered_duration_sum, answered_duration_count, billed_sum, cost_sum, cost_count, pdd_sum, pdd_count)
        select date_trunc('hour', start_time, 'UTC'), coalesce(country_code, ''), status, direction, coalesce(currency, ''),
          count(*), count(*) filter (where status = 'completed'), coalesce(sum(duration::numeric), 0)::float8,
          coalesce(sum(duration::numeric) filter (where status = 'completed'), 0)::float8,
          count(duration) filter (where status = 'completed'), coalesce(sum(billed_duration), 0),
          coalesce(sum(cost::numeric), 0)::float8, count(cost),
          coalesce(sum(extract(epoch from start_time - setup_time)) filter (where start_time >= setup_time), 0)::float8,
          count(*) filter (where start_time >= setup_time)
        from cdrs where start_time is not null
        group by 1, 2, 3, 4, 5`.execute(db);
    }

    await sql`
      create table cdr_rollup_daily_totals (
        bucket timestamptz not null,
        country_code text not null default '',
        status text not null,
        direction text not null,
        currency text not null default '',
        calls bigint not null default 0,
        answered bigint not null default 0,
        duration_sum double precision not null default 0,
        answered_duration_sum double precision not null default 0,
        answered_duration_count bigint not null default 0,
        billed_sum bigint not null default 0,
        cost_sum double precision not null default 0,
        cost_count bigint not null default 0,
        pdd_sum double precision not null default 0,
        pdd_count bigint not null default 0,
        primary key (bucket, country_code, status, direction, currency)
      )`.execute(db);
    await sql`
      insert into cdr_rollup_daily_totals
      select date_trunc('day', bucket, 'UTC'), country_code, status, direction, currency, sum(calls), sum(answered),
        sum(duration_sum), sum(answered_duration_sum), sum(answered_duration_count), sum(billed_sum), sum(cost_sum),
        sum(cost_count), sum(pdd_sum), sum(pdd_count)
      from cdr_rollup_hourly_totals group by 1, 2, 3, 4, 5`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop table cdr_rollup_daily_totals`.execute(db);
    await sql`
      create table cdr_rollup_hourly (
        bucket timestamptz not null,
        country_code text not null default '',
        status text not null,
        direction text not null,
        account text not null default '',
        trunk text not null default '',
        currency text not null default '',
        calls bigint not null default 0,
        answered bigint not null default 0,
        duration_sum double precision not null default 0,
        answered_duration_sum double precision not null default 0,
        answered_duration_count bigint not null default 0,
        billed_sum bigint not null default 0,
        cost_sum double precision not null default 0,
        cost_count bigint not null default 0,
        pdd_sum double precision not null default 0,
        pdd_count bigint not null default 0,
        primary key (bucket, country_code, status, direction, account, trunk, currency)
      )`.execute(db);
    await sql`
      insert into cdr_rollup_hourly
      select date_trunc('hour', start_time, 'UTC'), coalesce(country_code, ''), status, direction,
        coalesce(account, ''), coalesce(trunk, ''), coalesce(currency, ''),
        count(*), count(*) filter (where status = 'completed'), coalesce(sum(duration), 0),
        coalesce(sum(duration) filter (where status = 'completed'), 0),
        count(duration) filter (where status = 'completed'), coalesce(sum(billed_duration), 0),
        coalesce(sum(cost), 0), count(cost),
        coalesce(sum(extract(epoch from start_time - setup_time)) filter (where start_time >= setup_time), 0),
        count(*) filter (where start_time >= setup_time)
      from cdrs where start_time is not null
      group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Two letters with optional white space around them, as a bound parameter: in a template literal `\s` would be
 * cooked to a plain `s` (the first version of this migration matched only unpadded codes).
 */
const ISO_CODE_PADDED = String.raw`^\s*[A-Za-z]{2}\s*$`;

/**
 * `cdrs.country_code` (ISO 3166-1 alpha-2) and the hourly rollup `cdr_rollup_hourly`
 * (docs/reports.md). Existing rows get `country_code` from the raw record's `country_iso`, else
 * from the stored country name via the SQL mapping below (the normalizer's prefix rule applies when a
 * row is synced again); the rollup is filled from the CDR table here in one statement
 * (`npm run rollups:rebuild` recomputes it later, batched by day).
 */
export const cdrCountryCodeAndRollupsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table cdrs add column country_code text`.execute(db);
    await sql`alter table cdrs add constraint cdrs_country_code_check check (country_code ~ '^[A-Z]{2}$')`.execute(db);
    await sql`create index cdrs_country_code_start_time_idx on cdrs (country_code, start_time desc nulls last, id desc)`.execute(
      db,
    );
    await sql`
      update cdrs set country_code = upper(substring(raw->>'country_iso' from '[A-Za-z]{2}'))
      where raw->>'country_iso' ~ ${ISO_CODE_PADDED}`.execute(db);
    await sql`
      update cdrs set country_code = upper(btrim(country))
      where country_code is null and btrim(country) ~ '^[A-Za-z]{2}$'`.execute(db);

    // One row per hour × country code × status × direction × account × trunk × currency.
    // Dimensions are '' instead of null so they can be part of the primary key.
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
    // The same measures on a coarse key, for list totals and the summary (a few hundred rows a day).
    await sql`
      create table cdr_rollup_hourly_totals (
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
    // Frozen copy of rollupContributions(cdrs, +1) at the time of this migration.
    await sql`
      insert into cdr_rollup_hourly
      select date_trunc('hour', start_time), coalesce(country_code, ''), status, direction,
        coalesce(account, ''), coalesce(trunk, ''), coalesce(currency, ''),
        count(*), count(*) filter (where status = 'completed'), coalesce(sum(duration), 0),
        coalesce(sum(duration) filter (where status = 'completed'), 0),
        count(duration) filter (where status = 'completed'), coalesce(sum(billed_duration), 0),
        coalesce(sum(cost), 0), count(cost),
        coalesce(sum(extract(epoch from start_time - setup_time)) filter (where setup_time is not null and start_time >= setup_time), 0),
        count(*) filter (where setup_time is not null and start_time >= setup_time)
      from cdrs where start_time is not null
      group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
    await sql`
      insert into cdr_rollup_hourly_totals
      select bucket, country_code, status, direction, currency, sum(calls), sum(answered), sum(duration_sum),
        sum(answered_duration_sum), sum(answered_duration_count), sum(billed_sum), sum(cost_sum), sum(cost_count),
        sum(pdd_sum), sum(pdd_count)
      from cdr_rollup_hourly group by 1, 2, 3, 4, 5`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop table cdr_rollup_hourly_totals`.execute(db);
    await sql`drop table cdr_rollup_hourly`.execute(db);
    await sql`drop index cdrs_country_code_start_time_idx`.execute(db);
    await sql`alter table cdrs drop column country_code`.execute(db);
  },
};

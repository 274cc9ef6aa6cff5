import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Insights (docs/insights.md): anomalies found on the hourly rollup, one row per kind × subject × currency × hour
 * (the unique key makes every run idempotent: a restart or a second replica finds the same row), and the daily
 * narratives, one per local day × time zone × language. An index on the totals rollup by destination and hour lets
 * the new-destination check probe each destination instead of scanning weeks of rollup rows.
 */
export const createInsightsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table insights (
        id bigint generated always as identity primary key,
        kind text not null check (kind in ('traffic_spike', 'asr_drop', 'cost_jump', 'new_destination')),
        severity text not null check (severity in ('info', 'warning', 'critical')),
        subject_type text not null check (subject_type in ('all', 'country')),
        subject text not null default '',
        currency text not null default '',
        hour timestamptz not null,
        metric text not null check (metric in ('calls', 'asr', 'cost')),
        observed double precision not null,
        expected double precision,
        band_low double precision,
        band_high double precision,
        score double precision,
        evidence jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint insights_subject_hour_uq unique (kind, subject_type, subject, currency, hour)
      )`.execute(db);
    // lists read a range of hours, newest first
    await sql`create index insights_hour_idx on insights (hour desc, id desc)`.execute(db);
    // "was this destination called in the last 28 days?": one index probe per destination, not a scan of 28 days
    await sql`create index cdr_rollup_hourly_totals_country_bucket_idx on cdr_rollup_hourly_totals (country_code, bucket)`.execute(db);

    await sql`
      create table insight_narratives (
        day text not null check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
        time_zone text not null,
        lang text not null check (lang in ('tr', 'en')),
        text text not null,
        source text not null check (source in ('llm', 'builtin')),
        model text,
        note text,
        facts jsonb not null,
        generated_at timestamptz not null default now(),
        primary key (day, time_zone, lang)
      )`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index cdr_rollup_hourly_totals_country_bucket_idx`.execute(db);
    await sql`drop table insight_narratives`.execute(db);
    await sql`drop table insights`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

// Frozen copies of the values at the time of this migration: a new value needs a new migration that replaces
// the check constraint; never edit this file after it shipped.
const SUBJECT_TYPES = ['number', 'prefix', 'account'];
const LEVELS = ['warn', 'crit'];
const STATUSES = ['open', 'spam', 'dismissed', 'allowed'];
const MODES = ['active', 'report_only'];
const LIST_KINDS = ['allow_number', 'spam_number', 'block_prefix', 'high_risk_prefix'];

function list(values: string[]) {
  return sql.join(values.map((v) => sql.lit(v)));
}

/**
 * Spam and fraud detection (docs/detection.md):
 * - `detection_findings`: one row per rule × subject × window (the unique key makes every run idempotent: a re-run,
 *   a restart or a second replica updates the same row), with its bilingual reason, evidence and level;
 * - `detection_finding_cdrs`: the CDR ids behind each finding (at most 100 per finding), looked up by CDR id so
 *   that the CDR list can badge its rows with one indexed query;
 * - `detection_lists`: allow-listed numbers, spam-marked numbers, block-listed prefixes and the high-risk (IRSF /
 *   premium) prefix list seeded from the repository's data file, each with who and when;
 * - `detection_rule_settings`: per-rule overrides of the defaults in code (enabled, mode, window, warn, crit,
 *   minimum sample);
 * - `detection_cursor`: how far the incremental runner has read the CDR table (by first_seen_at, id).
 * Two indexes on `cdrs` serve the runner: new rows by first_seen_at, and a caller's / an account's calls in a window.
 */
export const createDetectionMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table detection_findings (
        id bigint generated always as identity primary key,
        rule text not null,
        subject_type text not null check (subject_type in (${list(SUBJECT_TYPES)})),
        subject text not null,
        window_start timestamptz not null,
        window_end timestamptz not null,
        level text not null check (level in (${list(LEVELS)})),
        score double precision not null,
        reason_en text not null,
        reason_tr text not null,
        evidence jsonb not null,
        cdr_count integer not null default 0,
        first_seen timestamptz not null,
        last_seen timestamptz not null,
        status text not null default 'open' check (status in (${list(STATUSES)})),
        mode text not null check (mode in (${list(MODES)})),
        published_level text check (published_level in (${list(LEVELS)})),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint detection_findings_rule_subject_window_uq unique (rule, subject_type, subject, window_start)
      )`.execute(db);
    // the alerts page: newest first, keyset on (last_seen, id), optionally by rule / subject / level / status
    await sql`create index detection_findings_last_seen_idx on detection_findings (last_seen desc, id desc)`.execute(db);
    await sql`create index detection_findings_subject_idx on detection_findings (subject, last_seen desc)`.execute(db);
    await sql`create index detection_findings_rule_last_seen_idx on detection_findings (rule, last_seen desc, id desc)`.execute(db);

    await sql`
      create table detection_finding_cdrs (
        cdr_id text collate "C" not null,
        finding_id bigint not null references detection_findings (id) on delete cascade,
        primary key (cdr_id, finding_id)
      )`.execute(db);
    await sql`create index detection_finding_cdrs_finding_idx on detection_finding_cdrs (finding_id)`.execute(db);

    await sql`
      create table detection_lists (
        kind text not null check (kind in (${list(LIST_KINDS)})),
        value text not null,
        note text,
        source text not null default 'user' check (source in ('user', 'seed')),
        created_by_user_id text,
        created_by_email text,
        created_at timestamptz not null default now(),
        primary key (kind, value)
      )`.execute(db);
    await sql`create index detection_lists_value_idx on detection_lists (value)`.execute(db);

    await sql`
      create table detection_rule_settings (
        rule text primary key,
        enabled boolean not null,
        mode text not null check (mode in (${list(MODES)})),
        window_seconds integer not null check (window_seconds > 0),
        warn double precision not null,
        crit double precision not null,
        min_sample integer not null check (min_sample >= 1),
        updated_by_email text,
        updated_at timestamptz not null default now()
      )`.execute(db);

    await sql`
      create table detection_cursor (
        key text primary key,
        seen_until timestamptz not null,
        last_id text collate "C" not null,
        updated_at timestamptz not null default now()
      )`.execute(db);

    // new CDRs since the cursor, in insertion order
    await sql`create index cdrs_first_seen_id_idx on cdrs (first_seen_at, id)`.execute(db);
    // a caller's, a callee's and an account's calls in a window (and the caller's baseline weeks)
    await sql`create index cdrs_caller_start_time_idx on cdrs (caller, start_time)`.execute(db);
    await sql`create index cdrs_callee_start_time_idx on cdrs (callee, start_time)`.execute(db);
    await sql`create index cdrs_account_start_time_idx on cdrs (account, start_time)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index cdrs_account_start_time_idx`.execute(db);
    await sql`drop index cdrs_callee_start_time_idx`.execute(db);
    await sql`drop index cdrs_caller_start_time_idx`.execute(db);
    await sql`drop index cdrs_first_seen_id_idx`.execute(db);
    await sql`drop table detection_cursor`.execute(db);
    await sql`drop table detection_rule_settings`.execute(db);
    await sql`drop table detection_lists`.execute(db);
    await sql`drop table detection_finding_cdrs`.execute(db);
    await sql`drop table detection_findings`.execute(db);
  },
};

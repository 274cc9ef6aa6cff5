import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Per-account sources of the source_change rule (docs/detection.md#source-change): outgoing calls per account, UTC
 * day, kind (`country` by GeoIP of remote_ip, `user_agent`, `calls` = every outgoing call with value '') and value.
 * The detection runner adds each batch of new CDRs (never a rescan of the CDR table); the baseline of a window is the
 * sum over the days before it. Days older than the longest baseline are pruned.
 */
export const detectionAccountSourcesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      create table detection_account_sources (
        account text not null,
        day date not null,
        kind text not null check (kind in ('calls', 'country', 'user_agent')),
        value text not null,
        calls integer not null check (calls >= 0),
        primary key (account, day, kind, value)
      )`.execute(db);
    await sql`create index detection_account_sources_day on detection_account_sources (day)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop table detection_account_sources`.execute(db);
  },
};

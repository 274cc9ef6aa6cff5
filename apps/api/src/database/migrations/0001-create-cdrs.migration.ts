import { sql, type Kysely, type Migration } from 'kysely';

// Frozen copies of CDR_STATUSES / CDR_DIRECTIONS at the time of this migration. A new value needs
// a new migration that replaces the check constraint; never edit this file after it shipped.
const STATUSES = ['completed', 'busy', 'no_answer', 'cancelled', 'rejected', 'failed', 'unknown'];
const DIRECTIONS = ['inbound', 'outbound', 'internal', 'unknown'];

/** The canonical CDR table (see `Cdr` in @velora/sippy) plus the raw source record. */
export const createCdrsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('cdrs')
      .addColumn('id', sql`text collate "C"`, (col) => col.primaryKey()) // byte order: same on every server
      .addColumn('source', 'text', (col) => col.notNull().defaultTo('sippy'))
      .addColumn('call_id', 'text')
      .addColumn('caller', 'text')
      .addColumn('callee', 'text')
      .addColumn('start_time', 'timestamptz')
      .addColumn('end_time', 'timestamptz')
      .addColumn('setup_time', 'timestamptz')
      .addColumn('duration', 'double precision')
      .addColumn('billed_duration', 'integer')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('result', 'integer')
      .addColumn('sip_code', 'integer')
      .addColumn('disconnect_reason', 'text')
      .addColumn('release_source', 'text')
      .addColumn('direction', 'text', (col) => col.notNull())
      .addColumn('country', 'text')
      .addColumn('city', 'text')
      .addColumn('cost', 'double precision')
      .addColumn('currency', 'text')
      .addColumn('trunk', 'text')
      .addColumn('codec', 'text')
      .addColumn('account', 'text')
      .addColumn('remote_ip', 'text')
      .addColumn('raw', 'jsonb', (col) => col.notNull())
      .addColumn('first_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('cdrs_status_check', sql`status in (${sql.join(STATUSES.map((s) => sql.lit(s)))})`)
      .addCheckConstraint(
        'cdrs_direction_check',
        sql`direction in (${sql.join(DIRECTIONS.map((d) => sql.lit(d)))})`,
      )
      .execute();

    // The list is ordered `start_time desc nulls last, id desc`; each filter index ends with the
    // same keys so "filter + newest first + limit" reads the index in order and stops early.
    await sql`create index cdrs_start_time_id_idx on cdrs (start_time desc nulls last, id desc)`.execute(db);
    await sql`create index cdrs_status_start_time_idx on cdrs (status, start_time desc nulls last, id desc)`.execute(db);
    await sql`create index cdrs_direction_start_time_idx on cdrs (direction, start_time desc nulls last, id desc)`.execute(
      db,
    );
    // Country filter is case-insensitive equality: lower(country) = lower($1).
    await sql`create index cdrs_country_start_time_idx on cdrs (lower(country), start_time desc nulls last, id desc)`.execute(
      db,
    );
    // Exact and prefix lookups on numbers (`caller like '4420%'`) whatever the collation.
    await sql`create index cdrs_caller_pattern_idx on cdrs (caller text_pattern_ops)`.execute(db);
    await sql`create index cdrs_callee_pattern_idx on cdrs (callee text_pattern_ops)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('cdrs').execute();
  },
};

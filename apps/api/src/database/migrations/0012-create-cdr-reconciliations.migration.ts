import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Reconciliation results: one row per check of one window (a UTC hour) — what the switch returned for it, what was
 * stored before, how many missing CDRs were inserted, and who asked. Rows are never changed: a new check adds a row,
 * the report shows the latest per window (docs/reports.md#completeness).
 */
export const createCdrReconciliationsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('cdr_reconciliations')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('window_start', 'timestamptz', (col) => col.notNull())
      .addColumn('window_end', 'timestamptz', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('complete', 'healed', 'failed')`))
      // null when the switch could not be read
      .addColumn('switch_count', 'integer')
      .addColumn('stored_before', 'integer', (col) => col.notNull())
      .addColumn('healed', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('stored_after', 'integer', (col) => col.notNull())
      .addColumn('error', 'text')
      .addColumn('trigger', 'text', (col) => col.notNull().check(sql`trigger in ('manual', 'nightly')`))
      // no foreign key: the history outlives deleted users (checked_by_email keeps who it was)
      .addColumn('checked_by_user_id', 'text')
      .addColumn('checked_by_email', 'text')
      .addColumn('checked_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('cdr_reconciliations_window_check', sql`window_end > window_start`)
      .execute();
    // The report reads the latest check per window over a range: (window_start, checked_at desc).
    await sql`create index cdr_reconciliations_window_idx on cdr_reconciliations (window_start, checked_at desc, id desc)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('cdr_reconciliations').execute();
  },
};

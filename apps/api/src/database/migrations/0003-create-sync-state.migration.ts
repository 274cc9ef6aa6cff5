import { sql, type Kysely, type Migration } from 'kysely';

/** Cursor/progress of background jobs (e.g. the Sippy CDR sync), one JSON document per key. */
export const createSyncStateMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sync_state')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('state', 'jsonb', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sync_state').execute();
  },
};

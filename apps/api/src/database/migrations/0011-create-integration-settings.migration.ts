import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Connection settings of the external systems saved from the Integrations page. One row per integration:
 * `settings` holds the plain values, `secrets` the AES-256-GCM envelopes of the secret ones (never plain text).
 * `version` grows with every save or clear (a clear keeps the row with empty settings), so every replica can tell
 * that the settings changed by comparing one number.
 */
export const createIntegrationSettingsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('integration_settings')
      .addColumn('integration', 'text', (col) => col.primaryKey().check(sql`integration in ('sippy', 'issabel', 'elevenlabs')`))
      .addColumn('settings', 'jsonb', (col) => col.notNull())
      .addColumn('secrets', 'jsonb', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull().check(sql`version > 0`))
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('integration_settings').execute();
  },
};

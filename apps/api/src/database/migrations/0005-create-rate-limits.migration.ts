import { type Kysely, type Migration } from 'kysely';

/**
 * Rate-limit counters shared by every replica (fixed window per key). Keys are the throttler's SHA-256 hashes of
 * route + tracker (IP, email, user id), so no personal data is stored in clear.
 */
export const createRateLimitsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('hits', 'integer', (col) => col.notNull())
      .addColumn('window_ends_at', 'timestamptz', (col) => col.notNull())
      .addColumn('blocked_until', 'timestamptz')
      .execute();
    await db.schema.createIndex('rate_limits_window_ends_at_idx').on('rate_limits').column('window_ends_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rate_limits').execute();
  },
};

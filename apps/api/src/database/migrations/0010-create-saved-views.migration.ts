import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Saved views: a named set of CDR filters + columns + sort + time zone, owned by a user, optionally shared with
 * everyone (admins only). The JSON columns are validated by the API before they are written.
 */
export const createSavedViewsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('saved_views')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('owner_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('scope', 'text', (col) => col.notNull().check(sql`scope in ('cdrs', 'reports')`))
      .addColumn('shared', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('filters', 'jsonb', (col) => col.notNull())
      .addColumn('columns', 'jsonb', (col) => col.notNull())
      .addColumn('sort', 'text', (col) => col.notNull())
      .addColumn('time_zone', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    // One name per owner and scope (case-insensitive); lists read by owner and by shared.
    await sql`create unique index saved_views_owner_scope_name_uq on saved_views (owner_id, scope, lower(name))`.execute(db);
    await db.schema.createIndex('saved_views_shared_idx').on('saved_views').columns(['shared', 'scope']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('saved_views').execute();
  },
};

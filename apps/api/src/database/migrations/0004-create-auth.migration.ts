import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Authentication and auditing: local users (argon2id hashes), their API tokens (SHA-256 of the token, never
 * the token), the audit log, and app_settings (generated secrets such as the session signing key).
 */
export const createAuthMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('admin', 'agent')`))
      .addColumn('display_name', 'text')
      .addColumn('disabled', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('must_change_password', 'boolean', (col) => col.notNull().defaultTo(false))
      // bumped on password change/reset and disable: every session signed with an older value is void
      .addColumn('session_epoch', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('last_login_at', 'timestamptz')
      .execute();
    await sql`create unique index users_email_lower_key on users (lower(email))`.execute(db);

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('prefix', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('last_used_at', 'timestamptz')
      .addColumn('expires_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('api_tokens_user_id_idx').on('api_tokens').column('user_id').execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      // no foreign key: the history outlives deleted users (actor_email keeps who it was)
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_email', 'text')
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('target', 'text')
      .addColumn('ip', 'text')
      .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at']).execute();

    await db.schema
      .createTable('app_settings')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'jsonb', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('app_settings').execute();
    await db.schema.dropTable('audit_log').execute();
    await db.schema.dropTable('api_tokens').execute();
    await db.schema.dropTable('users').execute();
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Live events and notifications (docs/notifications.md):
 * - `events`: every published event with a sequence id (GET /api/events replays what a client missed from here,
 *   `Last-Event-ID`); notifications are the events with `notification = true` and are kept longer. Pruned by age
 *   and count (EventsPruner); `events_pruned` remembers the highest id pruned, so a client that resumes from an
 *   older id is told to reload instead of silently missing events.
 * - `notification_reads` / `notification_cursors`: per-user read state (one row per notification marked read, and
 *   "everything up to this id" for mark-all-read).
 * - `integration_states`: the last up/down state of each integration, shared by all replicas, so that a change is
 *   published once however many replicas notice it.
 */
export const createEventsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('events')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('level', 'text', (col) => col.notNull().check(sql`level in ('info', 'warn', 'crit')`))
      // who may see it: everyone, admins only; user_id narrows it to one user
      .addColumn('audience', 'text', (col) => col.notNull().check(sql`audience in ('all', 'admin')`))
      .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
      .addColumn('notification', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('data', 'jsonb', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('events_at_idx').on('events').column('at').execute();
    // the notifications page and the unread count walk notifications newest first
    await sql`create index events_notification_id_idx on events (id) where notification`.execute(db);
    await sql`create index events_user_id_idx on events (user_id) where user_id is not null`.execute(db);
    await sql`create table events_pruned (singleton boolean primary key default true check (singleton), through_id bigint not null)`.execute(
      db,
    );

    await db.schema
      .createTable('notification_reads')
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('event_id', 'bigint', (col) => col.notNull().references('events.id').onDelete('cascade'))
      .addColumn('read_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('notification_reads_pk', ['user_id', 'event_id'])
      .execute();
    await db.schema.createIndex('notification_reads_event_id_idx').on('notification_reads').column('event_id').execute();

    await db.schema
      .createTable('notification_cursors')
      .addColumn('user_id', 'text', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('read_up_to', 'bigint', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable('integration_states')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('up', 'boolean', (col) => col.notNull())
      .addColumn('cause', 'text')
      .addColumn('changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('integration_states').execute();
    await db.schema.dropTable('notification_cursors').execute();
    await db.schema.dropTable('notification_reads').execute();
    await db.schema.dropTable('events_pruned').execute();
    await db.schema.dropTable('events').execute();
  },
};

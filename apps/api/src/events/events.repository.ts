import { Injectable } from '@nestjs/common';
import type { VeloraEvent } from '@velora/contracts';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { Database, EventRow } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import type { EventAudience, EventViewer, StoredEvent } from './events.types';

/** NOTIFY channel of the PostgreSQL fan-out; the payload is the new event's id. */
export const EVENTS_CHANNEL = 'velora_events';
/** Advisory lock that orders publishing across replicas: ids commit in id order, so nobody skips one. */
const PUBLISH_LOCK_KEY = 7_419_203_118;

export interface NewEvent {
  type: string;
  level: string;
  audience: EventAudience;
  userId: string | null;
  notification: boolean;
  data: object;
}

/** Ages are measured with the database's clock (the same one that stamped `at`). */
export interface RetentionPolicy {
  /** Non-notification events older than this go… */
  eventsMaxAgeMs: number;
  /** …and all but the newest `eventsMax` of them. */
  eventsMax: number;
  notificationsMaxAgeMs: number;
  notificationsMax: number;
}

export interface NotificationRow extends StoredEvent {
  read: boolean;
}

type EventsBuilder = ExpressionBuilder<Database, 'events'>;

/** The only code that touches `events`, `events_pruned`, `notification_reads`, `notification_cursors` and `integration_states`. */
@Injectable()
export class EventsRepository {
  constructor(private readonly database: DatabaseService) {}

  /**
   * Stores an event under the publish lock and, on PostgreSQL, notifies every replica in the same transaction (the
   * notification is delivered at commit, in commit order).
   */
  async insert(event: NewEvent): Promise<StoredEvent> {
    const notify = this.database.kind === 'postgres';
    const row = await this.database.transaction(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK_KEY}::bigint)`.execute(trx);
      const inserted = await trx
        .insertInto('events')
        .values({
          type: event.type,
          level: event.level,
          audience: event.audience,
          user_id: event.userId,
          notification: event.notification,
          data: toJsonb(event.data),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (notify) await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(inserted.id)})`.execute(trx);
      return inserted;
    });
    return toStored(row);
  }

  /** Events after `afterId` in id order (every audience): the fan-out delivers them to local streams. */
  async after(afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.database.db.selectFrom('events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(toStored);
  }

  /** What `viewer` may see after `afterId`, oldest first (the replay of a resumed stream). */
  async visibleAfter(afterId: number, viewer: EventViewer, limit: number): Promise<StoredEvent[]> {
    const rows = await this.database.db
      .selectFrom('events')
      .selectAll()
      .where('id', '>', afterId)
      .where((eb) => visibleTo(eb, viewer))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toStored);
  }

  /** The newest event id, or null when there is none. */
  async latestId(): Promise<number | null> {
    const row = await this.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The highest id ever pruned (0 when nothing was): a client resuming from an older id may have missed events. */
  async prunedThrough(): Promise<number> {
    const row = await this.database.db.selectFrom('events_pruned').select('through_id').executeTakeFirst();
    return row?.through_id ?? 0;
  }

  /** Deletes by age and count (notifications on their own, longer terms); returns how many rows went. */
  async prune(policy: RetentionPolicy): Promise<number> {
    return this.database.transaction(async (trx) => {
      const result = await sql<{ deleted: number; through: number | null }>`
        with doomed as (
          delete from events
          where (not notification and (at < now() - ${policy.eventsMaxAgeMs}::double precision * interval '1 millisecond' or id <= (
                  select id from events where not notification order by id desc offset ${policy.eventsMax} limit 1)))
             or (notification and (at < now() - ${policy.notificationsMaxAgeMs}::double precision * interval '1 millisecond' or id <= (
                  select id from events where notification order by id desc offset ${policy.notificationsMax} limit 1)))
          returning id
        )
        select count(*)::int as deleted, max(id) as through from doomed`.execute(trx);
      const { deleted, through } = result.rows[0] ?? { deleted: 0, through: null };
      if (through !== null) {
        await trx
          .insertInto('events_pruned')
          .values({ singleton: true, through_id: through })
          .onConflict((oc) =>
            oc.column('singleton').doUpdateSet({ through_id: sql<number>`greatest(events_pruned.through_id, excluded.through_id)` }),
          )
          .execute();
      }
      return deleted;
    });
  }

  // --- notifications (the bell) ---

  /** Notifications `viewer` may see, newest first, with their read state; `before` = keyset cursor (an id). */
  async listNotifications(
    viewer: EventViewer,
    options: { before?: number; limit: number; unreadOnly?: boolean },
  ): Promise<NotificationRow[]> {
    let query = this.database.db
      .selectFrom('events')
      .leftJoin('notification_cursors as c', (join) => join.on('c.user_id', '=', viewer.userId))
      .leftJoin('notification_reads as r', (join) => join.onRef('r.event_id', '=', 'events.id').on('r.user_id', '=', viewer.userId))
      .selectAll('events')
      .select(sql<boolean>`(events.id <= coalesce(c.read_up_to, 0) or r.event_id is not null)`.as('read'))
      .where('events.notification', '=', true)
      .where((eb) => visibleTo(eb, viewer));
    if (options.before !== undefined) query = query.where('events.id', '<', options.before);
    if (options.unreadOnly === true) query = query.where(sql<SqlBool>`events.id > coalesce(c.read_up_to, 0) and r.event_id is null`);
    const rows = await query.orderBy('events.id', 'desc').limit(options.limit).execute();
    return rows.map((row) => ({ ...toStored(row), read: row.read }));
  }

  /** Unread notifications of `viewer`, counted up to `cap` + 1 (the caller shows "cap+"). */
  async countUnread(viewer: EventViewer, cap: number): Promise<number> {
    const db = this.database.db;
    const unread = db
      .selectFrom('events')
      .leftJoin('notification_cursors as c', (join) => join.on('c.user_id', '=', viewer.userId))
      .leftJoin('notification_reads as r', (join) => join.onRef('r.event_id', '=', 'events.id').on('r.user_id', '=', viewer.userId))
      .select(sql`1`.as('one'))
      .where('events.notification', '=', true)
      .where((eb) => visibleTo(eb, viewer))
      .where(sql<SqlBool>`events.id > coalesce(c.read_up_to, 0) and r.event_id is null`)
      .orderBy('events.id', 'desc')
      .limit(cap + 1);
    const row = await db
      .selectFrom(unread.as('u'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Marks these notifications read for `viewer`; returns the ids that exist and are visible to them. */
  async markRead(viewer: EventViewer, ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return this.database.transaction(async (trx) => {
      const visible = await trx
        .selectFrom('events')
        .select('id')
        .where('id', 'in', [...ids])
        .where('notification', '=', true)
        .where((eb) => visibleTo(eb, viewer))
        .execute();
      const found = visible.map((row) => row.id);
      if (found.length > 0) {
        await trx
          .insertInto('notification_reads')
          .values(found.map((id) => ({ user_id: viewer.userId, event_id: id })))
          .onConflict((oc) => oc.columns(['user_id', 'event_id']).doNothing())
          .execute();
      }
      return found;
    });
  }

  /** Marks every notification up to `upTo` (default: the newest) read for `viewer`; returns the id used, or null when there is none. */
  async markAllRead(viewer: EventViewer, upTo?: number): Promise<number | null> {
    return this.database.transaction(async (trx) => {
      let through = upTo ?? null;
      if (through === null) {
        const row = await trx
          .selectFrom('events')
          .select((eb) => eb.fn.max('id').as('id'))
          .where('notification', '=', true)
          .executeTakeFirst();
        through = row?.id ?? null;
      }
      if (through === null) return null;
      await trx
        .insertInto('notification_cursors')
        .values({ user_id: viewer.userId, read_up_to: through })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({
              read_up_to: sql<number>`greatest(notification_cursors.read_up_to, excluded.read_up_to)`,
              updated_at: sql`now()`,
            }),
        )
        .execute();
      // single marks at or below the cursor are now redundant
      await trx.deleteFrom('notification_reads').where('user_id', '=', viewer.userId).where('event_id', '<=', through).execute();
      return through;
    });
  }

  // --- integration states ---

  /**
   * Records an integration's state if it differs from the stored one (atomically: when several replicas see the
   * same change, exactly one gets `changed`/`first`). `first` = no state was stored before; null = no change.
   */
  async changeIntegrationState(name: string, up: boolean, cause: string | null): Promise<'first' | 'changed' | null> {
    const row = await this.database.db
      .insertInto('integration_states')
      .values({ name, up, cause })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ up: (eb) => eb.ref('excluded.up'), cause: (eb) => eb.ref('excluded.cause'), changed_at: sql`now()` })
          .where('integration_states.up', 'is distinct from', (eb) => eb.ref('excluded.up')),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirst();
    if (row === undefined) return null;
    return row.inserted ? 'first' : 'changed';
  }
}

/** The SQL form of `canSee`. */
function visibleTo(eb: EventsBuilder, viewer: EventViewer): Expression<SqlBool> {
  const audience = viewer.role === 'admin' ? eb.val(true) : eb('events.audience', '=', 'all');
  return eb.or([eb('events.user_id', '=', viewer.userId), eb.and([eb('events.user_id', 'is', null), audience])]);
}

function toStored(row: EventRow): StoredEvent {
  const event = { id: row.id, at: row.at.toISOString(), type: row.type, level: row.level, data: row.data } as unknown as VeloraEvent;
  return { event, audience: row.audience as EventAudience, userId: row.user_id, notification: row.notification };
}

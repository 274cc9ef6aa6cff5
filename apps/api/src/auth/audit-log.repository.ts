import { Injectable } from '@nestjs/common';
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { AuditLogRow, Database } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import { escapeLike } from '../database/like';

export interface NewAuditEntry {
  actorUserId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  limit: number;
  offset: number;
  /** An action name (`auth.login`), or a category prefix ending in a dot (`auth.`). */
  action?: string;
  /** Part of the actor's email, case-insensitive. */
  actor?: string;
  /** Part of the target, case-insensitive. */
  target?: string;
  /** Part of the client IP address, case-insensitive (IPv6 hex). */
  ip?: string;
  /** `at >= from` (inclusive). */
  from?: Date;
  /** `at <= to` (inclusive). */
  to?: Date;
}

/** The only code that touches `audit_log` (append-only: no update, no delete). */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly database: DatabaseService) {}

  async insert(entry: NewAuditEntry): Promise<void> {
    await this.database.db
      .insertInto('audit_log')
      .values({
        actor_user_id: entry.actorUserId,
        actor_email: entry.actorEmail,
        action: entry.action,
        target: entry.target,
        ip: entry.ip,
        details: toJsonb(entry.details, 'audit details'),
      })
      .execute();
  }

  async list(query: AuditQuery): Promise<{ items: AuditLogRow[]; total: number }> {
    const base = this.database.db.selectFrom('audit_log').where((eb) => auditConditions(eb, query));
    const [items, count] = await Promise.all([
      base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /**
   * The distinct action names in the log, sorted. A loose index scan (recursive CTE over the
   * `(action, at)` index): one index probe per distinct action, not a scan of the whole log.
   */
  async distinctActions(): Promise<string[]> {
    const result = await sql<{ action: string }>`
      with recursive actions(action) as (
        (select action from audit_log order by action limit 1)
        union all
        select (select a.action from audit_log a where a.action > actions.action order by a.action limit 1)
        from actions where actions.action is not null
      )
      select action from actions where action is not null
    `.execute(this.database.db);
    return result.rows.map((row) => row.action);
  }
}

function auditConditions(eb: ExpressionBuilder<Database, 'audit_log'>, query: AuditQuery): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (query.action !== undefined) {
    conditions.push(
      query.action.endsWith('.')
        ? sql<SqlBool>`${eb.ref('action')} like ${`${escapeLike(query.action)}%`} escape '\\'`
        : eb('action', '=', query.action),
    );
  }
  for (const [column, value] of [
    ['actor_email', query.actor],
    ['target', query.target],
    ['ip', query.ip],
  ] as const) {
    if (value !== undefined && value !== '') {
      conditions.push(sql<SqlBool>`${eb.ref(column)} ilike ${`%${escapeLike(value)}%`} escape '\\'`);
    }
  }
  if (query.from !== undefined) conditions.push(eb('at', '>=', query.from));
  if (query.to !== undefined) conditions.push(eb('at', '<=', query.to));
  return eb.and(conditions);
}

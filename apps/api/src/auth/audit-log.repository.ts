import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { AuditLogRow } from '../database/database.types';
import { toJsonb } from '../database/jsonb';

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
  action?: string;
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
    let base = this.database.db.selectFrom('audit_log');
    if (query.action !== undefined) base = base.where('action', '=', query.action);
    const [items, count] = await Promise.all([
      base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }
}

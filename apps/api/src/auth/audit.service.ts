import { Injectable, Logger } from '@nestjs/common';
import type { AuditLogRow } from '../database/database.types';
import { AuditLogRepository, type AuditQuery } from './audit-log.repository';
import type { AuthContext } from './auth.types';
import { AUDIT_ACTIONS, type AuditAction } from '@velora/contracts';

export { AUDIT_ACTIONS, type AuditAction } from '@velora/contracts';

export interface AuditEvent {
  action: AuditAction;
  /** Who did it (null = anonymous, e.g. a failed login). */
  actor?: Pick<AuthContext, 'userId' | 'email'> | null;
  target?: string | null;
  ip?: string | null;
  /** Plain, secret-free facts (never passwords, tokens or hashes). */
  details?: Record<string, unknown>;
}

/**
 * Writes the audit log. A failure to write is logged and swallowed: the audited action has already
 * happened (or been refused) and must not turn into a 500 because the log table is unavailable.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly repository: AuditLogRepository) {}

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.repository.insert({
        actorUserId: event.actor?.userId ?? null,
        actorEmail: event.actor?.email ?? null,
        action: event.action,
        target: event.target ?? null,
        ip: event.ip ?? null,
        details: event.details ?? {},
      });
    } catch (error) {
      this.logger.error(`cannot write audit entry ${event.action}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  list(query: AuditQuery): Promise<{ items: AuditLogRow[]; total: number }> {
    return this.repository.list(query);
  }

  /** Every action the app writes plus any other name found in the log (older versions), sorted. */
  async actions(): Promise<string[]> {
    const recorded = await this.repository.distinctActions();
    return [...new Set<string>([...AUDIT_ACTIONS, ...recorded])].sort();
  }
}

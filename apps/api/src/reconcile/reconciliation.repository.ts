import { Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { ReconcileStatus, ReconcileTrigger } from '@velora/contracts';
import { DatabaseService } from '../database/database.service';
import type { CdrReconciliationRow, Database } from '../database/database.types';

export interface NewReconciliation {
  windowStart: Date;
  windowEnd: Date;
  status: ReconcileStatus;
  switchCount: number | null;
  storedBefore: number;
  healed: number;
  updated: number;
  storedAfter: number;
  error: string | null;
  trigger: ReconcileTrigger;
  checkedBy: { userId: string; email: string } | null;
  checkedAt: Date;
}

/** The only code that touches `cdr_reconciliations`. */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Records one check; pass the transaction that healed the window so the record and the rows commit together. */
  async insert(check: NewReconciliation, trx?: Kysely<Database>): Promise<CdrReconciliationRow> {
    return (trx ?? this.database.db)
      .insertInto('cdr_reconciliations')
      .values({
        window_start: check.windowStart,
        window_end: check.windowEnd,
        status: check.status,
        switch_count: check.switchCount,
        stored_before: check.storedBefore,
        healed: check.healed,
        updated: check.updated,
        stored_after: check.storedAfter,
        error: check.error,
        trigger: check.trigger,
        checked_by_user_id: check.checkedBy?.userId ?? null,
        checked_by_email: check.checkedBy?.email ?? null,
        checked_at: check.checkedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The latest check of every window that starts in [from, to), by window start (index `cdr_reconciliations_window_idx`). */
  latestPerWindow(from: Date, to: Date): Promise<CdrReconciliationRow[]> {
    return this.database.db
      .selectFrom('cdr_reconciliations')
      .selectAll()
      .distinctOn('window_start')
      .where('window_start', '>=', from)
      .where('window_start', '<', to)
      .orderBy('window_start')
      .orderBy('checked_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
}

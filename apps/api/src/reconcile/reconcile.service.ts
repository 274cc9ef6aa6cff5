import { BadRequestException, ConflictException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { SippyError } from '@velora/sippy';
import type { ReconcileRun, ReconcileStatus, ReconcileTrigger, ReconcileWindow } from '@velora/contracts';
import { AuditService } from '../auth/audit.service';
import type { AuthContext } from '../auth/auth.types';
import { CdrRepository } from '../cdrs/cdr.repository';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import type { CdrReconciliationRow } from '../database/database.types';
import { explainSippyError } from '../sippy/sippy-error.messages';
import { CdrSyncService, SyncLeaseHeldError, type SwitchWindowRead } from '../sync/cdr-sync.service';
import { ReconciliationRepository } from './reconciliation.repository';
import { floorHour, HOUR_MS, hourWindows } from './reconcile-time';

const DAY_MS = 86_400_000;

/** Who asked for a reconciliation. */
export interface ReconcileCaller {
  trigger: ReconcileTrigger;
  actor: Pick<AuthContext, 'userId' | 'email'> | null;
  ip?: string | null;
}

/**
 * Proof that the copy is complete: re-reads windows (UTC hours) from the switch with the sync's own reader, compares
 * what the switch returns with what is stored, inserts what is missing through the CDR upsert (so the rollups stay
 * right) and records the outcome of every window. A window never overlaps a sync run (`CdrSyncService.exclusive`):
 * the sync waits between two windows, not for the whole range.
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly sync: CdrSyncService,
    private readonly cdrs: CdrRepository,
    private readonly checks: ReconciliationRepository,
    private readonly database: DatabaseService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** POST /api/sippy/reconcile: checks the hours of [from, to) (whole hours, closed, at most RECONCILE_MAX_RANGE_DAYS). */
  reconcile(fromIso: string, toIso: string, caller: ReconcileCaller): Promise<ReconcileRun> {
    const { from, to } = this.checkedRange(fromIso, toIso);
    return this.reconcileHours(from, to, caller);
  }

  /**
   * Checks the UTC hours of [from, to) (whole hours, already validated) and audits the run.
   * @throws ServiceUnavailableException without a switch, or when shutdown stops the run early (the windows checked
   *   so far are recorded);
   * @throws ConflictException when another replica holds the sync lease (nothing was checked).
   */
  async reconcileHours(from: number, to: number, caller: ReconcileCaller): Promise<ReconcileRun> {
    if (this.config.sippy.mode === 'unconfigured') {
      throw new ServiceUnavailableException('SippySoft is not configured (SIPPY_RPC_URL): there is no switch to reconcile with');
    }
    const hours = hourWindows(from, to);
    const windows: ReconcileWindow[] = [];
    let failure: string | null = null;
    for (const [a, b] of hours) {
      if (this.stopping()) break; // shutdown: the windows checked so far are recorded, the rest are not
      if (failure !== null) {
        // the switch failed on an earlier window: these are not verified (nothing was read or changed)
        windows.push(await this.recordFailure(a, b, `not checked: ${failure}`, caller));
        continue;
      }
      try {
        windows.push(await this.sync.exclusive(() => this.checkWindow(a, b, caller)));
      } catch (error: unknown) {
        if (error instanceof SyncLeaseHeldError && windows.length === 0) {
          throw new ConflictException(error.message);
        }
        if (this.stopping()) break;
        failure = describe(error);
        this.logger.warn(`reconcile ${new Date(a).toISOString()}: ${failure}`);
        windows.push(await this.recordFailure(a, b, failure, caller));
      }
    }
    const run = summarize(new Date(from).toISOString(), new Date(to).toISOString(), windows);
    this.logger.log(
      `reconciled ${run.from}..${run.to} (${caller.trigger}${caller.actor ? ` by ${caller.actor.email}` : ''}): ${run.status}, ` +
        `switch ${String(run.switch_count)}, healed ${String(run.healed)}, failed windows ${String(run.failed_windows)}`,
    );
    await this.audit.record({
      action: 'sippy.reconcile',
      actor: caller.actor,
      target: `${run.from}/${run.to}`,
      ip: caller.ip ?? null,
      details: {
        trigger: caller.trigger,
        status: run.status,
        windows: run.windows.length,
        switch_count: run.switch_count,
        healed: run.healed,
        failed_windows: run.failed_windows,
        ...(failure === null ? {} : { cause: failure }),
        ...(windows.length < hours.length ? { interrupted: true } : {}),
      },
    });
    if (windows.length < hours.length) {
      throw new ServiceUnavailableException(
        `the application is shutting down: ${String(windows.length)} of ${String(hours.length)} hours were checked (and recorded)`,
      );
    }
    return run;
  }

  /** Shutdown has begun (read through a call: it changes while a window is checked). */
  private stopping(): boolean {
    return this.sync.stopping;
  }

  /** The latest check of each window starting in [from, to). */
  async list(fromIso: string, toIso: string): Promise<ReconcileWindow[]> {
    const from = Date.parse(fromIso);
    const to = Date.parse(toIso);
    if (!(to > from)) throw badRequest('to must be later than from');
    const maxDays = this.config.reports.maxRangeDays;
    if (to - from > maxDays * DAY_MS) throw badRequest(`to must be at most ${String(maxDays)} days after from (REPORT_MAX_RANGE_DAYS)`);
    return (await this.checks.latestPerWindow(new Date(from), new Date(to))).map(toWindow);
  }

  private checkedRange(fromIso: string, toIso: string): { from: number; to: number } {
    const from = Date.parse(fromIso);
    const to = Date.parse(toIso);
    const problems: string[] = [];
    if (from % HOUR_MS !== 0) problems.push('from must be a whole hour (e.g. 2026-11-24T21:00:00Z): the report is kept per hour');
    if (to % HOUR_MS !== 0) problems.push('to must be a whole hour (e.g. 2026-11-25T21:00:00Z): the report is kept per hour');
    if (problems.length === 0) {
      const maxDays = this.config.reconcile.maxRangeDays;
      const lastClosedHour = floorHour(this.clock.now());
      if (!(to > from)) problems.push('to must be later than from');
      else if (to - from > maxDays * DAY_MS)
        problems.push(`to must be at most ${String(maxDays)} days after from (RECONCILE_MAX_RANGE_DAYS)`);
      else if (to > lastClosedHour)
        problems.push(`to must not be later than the last whole hour (${new Date(lastClosedHour).toISOString()})`);
    }
    if (problems.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
    return { from, to };
  }

  /** One window, inside the sync's turn: read the switch, then count, heal and record in one transaction. */
  private async checkWindow(a: number, b: number, caller: ReconcileCaller): Promise<ReconcileWindow> {
    const read: SwitchWindowRead = await this.sync.readSwitchWindow(a, b);
    const windowStart = new Date(a);
    const windowEnd = new Date(b);
    const row = await this.database.db.transaction().execute(async (trx) => {
      const storedBefore = await this.cdrs.countStartedIn(windowStart, windowEnd, trx);
      const counts = read.rows.length > 0 ? await this.cdrs.upsertMany(read.rows, trx) : { inserted: 0, updated: 0 };
      const storedAfter = await this.cdrs.countStartedIn(windowStart, windowEnd, trx);
      const status: ReconcileStatus = counts.inserted > 0 ? 'healed' : 'complete';
      return this.checks.insert(
        {
          windowStart,
          windowEnd,
          status,
          switchCount: read.rows.length,
          storedBefore,
          healed: counts.inserted,
          updated: counts.updated,
          storedAfter,
          error: null,
          trigger: caller.trigger,
          checkedBy: caller.actor,
          checkedAt: new Date(this.clock.now()),
        },
        trx,
      );
    });
    if (row.healed > 0) {
      this.logger.warn(
        `reconcile ${windowStart.toISOString()}: the switch has ${String(row.switch_count)} CDRs, ${String(row.healed)} were missing and are stored now`,
      );
    }
    return toWindow(row);
  }

  private async recordFailure(a: number, b: number, error: string, caller: ReconcileCaller): Promise<ReconcileWindow> {
    const windowStart = new Date(a);
    const windowEnd = new Date(b);
    const stored = await this.cdrs.countStartedIn(windowStart, windowEnd);
    const row = await this.checks.insert({
      windowStart,
      windowEnd,
      status: 'failed',
      switchCount: null,
      storedBefore: stored,
      healed: 0,
      updated: 0,
      storedAfter: stored,
      error,
      trigger: caller.trigger,
      checkedBy: caller.actor,
      checkedAt: new Date(this.clock.now()),
    });
    return toWindow(row);
  }
}

function describe(error: unknown): string {
  if (error instanceof SippyError) return `${error.kind}: ${explainSippyError(error)}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });
}

function toWindow(row: CdrReconciliationRow): ReconcileWindow {
  return {
    window_start: row.window_start.toISOString(),
    window_end: row.window_end.toISOString(),
    status: row.status as ReconcileStatus,
    switch_count: row.switch_count,
    stored_before: row.stored_before,
    healed: row.healed,
    updated: row.updated,
    stored_after: row.stored_after,
    error: row.error,
    checked_at: row.checked_at.toISOString(),
    trigger: row.trigger as ReconcileTrigger,
    checked_by: row.checked_by_email,
  };
}

export function summarize(from: string, to: string, windows: ReconcileWindow[]): ReconcileRun {
  const failed = windows.filter((w) => w.status === 'failed').length;
  const healed = windows.reduce((sum, w) => sum + w.healed, 0);
  return {
    from,
    to,
    status: failed > 0 ? 'failed' : healed > 0 ? 'healed' : 'complete',
    switch_count: windows.reduce((sum, w) => sum + (w.switch_count ?? 0), 0),
    healed,
    failed_windows: failed,
    windows,
  };
}

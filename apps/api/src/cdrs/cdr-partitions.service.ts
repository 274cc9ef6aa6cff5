import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { CdrSyncService, SyncLeaseHeldError } from '../sync/cdr-sync.service';
import { CdrPartitionsRepository } from './cdr-partitions.repository';
import { addMonths, monthStart, type CdrTableShape } from './cdr-retention.sql';
import { partitionName } from '../database/migrations/0023-cdrs-monthly-partitions.migration';

const TIMER_NAME = 'cdr-partitions-daily';
const DAY_MS = 86_400_000;
/** Rows per delete transaction of the plain table's retention. */
export const RETENTION_DELETE_BATCH = 5000;

/** What one maintenance run did. */
export interface CdrMaintenanceReport {
  shape: CdrTableShape;
  /** Partitions created ahead (empty months). */
  created: string[];
  /** Months moved out of the default partition into their own partition. */
  split: string[];
  /** Monthly partitions dropped by retention. */
  dropped: string[];
  /** Rows deleted by retention (plain table; old rows of the default partition). */
  deleted: number;
  /** The retention horizon in force (ISO), or null when everything is kept. */
  horizon: string | null;
}

/**
 * Keeps the CDR table's monthly partitions ahead of time and applies CDR_RETENTION_DAYS (docs/decisions.md, "CDR
 * table: monthly partitions"; docs/deploy.md). Runs at start-up and every day, inside `CdrSyncService.exclusive()`:
 * under the sync lease, never beside a sync window, on one replica (a replica without the lease skips; the holder
 * does it).
 */
@Injectable()
export class CdrPartitionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CdrPartitionsService.name);
  private running: Promise<CdrMaintenanceReport | null> | null = null;
  private stopped = false;

  constructor(
    private readonly partitions: CdrPartitionsRepository,
    private readonly sync: CdrSyncService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    void this.runNow().finally(() => {
      this.schedule();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', TIMER_NAME)) this.scheduler.deleteTimeout(TIMER_NAME);
    await this.running?.catch(() => undefined);
  }

  /**
   * One maintenance run under the sync lease. Null when another replica holds the lease (it does the job) or the
   * run failed (logged, never thrown).
   */
  runNow(): Promise<CdrMaintenanceReport | null> {
    this.running ??= this.sync
      .exclusive(() => this.maintain(this.clock.now()))
      .then(
        (report) => {
          if (report.created.length + report.split.length + report.dropped.length + report.deleted > 0) {
            this.logger.log(
              `CDR partitions: created ${report.created.join(', ') || 'none'}, split ${report.split.join(', ') || 'none'}, ` +
                `dropped ${report.dropped.join(', ') || 'none'}, deleted ${String(report.deleted)} row(s); horizon ${report.horizon ?? 'none'}`,
            );
          }
          return report;
        },
        (error: unknown) => {
          if (error instanceof SyncLeaseHeldError) this.logger.debug('CDR partitions: another replica holds the sync lease and maintains them');
          else if (!this.stopped) this.logger.warn(`CDR partitions: maintenance failed: ${error instanceof Error ? error.message : String(error)}`);
          return null;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /**
   * The work itself; call it only inside `CdrSyncService.exclusive()` (runNow does). Retention first (the horizon is
   * saved before anything is deleted, so a crash half-way goes on next time), then the months of the default
   * partition and the months ahead.
   */
  async maintain(now: number): Promise<CdrMaintenanceReport> {
    const shape = await this.partitions.shape();
    const report: CdrMaintenanceReport = { shape, created: [], split: [], dropped: [], deleted: 0, horizon: null };
    let horizon = await this.partitions.horizon();
    const days = this.config.cdrStore.retentionDays;
    if (days !== undefined) {
      // The oldest kept month is the one that contains now − days: every older month ended at least `days` ago.
      const computed = monthStart(new Date(now - days * DAY_MS));
      if (horizon === null || computed > horizon) {
        horizon = computed;
        await this.partitions.saveHorizon(computed);
      }
    }
    report.horizon = horizon?.toISOString() ?? null;
    const existing = shape === 'partitioned' ? await this.partitions.monthPartitions() : [];
    if (horizon !== null) {
      for (const partition of existing) {
        if (addMonths(partition.from, 1) <= horizon) {
          await this.partitions.dropMonth(partition.name);
          report.dropped.push(partition.name);
        }
      }
      report.deleted = await this.partitions.deleteBefore(horizon, RETENTION_DELETE_BATCH);
    }
    if (shape === 'plain') return report;
    const have = new Set(existing.map((p) => p.from.getTime()));
    for (const month of await this.partitions.defaultMonths()) {
      if (horizon !== null && month < horizon) continue;
      await this.partitions.splitMonth(month);
      report.split.push(partitionName(month));
      have.add(month.getTime());
    }
    for (let i = 0; i <= this.config.cdrStore.partitionMonthsAhead; i++) {
      const month = addMonths(new Date(now), i);
      if (have.has(month.getTime())) continue;
      report.created.push(await this.partitions.createMonth(month));
      have.add(month.getTime());
    }
    return report;
  }

  private schedule(): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.scheduler.deleteTimeout(TIMER_NAME);
      void this.runNow().finally(() => {
        this.schedule();
      });
    }, DAY_MS);
    timer.unref();
    this.scheduler.addTimeout(TIMER_NAME, timer);
  }
}

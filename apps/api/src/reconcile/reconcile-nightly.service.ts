import { ConflictException, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ReconcileRun } from '@velora/contracts';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ReconcileService } from './reconcile.service';
import { floorHour, nextDailyRun, previousDay } from './reconcile-time';

const TIMER_NAME = 'sippy-reconcile-nightly';

/**
 * Reconciles yesterday (in RECONCILE_TIME_ZONE) every night at RECONCILE_AT, when RECONCILE_NIGHTLY is on and a
 * switch is configured. A timer in @nestjs/schedule's registry, re-armed after each run (so a DST change moves it
 * with the wall clock). With several replicas only the one that holds the sync lease reconciles; the others skip.
 */
@Injectable()
export class ReconcileNightlyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileNightlyService.name);
  private running: Promise<ReconcileRun | null> | null = null;
  private stopped = false;
  private nextRunAt: number | null = null;

  constructor(
    private readonly reconcile: ReconcileService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  get enabled(): boolean {
    return this.config.reconcile.nightly && this.config.sippy.mode !== 'unconfigured';
  }

  /** When the next nightly run is due (ISO), or null when the job is off. */
  get nextRun(): string | null {
    return this.nextRunAt === null ? null : new Date(this.nextRunAt).toISOString();
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.schedule();
    const { at, timeZone } = this.config.reconcile;
    this.logger.log(`nightly reconciliation of yesterday at ${pad(at.hour)}:${pad(at.minute)} ${timeZone} (next ${this.nextRun ?? '?'})`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running?.catch(() => undefined);
  }

  /**
   * Reconciles the previous day in RECONCILE_TIME_ZONE now. Null when another replica holds the sync lease (it does
   * the job) or the run failed before checking anything; the failure is logged, never thrown.
   */
  runNow(): Promise<ReconcileRun | null> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<ReconcileRun | null> {
    const now = this.clock.now();
    const day = previousDay(now, this.config.reconcile.timeZone);
    const to = Math.min(day.to, floorHour(now));
    try {
      return await this.reconcile.reconcileHours(day.from, to, { trigger: 'nightly', actor: null });
    } catch (error: unknown) {
      if (error instanceof ConflictException) {
        this.logger.log('nightly reconciliation skipped: another replica holds the sync lease and reconciles');
      } else {
        this.logger.warn(`nightly reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return null;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.clearTimer();
    const now = this.clock.now();
    const { at, timeZone } = this.config.reconcile;
    this.nextRunAt = nextDailyRun(now, at, timeZone);
    const timer = setTimeout(() => {
      this.scheduler.deleteTimeout(TIMER_NAME);
      void this.runNow().finally(() => {
        this.schedule();
      });
    }, this.nextRunAt - now);
    timer.unref();
    this.scheduler.addTimeout(TIMER_NAME, timer);
  }

  private clearTimer(): void {
    if (this.scheduler.doesExist('timeout', TIMER_NAME)) {
      this.scheduler.deleteTimeout(TIMER_NAME);
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

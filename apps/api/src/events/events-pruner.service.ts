import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EventsRepository } from './events.repository';

const PRUNE_EVERY_MS = 60_000;

/**
 * Keeps `events` small: non-notification events (new CDRs, read marks) for EVENTS_RETENTION_MINUTES and at most
 * EVENTS_RETENTION_MAX, notifications for NOTIFICATIONS_RETENTION_DAYS and at most NOTIFICATIONS_RETENTION_MAX.
 * Every replica prunes once a minute; the deletes are idempotent.
 */
@Injectable()
export class EventsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsPruner.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly repository: EventsRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.pruneNow().catch(() => undefined);
    this.timer = setInterval(() => {
      void this.pruneNow().catch(() => undefined);
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pruning pass; resolves with the number of rows deleted. */
  pruneNow(): Promise<number> {
    const { retentionMs, retentionMax, notificationRetentionMs, notificationRetentionMax } = this.config.events;
    this.running ??= this.repository
      .prune({
        eventsMaxAgeMs: retentionMs,
        eventsMax: retentionMax,
        notificationsMaxAgeMs: notificationRetentionMs,
        notificationsMax: notificationRetentionMax,
      })
      .then(
        (deleted) => {
          if (deleted > 0) this.logger.debug(`pruned ${String(deleted)} old event(s)`);
          return deleted;
        },
        (error: unknown) => {
          this.logger.warn(`could not prune old events: ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}

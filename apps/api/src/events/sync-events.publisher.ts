import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SyncEventSink, type CommittedCdrs } from '../sync/sync-event-sink';
import { EventsService } from './events.service';

/**
 * The CDR sync's events (only the replica holding the sync lease runs it, so each is published once):
 * - `cdrs` after every committed window that inserted rows;
 * - `sync_error` at the first failed run (warn) and when SIPPY_HEALTH_DEGRADED_AFTER_FAILURES runs in a row have
 *   failed (crit), not at every failure of an outage;
 * - `sync_recovered` at the first successful run after that.
 * Publishing is queued (in order) and never awaited by the sync.
 */
@Injectable()
export class SyncEventsPublisher extends SyncEventSink implements OnApplicationShutdown {
  private queue: Promise<unknown> = Promise.resolve();
  /** The highest level published during the current failure streak. */
  private streakLevel: 'warn' | 'crit' | null = null;

  constructor(
    private readonly events: EventsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  cdrsCommitted(batch: CommittedCdrs): void {
    this.enqueue(() =>
      this.events.publish({
        type: 'cdrs',
        level: 'info',
        data: {
          count: batch.inserted,
          newest_ids: batch.newest.map((row) => row.id),
          newest_start_time: batch.newest[0]?.startTime ?? null,
        },
      }),
    );
  }

  runFailed({ message, consecutiveFailures }: { message: string; consecutiveFailures: number }): void {
    const threshold = this.config.sippy.healthDegradedAfterFailures;
    if (consecutiveFailures !== 1 && consecutiveFailures !== threshold) return;
    const level = consecutiveFailures >= threshold ? 'crit' : 'warn';
    this.streakLevel = level;
    this.enqueue(() => this.events.publish({ type: 'sync_error', level, data: { message, consecutive_failures: consecutiveFailures } }));
  }

  runRecovered({ failedRuns }: { failedRuns: number }): void {
    const outage = this.streakLevel;
    this.streakLevel = null;
    if (outage === null) return;
    this.enqueue(() =>
      this.events.publish({ type: 'sync_recovered', level: 'info', data: { failed_runs: failedRuns, outage_level: outage } }),
    );
  }

  /** Resolves when everything queued so far is published. */
  settled(): Promise<unknown> {
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue;
  }

  private enqueue(publish: () => Promise<unknown>): void {
    // EventsService.publish never rejects
    this.queue = this.queue.then(publish);
  }
}

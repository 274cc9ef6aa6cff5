import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IntegrationName } from '@velora/contracts';
import { IntegrationStatusReporter, type IntegrationProbeResult } from '../common/integration-status';
import { AppConfig } from '../config/app-config';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

/**
 * Turns the health probes' results into `integration` events, once per change across all replicas:
 * every fresh probe result (from a health endpoint, the live view, Kubernetes, or this class's own background
 * check every EVENTS_INTEGRATION_CHECK_SECONDS) is compared with the last state this process saw; a difference is
 * written to `integration_states` with a compare-and-set, and only the replica whose write changed the row
 * publishes. The first state ever seen is published only when it is "down".
 */
@Injectable()
export class IntegrationWatch extends IntegrationStatusReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IntegrationWatch.name);
  private readonly checks = new Map<IntegrationName, () => Promise<unknown>>();
  private readonly lastSeen = new Map<IntegrationName, boolean>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly repository: EventsRepository,
    private readonly events: EventsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  watch(name: IntegrationName, check: () => Promise<unknown>): void {
    this.checks.set(name, check);
  }

  /** Names of the integrations being watched (the configured ones). */
  get watched(): IntegrationName[] {
    return [...this.checks.keys()];
  }

  report(name: IntegrationName, result: IntegrationProbeResult): void {
    if (this.stopped) return;
    // one at a time: two quick results of the same probe must not race each other's compare-and-set
    this.queue = this.queue.then(() => this.record(name, result));
  }

  onApplicationBootstrap(): void {
    const every = this.config.events.integrationCheckMs;
    if (every <= 0 || this.checks.size === 0) return;
    this.timer = setInterval(() => {
      this.checkAll();
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  /** Runs every watched probe (cached probes answer from their cache); results come back through `report`. */
  checkAll(): void {
    for (const [name, check] of this.checks) {
      check().catch((error: unknown) => {
        this.logger.debug(`background check of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  /** Resolves when every result reported so far has been recorded (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private async record(name: IntegrationName, result: IntegrationProbeResult): Promise<void> {
    if (this.lastSeen.get(name) === result.up) return;
    let change: 'first' | 'changed' | null;
    try {
      change = await this.repository.changeIntegrationState(name, result.up, result.up ? null : (result.cause ?? null));
    } catch (error: unknown) {
      this.logger.warn(`could not record the state of ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return; // lastSeen unchanged: the next result tries again
    }
    this.lastSeen.set(name, result.up);
    if (change === null || (change === 'first' && result.up)) return;
    this.logger.log(`${name} is ${result.up ? 'up again' : `down (${result.cause ?? 'unknown cause'})`}`);
    await this.events.publish({
      type: 'integration',
      level: result.up ? 'info' : 'crit',
      data: {
        integration: name,
        up: result.up,
        cause: result.up ? null : (result.cause ?? null),
        message: result.up ? null : (result.message ?? null),
      },
    });
  }
}

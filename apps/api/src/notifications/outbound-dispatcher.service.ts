import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NOTIFICATION_CHANNELS, type NotificationChannelName, type NotificationChannelStatus, type VeloraEvent } from '@velora/contracts';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { EventsService } from '../events/events.service';
import { NumberMaskingService } from '../privacy/number-masking.service';
import { DeliveryError, type NotificationChannel } from './channels/notification-channel';
import { NotificationChannels } from './notification-channels';
import { buildMessage, describeEvent, isOutbound, testTexts, type OutboundMessage } from './notification-message';

/** Ceiling of one retry back-off. */
const MAX_RETRY_DELAY_MS = 5 * 60_000;

interface ChannelQueue {
  readonly channel: NotificationChannel;
  readonly items: OutboundMessage[];
  running: boolean;
  delivered: number;
  failed: number;
  dropped: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
}

/** Full-jitter exponential back-off: attempt 1 waits up to `base`, attempt 2 up to 2 × base, … */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1)));
}

/**
 * Sends notifications out (webhook, email, Telegram), never in the way of whoever published them:
 * - it listens to the events THIS process published (each event is published by exactly one replica, so it goes out
 *   once) and keeps findings, integration changes and sync errors at or above NOTIFY_MIN_LEVEL;
 * - each channel has its own bounded queue (NOTIFY_QUEUE_MAX; when full the oldest is dropped and counted) and one
 *   worker, so a slow or failing channel delays only itself;
 * - a failed delivery is retried NOTIFY_RETRY_ATTEMPTS times with jittered exponential back-off (or the upstream's
 *   Retry-After); permanent failures (4xx, SMTP 5xx, bad credentials) are not retried.
 * Queues live in memory: deliveries still queued when the process stops are lost (logged).
 */
@Injectable()
export class OutboundDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OutboundDispatcher.name);
  private readonly queues = new Map<NotificationChannelName, ChannelQueue>();
  private readonly sleeps = new Set<() => void>();
  private readonly workers = new Set<Promise<void>>();
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: EventsService,
    private readonly channels: NotificationChannels,
    private readonly config: AppConfig,
    private readonly masking: NumberMaskingService,
  ) {
    for (const channel of channels.list()) {
      this.queues.set(channel.name, {
        channel,
        items: [],
        running: false,
        delivered: 0,
        failed: 0,
        dropped: 0,
        lastSuccessAt: null,
        lastFailureAt: null,
        lastError: null,
      });
    }
  }

  onModuleInit(): void {
    if (this.queues.size === 0) return;
    this.unsubscribe = this.events.onPublished((stored) => {
      this.dispatch(stored.event);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const wake of [...this.sleeps]) wake();
    await Promise.all([...this.workers]);
    for (const queue of this.queues.values()) {
      if (queue.items.length > 0)
        this.logger.warn(`${queue.channel.name}: ${String(queue.items.length)} notification(s) not sent before shutdown`);
      queue.items.length = 0;
    }
  }

  /** Read through a getter: the delivery loop checks it again after awaiting. */
  private get isStopped(): boolean {
    return this.stopped;
  }

  /** Queues the event for every configured channel if it is one that goes out. Returns at once. */
  dispatch(event: VeloraEvent): void {
    if (this.stopped || !isOutbound(event, this.config.notify.minLevel)) return;
    // numbers masked per NOTIFY_MASK_NUMBERS (the payload's event and the texts alike)
    const outbound = this.masking.maskOutbound(event, this.config.notify.maskNumbers);
    const message = buildMessage(randomUUID(), outbound, describeEvent(outbound), this.config.notify);
    for (const queue of this.queues.values()) {
      if (queue.items.length >= this.config.notify.queueMax) {
        queue.items.shift();
        queue.dropped += 1;
        this.logger.warn(
          `${queue.channel.name}: queue full (NOTIFY_QUEUE_MAX=${String(this.config.notify.queueMax)}), dropped the oldest notification`,
        );
      }
      queue.items.push(message);
      this.run(queue);
    }
  }

  /** Every channel, configured or not, with its counters (admins' channel list). */
  status(): NotificationChannelStatus[] {
    return NOTIFICATION_CHANNELS.map((name) => {
      const queue = this.queues.get(name);
      const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());
      return {
        channel: name,
        configured: queue !== undefined,
        target: queue?.channel.target ?? null,
        queued: queue?.items.length ?? 0,
        delivered: queue?.delivered ?? 0,
        failed: queue?.failed ?? 0,
        dropped: queue?.dropped ?? 0,
        last_success_at: iso(queue?.lastSuccessAt ?? null),
        last_failure_at: iso(queue?.lastFailureAt ?? null),
        last_error: queue?.lastError ?? null,
      };
    });
  }

  /**
   * Sends a test message through one channel now: one attempt, no retry, not queued. Resolves with the latency;
   * rejects with the DeliveryError. Undefined when the channel is not configured.
   */
  async test(name: NotificationChannelName): Promise<{ latencyMs: number } | undefined> {
    const queue = this.queues.get(name);
    if (queue === undefined) return undefined;
    const message = buildMessage(randomUUID(), null, testTexts(name), this.config.notify);
    const started = Date.now();
    try {
      await queue.channel.send(message);
    } catch (error: unknown) {
      this.recordFailure(queue, error);
      throw error;
    }
    queue.lastSuccessAt = Date.now();
    return { latencyMs: Date.now() - started };
  }

  /** Resolves when every queue is empty and no delivery is in flight (tests). */
  async idle(): Promise<void> {
    while (this.workers.size > 0) await Promise.all([...this.workers]);
  }

  private run(queue: ChannelQueue): void {
    if (queue.running || this.stopped) return;
    queue.running = true;
    const worker = this.drain(queue).finally(() => {
      queue.running = false;
      this.workers.delete(worker);
    });
    this.workers.add(worker);
  }

  private async drain(queue: ChannelQueue): Promise<void> {
    for (let message = queue.items.shift(); message !== undefined && !this.stopped; message = queue.items.shift()) {
      await this.deliver(queue, message);
    }
  }

  private async deliver(queue: ChannelQueue, message: OutboundMessage): Promise<void> {
    const { retryAttempts, retryBaseMs } = this.config.notify;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await queue.channel.send(message);
        queue.delivered += 1;
        queue.lastSuccessAt = Date.now();
        return;
      } catch (error: unknown) {
        this.recordFailure(queue, error);
        const retryable = error instanceof DeliveryError && error.retryable;
        if (!retryable || attempt >= retryAttempts || this.stopped) {
          queue.failed += 1;
          this.logger.warn(
            `${queue.channel.name}: gave up on a ${message.event?.type ?? 'test'} notification after ${String(attempt)} attempt(s): ${queue.lastError ?? ''}`,
          );
          return;
        }
        const upstream = error instanceof DeliveryError ? error.retryAfterMs : undefined;
        const delay = Math.min(MAX_RETRY_DELAY_MS, upstream ?? retryDelayMs(attempt, retryBaseMs));
        this.logger.debug(
          `${queue.channel.name}: attempt ${String(attempt)} failed (${queue.lastError ?? ''}), again in ${String(delay)} ms`,
        );
        await this.sleep(delay);
        if (this.isStopped) {
          this.logger.warn(`${queue.channel.name}: a ${message.event?.type ?? 'test'} notification was not sent before shutdown`);
          return;
        }
      }
    }
  }

  private recordFailure(queue: ChannelQueue, error: unknown): void {
    queue.lastFailureAt = Date.now();
    queue.lastError = error instanceof DeliveryError ? error.message : 'unexpected error';
    if (!(error instanceof DeliveryError)) {
      this.logger.error(`${queue.channel.name}: unexpected error while sending: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A back-off wait that shutdown cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleeps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.sleeps.add(done);
    });
  }
}

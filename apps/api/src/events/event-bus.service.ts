import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DatabaseService } from '../database/database.service';
import { EVENTS_CHANNEL, EventsRepository } from './events.repository';
import type { StoredEvent } from './events.types';

export type EventListener = (stored: StoredEvent) => void;

/** Rows read per round trip while catching up. */
const BATCH = 500;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** The LISTEN connection is pinged this often: a dead one is replaced (and the events it missed are read). */
const PING_MS = 30_000;

/**
 * Delivers every stored event, in id order and exactly once, to this process's listeners (the open event
 * streams), whichever replica published it:
 * - PostgreSQL: a dedicated connection LISTENs on `velora_events`; each NOTIFY (sent by the publisher in its
 *   transaction, so at commit and in commit order) wakes the pump, which reads everything after the last id it
 *   delivered. After a lost connection it reconnects with back-off and catches up the same way: nothing is missed.
 * - PGlite (one process): the publisher wakes the pump directly.
 * The pump coalesces wake-ups: a burst of events costs one query, not one per event per stream.
 */
@Injectable()
export class EventBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);
  private readonly listeners = new Set<EventListener>();
  private lastDelivered = 0;
  private started = false;
  private stopped = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private client: Client | null = null;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: DatabaseService,
    private readonly events: EventsRepository,
  ) {}

  /** Read through a getter: the pump checks it again after awaiting. */
  private get isStopped(): boolean {
    return this.stopped;
  }

  /** PostgreSQL: events published by any replica arrive here; PGlite: only this process publishes. */
  get crossProcess(): boolean {
    return this.database.kind === 'postgres';
  }

  /** The newest id delivered to the listeners (streams replay from the database up to here, then go live). */
  get deliveredThrough(): number {
    return this.lastDelivered;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.crossProcess) {
      await this.connect().catch((error: unknown) => {
        this.logger.warn(`cannot LISTEN for events yet (${describe(error)}): retrying`);
        this.scheduleReconnect();
      });
    }
    // start after what exists: the streams replay older events from the table themselves
    this.lastDelivered = (await this.events.latestId()) ?? 0;
    this.started = true;
    this.pingTimer = setInterval(() => {
      this.ping();
    }, PING_MS);
    this.pingTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const client = this.client;
    this.client = null;
    await this.pumping?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Something new may be stored: deliver it (returns when the pump has caught up). */
  wake(): Promise<void> {
    if (!this.started || this.stopped) return Promise.resolve();
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const batch = await this.events.after(this.lastDelivered, BATCH);
          for (const stored of batch) {
            this.lastDelivered = stored.event.id;
            this.deliver(stored);
          }
          if (batch.length < BATCH) break;
        }
      } catch (error: unknown) {
        if (this.isStopped) return;
        this.logger.warn(`cannot read new events: ${describe(error)}`);
        return; // the next NOTIFY, reconnect or ping tries again
      }
    } while (this.runAgain());
  }

  /** A wake-up arrived while the pump was reading (set by `wake`, read after awaits). */
  private runAgain(): boolean {
    return this.again && !this.stopped;
  }

  private deliver(stored: StoredEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(stored);
      } catch (error: unknown) {
        this.logger.warn(`an event listener failed: ${describe(error)}`);
      }
    }
  }

  private async connect(): Promise<void> {
    const target = this.database.target;
    if (target.kind !== 'postgres' || this.stopped) return;
    const client = new Client({
      connectionString: target.connectionString,
      application_name: 'velora-events',
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    const lost = (reason: string): void => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn(`event LISTEN connection lost (${reason}): reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on('error', (error) => {
      lost(error.message);
    });
    client.on('end', () => {
      lost('closed');
    });
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) void this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error: unknown) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    // whatever was published while we were not listening
    void this.wake();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = Math.round(this.reconnectDelayMs * (0.5 + Math.random() / 2));
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: unknown) => {
        this.logger.warn(`cannot LISTEN for events (${describe(error)}): retrying`);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private ping(): void {
    const client = this.client;
    if (client === null) return;
    client.query('select 1').catch((error: unknown) => {
      client.emit('error', error instanceof Error ? error : new Error(String(error)));
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { BadRequestException, Injectable, Logger, type OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import type { StreamReadyData, StreamReconnectData, StreamResetData } from '@velora/contracts';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown.service';
import { NumberMaskingService } from '../privacy/number-masking.service';
import { EventBus } from './event-bus.service';
import { EventsRepository } from './events.repository';
import { canSee, type EventViewer, type StoredEvent } from './events.types';

/** Events replayed to a resuming client at most; more than that and it is told to reload (`reset`). */
export const REPLAY_MAX = 1000;
/** A client that lets this much pile up unread is cut off (it reconnects and resumes from its last id). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** What EventSource clients wait before reconnecting by themselves (our web client has its own back-off). */
const CLIENT_RETRY_MS = 3000;
const ID_PATTERN = /^\d{1,15}$/;

interface OpenStream {
  readonly viewer: EventViewer;
  readonly res: Response;
  /** Rotate (close with `reconnect`) after this time (jittered so that streams do not all reconnect at once). */
  readonly closeAt: number;
  /** The highest id sent (or skipped as history); live events at or below it are not sent again. */
  sentThrough: number;
  /** Live events that arrived while the replay was being sent. */
  pending: StoredEvent[] | null;
  closed: boolean;
}

/** `Last-Event-ID` / `last_event_id`: the header wins (EventSource sends it when it reconnects by itself). */
export function parseLastEventId(header: string | undefined, query: string | undefined): number | undefined {
  const source =
    header !== undefined && header.trim() !== ''
      ? { name: 'Last-Event-ID', value: header.trim() }
      : query !== undefined
        ? { name: 'last_event_id', value: query }
        : undefined;
  if (source === undefined) return undefined;
  if (!ID_PATTERN.test(source.value)) {
    throw new BadRequestException(`${source.name} must be the id of an event (a non-negative integer)`);
  }
  return Number(source.value);
}

function frame(type: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${String(id)}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The open Server-Sent Events streams of this process (GET /api/events). Each stream gets only what its user may
 * see; a resuming client first gets what it missed from the `events` table, then live events from the EventBus,
 * without gaps or duplicates. One shared timer sends the heartbeats and rotates old streams; draining (SIGTERM)
 * closes them all with a `reconnect` message.
 */
@Injectable()
export class EventStreamService implements OnApplicationShutdown {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly streams = new Set<OpenStream>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly repository: EventsRepository,
    private readonly config: AppConfig,
    shutdown: GracefulShutdown,
    private readonly masking: NumberMaskingService,
  ) {
    shutdown.onDrain(() => {
      this.closeAll('shutdown');
    });
  }

  /** Streams open in this process. */
  get openCount(): number {
    return this.streams.size;
  }

  onApplicationShutdown(): void {
    this.closeAll('shutdown');
  }

  /** Serves one stream until the client goes away, the stream is rotated, or the server drains. */
  async open(req: Request, res: Response, viewer: EventViewer, lastEventId: number | undefined): Promise<void> {
    if (this.streams.size >= this.config.events.maxClients) {
      res.setHeader('Retry-After', '30');
      throw new ServiceUnavailableException('Too many open event streams on this server: try again later');
    }
    const maxMs = this.config.events.streamMaxMs;
    const stream: OpenStream = {
      viewer,
      res,
      closeAt: Date.now() + Math.round(maxMs * (0.9 + Math.random() * 0.1)),
      sentThrough: 0,
      pending: [],
      closed: false,
    };
    // listen before reading the table: whatever is published meanwhile lands in `pending`
    const unsubscribe = this.bus.subscribe((stored) => {
      this.offer(stream, stored);
    });
    this.streams.add(stream);
    const cleanup = (): void => {
      if (stream.closed) return;
      stream.closed = true;
      unsubscribe();
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopHeartbeat();
    };
    req.on('close', cleanup);
    res.on('close', cleanup);

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
    res.flushHeaders();
    req.socket.setNoDelay(true);
    this.write(stream, `retry: ${String(CLIENT_RETRY_MS)}\n\n`);

    try {
      await this.replay(stream, lastEventId);
    } catch (error: unknown) {
      this.logger.warn(`cannot replay events: ${error instanceof Error ? error.message : String(error)}`);
      this.write(stream, frame('reset', { reason: 'gap' } satisfies StreamResetData));
      stream.sentThrough = Math.max(stream.sentThrough, this.bus.deliveredThrough);
    }
    const pending = stream.pending ?? [];
    stream.pending = null;
    for (const stored of pending) this.send(stream, stored);
    this.write(
      stream,
      frame('ready', {
        last_event_id: stream.sentThrough > 0 ? stream.sentThrough : null,
        heartbeat_ms: this.config.events.heartbeatMs,
      } satisfies StreamReadyData),
    );
    this.startHeartbeat();
  }

  private async replay(stream: OpenStream, lastEventId: number | undefined): Promise<void> {
    const prunedThrough = await this.repository.prunedThrough();
    // ids are never reused: when everything was pruned, the newest id is at least the pruned one
    const latest = Math.max((await this.repository.latestId()) ?? 0, prunedThrough);
    if (lastEventId === undefined) {
      stream.sentThrough = latest; // a new client starts now
      return;
    }
    if (lastEventId > latest) {
      this.write(stream, frame('reset', { reason: 'unknown_id' } satisfies StreamResetData));
      stream.sentThrough = latest;
      return;
    }
    if (lastEventId < prunedThrough) {
      this.write(stream, frame('reset', { reason: 'gap' } satisfies StreamResetData));
      stream.sentThrough = latest;
      return;
    }
    const missed = await this.repository.visibleAfter(lastEventId, stream.viewer, REPLAY_MAX + 1);
    if (missed.length > REPLAY_MAX) {
      this.write(stream, frame('reset', { reason: 'gap' } satisfies StreamResetData));
      stream.sentThrough = latest;
      return;
    }
    stream.sentThrough = lastEventId;
    for (const stored of missed) this.send(stream, stored);
    stream.sentThrough = Math.max(stream.sentThrough, latest);
  }

  private offer(stream: OpenStream, stored: StoredEvent): void {
    if (stream.pending !== null) {
      stream.pending.push(stored);
      return;
    }
    this.send(stream, stored);
  }

  private send(stream: OpenStream, stored: StoredEvent): void {
    if (stored.event.id <= stream.sentThrough) return;
    stream.sentThrough = stored.event.id;
    if (!canSee(stored, stream.viewer)) return;
    // privacy (docs/security.md#privacy): each subscriber gets the payload masked for their role
    const event = this.masking.maskEvent(stored.event, stream.viewer);
    this.write(stream, frame(event.type, event, event.id));
  }

  private write(stream: OpenStream, text: string): void {
    if (stream.closed || stream.res.destroyed) return;
    stream.res.write(text);
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      this.logger.warn('an event stream client is not reading: closing it (it will resume from its last event)');
      stream.res.destroy();
    }
  }

  private end(stream: OpenStream, reason: StreamReconnectData['reason']): void {
    if (stream.closed) return;
    this.write(stream, frame('reconnect', { reason } satisfies StreamReconnectData));
    stream.res.end();
  }

  private closeAll(reason: StreamReconnectData['reason']): void {
    for (const stream of [...this.streams]) this.end(stream, reason);
    this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeat !== null) return;
    this.heartbeat = setInterval(() => {
      this.beat();
    }, this.config.events.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat === null) return;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private beat(): void {
    const now = Date.now();
    const text = frame('heartbeat', { at: new Date(now).toISOString() });
    for (const stream of [...this.streams]) {
      if (stream.pending !== null) continue; // still replaying
      if (now >= stream.closeAt) {
        this.end(stream, 'rotate'); // the client reconnects at once and is authenticated again
      } else {
        this.write(stream, text);
      }
    }
  }
}

import { EVENT_TYPES, type StreamReadyData, type StreamReconnectData, type VeloraEvent } from '@velora/contracts';
import { Observable } from 'rxjs';

/** The part of the browser's EventSource the stream uses (tests pass a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type EventSourceFactory = (url: string, init: { withCredentials: boolean }) => EventSourceLike;

/** What the stream emits: stored events, and what the app needs to know about the connection. */
export type LiveMessage =
  | { readonly kind: 'event'; readonly event: VeloraEvent }
  /** Connected and caught up (the missed events, if any, came first). */
  | { readonly kind: 'ready'; readonly lastEventId: number | null }
  /** The server cannot replay what was missed: reload whatever shows server state. */
  | { readonly kind: 'reset' }
  /** The connection is gone; a reconnect is scheduled after `retryInMs`. */
  | { readonly kind: 'disconnected'; readonly retryInMs: number };

export interface LiveEventsOptions {
  /** `<API base>/api/events`. */
  readonly url: string;
  readonly withCredentials: boolean;
  readonly factory: EventSourceFactory;
  /** First reconnect delay; doubled per failed attempt up to `maxDelayMs` (jittered). Default 1000. */
  readonly initialDelayMs?: number;
  /** Default 30 000. */
  readonly maxDelayMs?: number;
  /** Reconnect when nothing (not even a heartbeat) arrived for this many heartbeat periods. Default 3. */
  readonly staleAfterHeartbeats?: number;
  /** 0 ≤ x < 1. Default Math.random. */
  readonly random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, half of it jittered. */
export function reconnectDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * GET /api/events as an Observable. It owns the reconnects instead of EventSource: after any error (network,
 * 401, 503, server restart) the source is closed and a new one opened after an exponential, jittered back-off,
 * asking for `?last_event_id=<the last id seen>` so the server replays what was missed (`reset` when it cannot).
 * The back-off starts over once the server says `ready`. A `reconnect` message from the server (stream rotation)
 * reconnects at once; a shutdown one after the back-off. A stream silent for three heartbeat periods is treated as
 * dead. Unsubscribing closes the connection. Never errors, never completes.
 */
export function liveEvents(options: LiveEventsOptions): Observable<LiveMessage> {
  const initialMs = options.initialDelayMs ?? 1000;
  const maxMs = options.maxDelayMs ?? 30_000;
  const staleAfter = options.staleAfterHeartbeats ?? 3;
  const random = options.random ?? Math.random;

  return new Observable<LiveMessage>((subscriber) => {
    let source: EventSourceLike | null = null;
    let lastEventId: number | null = null;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let watchdog: ReturnType<typeof setTimeout> | null = null;
    let heartbeatMs: number | null = null;

    const clearWatchdog = (): void => {
      if (watchdog !== null) clearTimeout(watchdog);
      watchdog = null;
    };
    const armWatchdog = (): void => {
      clearWatchdog();
      if (heartbeatMs === null) return;
      watchdog = setTimeout(() => {
        reconnect(null);
      }, heartbeatMs * staleAfter);
    };
    const drop = (): void => {
      clearWatchdog();
      if (source !== null) {
        source.onerror = null;
        source.close();
        source = null;
      }
    };
    /** `delay` null = the back-off. */
    const reconnect = (delay: number | null): void => {
      drop();
      if (retryTimer !== null) return;
      const wait = delay ?? reconnectDelayMs(attempt++, initialMs, maxMs, random);
      subscriber.next({ kind: 'disconnected', retryInMs: wait });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, wait);
    };
    const parse = (event: MessageEvent<string>): unknown => {
      try {
        return JSON.parse(event.data);
      } catch {
        return null;
      }
    };

    function connect(): void {
      const url = lastEventId === null ? options.url : `${options.url}?last_event_id=${String(lastEventId)}`;
      const current = options.factory(url, { withCredentials: options.withCredentials });
      source = current;
      const mine = (listener: (event: MessageEvent<string>) => void) => (event: MessageEvent<string>) => {
        if (source === current) listener(event);
      };
      for (const type of EVENT_TYPES) {
        current.addEventListener(
          type,
          mine((message) => {
            const event = parse(message) as VeloraEvent | null;
            const id = Number(message.lastEventId);
            if (Number.isSafeInteger(id) && id > 0) lastEventId = id;
            armWatchdog();
            if (event !== null) subscriber.next({ kind: 'event', event });
          }),
        );
      }
      current.addEventListener(
        'ready',
        mine((message) => {
          const ready = parse(message) as StreamReadyData | null;
          attempt = 0;
          heartbeatMs = typeof ready?.heartbeat_ms === 'number' && ready.heartbeat_ms > 0 ? ready.heartbeat_ms : null;
          if (typeof ready?.last_event_id === 'number') lastEventId = ready.last_event_id;
          armWatchdog();
          subscriber.next({ kind: 'ready', lastEventId });
        }),
      );
      current.addEventListener('heartbeat', mine(armWatchdog));
      current.addEventListener(
        'reset',
        mine(() => {
          subscriber.next({ kind: 'reset' });
        }),
      );
      current.addEventListener(
        'reconnect',
        mine((message) => {
          const reason = (parse(message) as StreamReconnectData | null)?.reason;
          reconnect(reason === 'rotate' ? 0 : null);
        }),
      );
      current.onerror = () => {
        if (source === current) reconnect(null);
      };
    }

    connect();
    return () => {
      drop();
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
    };
  });
}

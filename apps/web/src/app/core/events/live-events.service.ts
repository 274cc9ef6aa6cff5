import { Injectable, InjectionToken, inject } from '@angular/core';
import type { EventType, VeloraEvent } from '@velora/contracts';
import { EMPTY, Observable, defer, filter, map, share } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import { liveEvents, type EventSourceFactory, type LiveMessage } from './live-events';

/** Creates the browser's EventSource; null where there is none (server-side rendering, jsdom tests). */
export const EVENT_SOURCE_FACTORY = new InjectionToken<EventSourceFactory | null>('EVENT_SOURCE_FACTORY', {
  providedIn: 'root',
  factory: () => (typeof EventSource === 'undefined' ? null : (url, init) => new EventSource(url, init)),
});

/**
 * The app's one connection to GET /api/events, shared by everyone who listens (the live view, the bell) and
 * opened only while someone does. See `liveEvents` for reconnects and resume.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents {
  private readonly baseUrl = inject(API_BASE_URL);
  private readonly factory = inject(EVENT_SOURCE_FACTORY);

  readonly messages$: Observable<LiveMessage> = defer(() => {
    const factory = this.factory;
    if (factory === null) return EMPTY;
    return liveEvents({ url: `${this.baseUrl}/api/events`, withCredentials: this.baseUrl !== '', factory });
  }).pipe(share());

  /** Stored events of one type. */
  on<T extends EventType>(type: T): Observable<Extract<VeloraEvent, { type: T }>> {
    return this.messages$.pipe(
      filter((m): m is Extract<LiveMessage, { kind: 'event' }> => m.kind === 'event' && m.event.type === type),
      map((m) => m.event as Extract<VeloraEvent, { type: T }>),
    );
  }

  /** The server could not replay what this tab missed: reload server state. */
  readonly resets$: Observable<void> = this.messages$.pipe(
    filter((m) => m.kind === 'reset'),
    map(() => undefined),
  );
}

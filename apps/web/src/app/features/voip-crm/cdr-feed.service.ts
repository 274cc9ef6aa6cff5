import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import {
  Observable,
  Subject,
  catchError,
  distinctUntilChanged,
  map,
  merge,
  of,
  scan,
  shareReplay,
  startWith,
  switchMap,
  throttleTime,
} from 'rxjs';
import type { Cdr, CdrPage, CdrSummary, IntegrationHealth } from '../../core/api/api.models';
import { CdrApiService } from '../../core/api/cdr-api.service';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
import { LiveEvents } from '../../core/events/live-events.service';
import { ApiError, isApiError } from '../../core/http/api-error';
import { pollWhileVisible } from '../../shared/polling/poll-while-visible';
import { CdrViewQuery, parseViewQuery, toListQuery, todayRange, viewKey } from './cdr-query';

export interface CdrFeedState {
  readonly rows: readonly Cdr[];
  readonly total: number;
  /** False when `total` is the API's count cap (shown as "10.000+"). */
  readonly totalExact: boolean;
  /** A request is in flight (the previous rows stay visible). */
  readonly loading: boolean;
  /** The tab is hidden: polling is paused until it is visible again. */
  readonly paused: boolean;
  /** The last request failed; `rows` still hold the last good data. Cleared by the next success. */
  readonly error: ApiError | null;
  /** When the last successful response arrived. */
  readonly lastUpdated: Date | null;
  /** Ids that appeared since the previous successful refresh of the same view. */
  readonly newIds: ReadonlySet<string>;
  /** `viewKey` of the view the rows belong to. */
  readonly viewKey: string | null;
  readonly query: CdrViewQuery | null;
  /** Health of the switch (Sippy) and its CDR sync: the rows are stored data, this says how fresh. */
  readonly switchHealth: IntegrationHealth | null;
  /** Today's totals (independent of the filters); the last good value is kept on error. */
  readonly summary: CdrSummary | null;
  readonly summaryError: ApiError | null;
}

export const INITIAL_FEED_STATE: CdrFeedState = {
  rows: [],
  total: 0,
  totalExact: true,
  loading: false,
  paused: false,
  error: null,
  lastUpdated: null,
  newIds: new Set<string>(),
  viewKey: null,
  query: null,
  switchHealth: null,
  summary: null,
  summaryError: null,
};

export type CdrFeedEvent =
  | { readonly type: 'loading'; readonly query: CdrViewQuery }
  | { readonly type: 'loaded'; readonly query: CdrViewQuery; readonly page: CdrPage; readonly at: Date }
  | { readonly type: 'failed'; readonly query: CdrViewQuery; readonly error: ApiError }
  | { readonly type: 'paused' }
  | { readonly type: 'health'; readonly health: IntegrationHealth }
  | { readonly type: 'summary'; readonly summary: CdrSummary }
  | { readonly type: 'summaryFailed'; readonly error: ApiError };

/** Pure reducer: keeps the last data on failure, computes the highlighted new rows. */
export function reduceFeed(state: CdrFeedState, event: CdrFeedEvent): CdrFeedState {
  switch (event.type) {
    case 'paused':
      return { ...state, loading: false, paused: true };
    case 'loading':
      return { ...state, loading: true, paused: false, query: event.query };
    case 'failed':
      return { ...state, loading: false, error: event.error, query: event.query };
    case 'health':
      return { ...state, switchHealth: event.health };
    case 'summary':
      return { ...state, summary: event.summary, summaryError: null };
    case 'summaryFailed':
      return { ...state, summaryError: event.error };
    case 'loaded': {
      const key = viewKey(event.query);
      const sameView = state.viewKey === key && state.lastUpdated !== null;
      const previous = new Set(state.rows.map((row) => row.id));
      const newIds = sameView
        ? new Set(event.page.rows.filter((row) => !previous.has(row.id)).map((row) => row.id))
        : new Set<string>();
      return {
        ...state,
        rows: event.page.rows,
        total: event.page.total,
        totalExact: event.page.totalExact ?? true,
        loading: false,
        paused: false,
        error: null,
        lastUpdated: event.at,
        newIds,
        viewKey: key,
        query: event.query,
      };
    }
  }
}

/** New CDRs trigger at most one reload per this period (a backlog commits many windows in a row). */
export const LIVE_RELOAD_THROTTLE_MS = 1000;

/**
 * The live CDR feed of the VoIP CRM page (provided by `VoipCrmPageComponent`, so it lives and dies
 * with the page). Follows the view query in the URL, loads at once, then every
 * `CDR_REFRESH_INTERVAL_MS`; `refreshNow()`, a query change and a `cdrs` event of the live stream
 * (new CDRs were stored; throttled to one reload a second) load at once and restart the clock, so the
 * interval is only the fallback; nothing is requested while the tab is hidden; `switchMap` cancels a
 * slow request instead of stacking a second one.
 */
@Injectable()
export class CdrFeed {
  private readonly api = inject(CdrApiService);
  private readonly integrations = inject(IntegrationsApiService);
  private readonly document = inject(DOCUMENT);
  private readonly intervalMs = inject(CDR_REFRESH_INTERVAL_MS);
  private readonly refreshRequests = new Subject<void>();
  private readonly live = inject(LiveEvents);
  /** Manual refreshes, new CDRs announced by the server, and a stream that could not replay what it missed. */
  private readonly restart$ = merge(
    this.refreshRequests,
    merge(this.live.on('cdrs'), this.live.resets$).pipe(throttleTime(LIVE_RELOAD_THROTTLE_MS, undefined, { leading: true, trailing: true })),
  );

  readonly query$: Observable<CdrViewQuery> = inject(ActivatedRoute).queryParamMap.pipe(
    map(parseViewQuery),
    distinctUntilChanged((a, b) => viewKey(a) === viewKey(b)),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  readonly state$: Observable<CdrFeedState> = this.query$.pipe(
    switchMap((query) =>
      pollWhileVisible({
        intervalMs: this.intervalMs,
        document: this.document,
        restart$: this.restart$,
      }).pipe(map((signal) => ({ signal, query }))),
    ),
    switchMap(({ signal, query }) =>
      signal.type === 'paused'
        ? of<CdrFeedEvent>({ type: 'paused' })
        : merge(this.load(query), this.loadHealth(), this.loadSummary()),
    ),
    scan(reduceFeed, INITIAL_FEED_STATE),
  );

  readonly state = toSignal(this.state$, { initialValue: INITIAL_FEED_STATE });

  /** Loads now and restarts the refresh clock. */
  refreshNow(): void {
    this.refreshRequests.next();
  }

  private loadHealth(): Observable<CdrFeedEvent> {
    return this.integrations.health('sippy').pipe(map((health): CdrFeedEvent => ({ type: 'health', health })));
  }

  private loadSummary(): Observable<CdrFeedEvent> {
    const { from, to } = todayRange(new Date());
    return this.api.summary(from, to).pipe(
      map((summary): CdrFeedEvent => ({ type: 'summary', summary })),
      catchError((error: unknown) => of<CdrFeedEvent>({ type: 'summaryFailed', error: toApiError(error) })),
    );
  }

  private load(query: CdrViewQuery): Observable<CdrFeedEvent> {
    return this.api.list(toListQuery(query)).pipe(
      map((page): CdrFeedEvent => ({ type: 'loaded', query, page, at: new Date() })),
      startWith<CdrFeedEvent>({ type: 'loading', query }),
      catchError((error: unknown) =>
        of<CdrFeedEvent>({
          type: 'failed',
          query,
          error: toApiError(error),
        }),
      ),
    );
  }
}

function toApiError(error: unknown): ApiError {
  return isApiError(error)
    ? error
    : new ApiError('unexpected', 0, 'errors.unexpected', error instanceof Error ? error.message : String(error));
}

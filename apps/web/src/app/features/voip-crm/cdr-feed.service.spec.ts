import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, ParamMap, convertToParamMap } from '@angular/router';
import { BehaviorSubject, Observable, Subject, of, throwError } from 'rxjs';
import type { CdrListQuery, CdrPage, CdrSummary, IntegrationHealth } from '../../core/api/api.models';
import { CdrApiService } from '../../core/api/cdr-api.service';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
import { EVENT_SOURCE_FACTORY } from '../../core/events/live-events.service';
import { FakeEventSources } from '../../../testing/fake-event-source';
import { ApiError } from '../../core/http/api-error';
import { makeCdr, makeSummary } from '../../../testing/cdr.fixtures';
import { FakeVisibility } from '../../../testing/visibility';
import { CdrFeed } from './cdr-feed.service';

interface PendingList {
  readonly query: CdrListQuery;
  readonly response: Subject<CdrPage>;
  unsubscribed: boolean;
  settled: boolean;
}

/** A CDR API whose responses the test releases by hand, recording overlap and cancellation. */
class ControlledCdrApi {
  readonly requests: PendingList[] = [];
  active = 0;
  maxActive = 0;
  summaryResult: () => Observable<CdrSummary> = () => of(makeSummary());

  list(query: CdrListQuery): Observable<CdrPage> {
    const pending: PendingList = { query, response: new Subject<CdrPage>(), unsubscribed: false, settled: false };
    this.requests.push(pending);
    return new Observable<CdrPage>((subscriber) => {
      this.active += 1;
      this.maxActive = Math.max(this.maxActive, this.active);
      const inner = pending.response.subscribe({
        next: (page) => { subscriber.next(page); },
        error: (error: unknown) => {
          pending.settled = true;
          subscriber.error(error);
        },
        complete: () => {
          pending.settled = true;
          subscriber.complete();
        },
      });
      return () => {
        this.active -= 1;
        if (!pending.settled) {
          pending.unsubscribed = true;
        }
        inner.unsubscribe();
      };
    });
  }

  summary(): Observable<CdrSummary> {
    return this.summaryResult();
  }

  get last(): PendingList {
    const last = this.requests.at(-1);
    if (!last) throw new Error('no request yet');
    return last;
  }

  respond(page: CdrPage, request = this.last): void {
    request.response.next(page);
    request.response.complete();
  }

  fail(error: ApiError, request = this.last): void {
    request.response.error(error);
  }
}

const upHealth: IntegrationHealth = {
  state: 'up',
  details: { status: 'up', mode: 'simulator', latency_ms: 3 },
};

describe('CdrFeed', () => {
  let api: ControlledCdrApi;
  let queryParams: BehaviorSubject<ParamMap>;
  let visibility: FakeVisibility;
  let health: IntegrationHealth;
  let sources: FakeEventSources;

  function createFeed(): CdrFeed {
    TestBed.configureTestingModule({
      providers: [
        CdrFeed,
        { provide: CdrApiService, useValue: api },
        { provide: IntegrationsApiService, useValue: { health: () => of(health) } },
        { provide: ActivatedRoute, useValue: { queryParamMap: queryParams.asObservable() } },
        { provide: CDR_REFRESH_INTERVAL_MS, useValue: 30_000 },
        { provide: EVENT_SOURCE_FACTORY, useValue: sources.factory },
      ],
    });
    return TestBed.inject(CdrFeed);
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-24T12:00:00.000Z') });
    api = new ControlledCdrApi();
    health = upHealth;
    queryParams = new BehaviorSubject(convertToParamMap({}));
    visibility = new FakeVisibility();
    sources = new FakeEventSources();
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    visibility.restore();
    jest.useRealTimers();
  });

  it('loads at once, shows loading, then the rows and the update time', () => {
    const feed = createFeed();

    expect(api.requests).toHaveLength(1);
    expect(api.last.query).toEqual({ limit: 25, offset: 0 });
    expect(feed.state().loading).toBe(true);
    expect(feed.state().lastUpdated).toBeNull();

    const rows = [makeCdr({ id: 'a' }), makeCdr({ id: 'b' })];
    api.respond({ rows, total: 42 });

    const state = feed.state();
    expect(state.loading).toBe(false);
    expect(state.rows).toEqual(rows);
    expect(state.total).toBe(42);
    expect(state.lastUpdated).toEqual(new Date('2026-11-24T12:00:00.000Z'));
    expect(state.newIds.size).toBe(0); // first load: nothing is "new"
    expect(state.summary?.calls).toBe(1234);
    expect(state.switchHealth).toEqual(upHealth);
  });

  it('refreshes every 30 s, not earlier', () => {
    createFeed();
    api.respond({ rows: [], total: 0 });

    jest.advanceTimersByTime(29_999);
    expect(api.requests).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(api.requests).toHaveLength(2);
    api.respond({ rows: [], total: 0 });
    jest.advanceTimersByTime(30_000);
    expect(api.requests).toHaveLength(3);
  });

  it('"Yenile" loads at once and restarts the 30 s clock', () => {
    const feed = createFeed();
    api.respond({ rows: [], total: 0 });

    jest.advanceTimersByTime(20_000);
    feed.refreshNow();
    expect(api.requests).toHaveLength(2);
    api.respond({ rows: [], total: 0 });

    jest.advanceTimersByTime(29_999); // the old schedule (t = 30 s) must not fire
    expect(api.requests).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(api.requests).toHaveLength(3);
  });

  it('loads at once when the live stream announces new CDRs (the 30 s clock restarts as the fallback)', () => {
    const feed = createFeed();
    expect(sources.opened).toHaveLength(1); // one stream while the page is open
    api.respond({ rows: [makeCdr({ id: 'a' })], total: 1 });

    jest.advanceTimersByTime(12_000);
    const cdrs = { id: 5, at: '2026-11-24T12:00:12.000Z', type: 'cdrs', level: 'info', data: { count: 1, newest_ids: ['b'], newest_start_time: null } };
    sources.last.emit('cdrs', cdrs, 5);
    expect(api.requests).toHaveLength(2);
    api.respond({ rows: [makeCdr({ id: 'b' }), makeCdr({ id: 'a' })], total: 2 });
    expect(feed.state().rows.map((r) => r.id)).toEqual(['b', 'a']);
    expect([...feed.state().newIds]).toEqual(['b']);

    jest.advanceTimersByTime(29_999);
    expect(api.requests).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(api.requests).toHaveLength(3);
  });

  it('reloads at most once a second for a burst of new-CDR events (first at once, then the last one)', () => {
    createFeed();
    api.respond({ rows: [], total: 0 });
    for (let id = 1; id <= 5; id += 1) {
      sources.last.emit('cdrs', { id, at: 'x', type: 'cdrs', level: 'info', data: { count: 1, newest_ids: [String(id)], newest_start_time: null } }, id);
    }
    expect(api.requests).toHaveLength(2);
    jest.advanceTimersByTime(1000);
    expect(api.requests).toHaveLength(3);
    jest.advanceTimersByTime(1000);
    expect(api.requests).toHaveLength(3);
  });

  it('reloads when the stream could not replay what it missed, and ignores other events', () => {
    createFeed();
    api.respond({ rows: [], total: 0 });
    sources.last.emit('finding', { id: 1, at: 'x', type: 'finding', level: 'crit', data: {} }, 1);
    expect(api.requests).toHaveLength(1);
    sources.last.emit('reset', { reason: 'gap' });
    expect(api.requests).toHaveLength(2);
  });

  it('closes the stream with the page', () => {
    createFeed();
    TestBed.resetTestingModule();
    expect(sources.last.closed).toBe(true);
  });

  it('never overlaps requests: a slow one is cancelled, not duplicated', () => {
    const feed = createFeed();
    const slow = api.last;

    jest.advanceTimersByTime(30_000); // tick while the first request still hangs
    expect(slow.unsubscribed).toBe(true);
    expect(api.requests).toHaveLength(2);

    feed.refreshNow();
    feed.refreshNow();
    expect(api.requests).toHaveLength(4);
    expect(api.requests.slice(0, 3).every((r) => r.unsubscribed)).toBe(true);
    expect(api.maxActive).toBe(1);
    expect(api.active).toBe(1);

    // a late answer from a cancelled request cannot land
    slow.response.next({ rows: [makeCdr({ id: 'stale' })], total: 1 });
    expect(feed.state().rows).toEqual([]);
    expect(feed.state().loading).toBe(true);
  });

  it('pauses while the tab is hidden and loads at once when it comes back', () => {
    const feed = createFeed();
    api.respond({ rows: [], total: 0 });
    jest.advanceTimersByTime(30_000);
    const inFlight = api.last;

    visibility.hide();
    expect(inFlight.unsubscribed).toBe(true);
    expect(feed.state().paused).toBe(true);
    expect(feed.state().loading).toBe(false);

    jest.advanceTimersByTime(5 * 60_000);
    expect(api.requests).toHaveLength(2);
    feed.refreshNow(); // nothing to refresh while hidden
    expect(api.requests).toHaveLength(2);

    visibility.show();
    expect(api.requests).toHaveLength(3);
    expect(feed.state().paused).toBe(false);
    api.respond({ rows: [], total: 0 });
    jest.advanceTimersByTime(30_000);
    expect(api.requests).toHaveLength(4);
  });

  it('keeps the last data on error, shows the error, and clears it on the next success', () => {
    const feed = createFeed();
    const rows = [makeCdr({ id: 'a' })];
    api.respond({ rows, total: 1 });
    const updatedAt = feed.state().lastUpdated;

    jest.advanceTimersByTime(30_000);
    const error = new ApiError('network', 0, 'errors.network', 'down');
    api.fail(error);

    expect(feed.state().rows).toEqual(rows);
    expect(feed.state().error).toBe(error);
    expect(feed.state().loading).toBe(false);
    expect(feed.state().lastUpdated).toEqual(updatedAt);

    // polling goes on after an error
    jest.advanceTimersByTime(30_000);
    expect(api.requests).toHaveLength(3);
    api.respond({ rows, total: 1 });
    expect(feed.state().error).toBeNull();
  });

  it('marks rows that appeared since the previous refresh of the same view', () => {
    const feed = createFeed();
    api.respond({ rows: [makeCdr({ id: 'a' }), makeCdr({ id: 'b' })], total: 2 });

    feed.refreshNow();
    api.respond({ rows: [makeCdr({ id: 'c' }), makeCdr({ id: 'a' }), makeCdr({ id: 'b' })], total: 3 });
    expect([...feed.state().newIds]).toEqual(['c']);

    feed.refreshNow();
    api.respond({ rows: [makeCdr({ id: 'c' }), makeCdr({ id: 'a' })], total: 3 });
    expect(feed.state().newIds.size).toBe(0);
  });

  it('follows the URL query: new filters load at once, restart the clock and highlight nothing', () => {
    const feed = createFeed();
    api.respond({ rows: [makeCdr({ id: 'a' })], total: 1 });
    jest.advanceTimersByTime(10_000);

    queryParams.next(
      convertToParamMap({ status: 'failed', direction: 'inbound', caller: '90532', page: '3', size: '50' }),
    );
    expect(api.requests).toHaveLength(2);
    expect(api.last.query).toEqual({
      limit: 50,
      offset: 100,
      status: 'failed',
      direction: 'inbound',
      caller: '90532',
    });
    api.respond({ rows: [makeCdr({ id: 'x' })], total: 1 });
    expect(feed.state().newIds.size).toBe(0);

    jest.advanceTimersByTime(29_999);
    expect(api.requests).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(api.requests).toHaveLength(3);

    // the same view again (e.g. a navigation that changes nothing) does not reload
    queryParams.next(
      convertToParamMap({ size: '50', page: '3', caller: '90532', direction: 'inbound', status: 'failed' }),
    );
    expect(api.requests).toHaveLength(3);
  });

  it('reports the switch health and keeps the last summary when the summary fails', () => {
    health = { state: 'down', details: { status: 'down', cause: 'unreachable', latency_ms: null } };
    const feed = createFeed();
    api.respond({ rows: [], total: 0 });
    expect(feed.state().switchHealth?.state).toBe('down');
    expect(feed.state().summary?.calls).toBe(1234);

    const error = new ApiError('server', 500, 'errors.server', 'boom');
    api.summaryResult = () => throwError(() => error);
    feed.refreshNow();
    expect(feed.state().summary?.calls).toBe(1234);
    expect(feed.state().summaryError).toBe(error);
  });
});

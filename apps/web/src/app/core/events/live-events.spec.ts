import type { VeloraEvent } from '@velora/contracts';
import type { Subscription } from 'rxjs';
import { FakeEventSources } from '../../../testing/fake-event-source';
import { liveEvents, reconnectDelayMs, type LiveMessage } from './live-events';

const finding = (id: number): VeloraEvent => ({
  id,
  at: '2026-11-25T08:00:00.000Z',
  type: 'finding',
  level: 'crit',
  data: { id: `f${String(id)}`, rule: 'wangiri', level: 'crit', subject: '+4420', reason_en: 'r', reason_tr: 'r' },
});

describe('liveEvents (EventSource as an Observable)', () => {
  let sources: FakeEventSources;
  let messages: LiveMessage[];
  let subscription: Subscription;

  const start = (options: { random?: () => number } = {}): void => {
    subscription = liveEvents({
      url: '/api/events',
      withCredentials: false,
      factory: sources.factory,
      random: options.random ?? (() => 0.5),
    }).subscribe((m) => messages.push(m));
  };

  beforeEach(() => {
    jest.useFakeTimers();
    sources = new FakeEventSources();
    messages = [];
  });

  afterEach(() => {
    subscription.unsubscribe();
    jest.useRealTimers();
  });

  it('opens one EventSource and emits the stored events and ready', () => {
    start();
    expect(sources.opened.map((s) => s.url)).toEqual(['/api/events']);
    sources.last.emit('finding', finding(7), 7);
    sources.last.emit('ready', { last_event_id: 7, heartbeat_ms: 25_000 });
    sources.last.emit('heartbeat', { at: 'x' });
    expect(messages).toEqual([
      { kind: 'event', event: finding(7) },
      { kind: 'ready', lastEventId: 7 },
    ]);
  });

  it('reconnects after an error with exponential, jittered back-off, resuming after the last id', () => {
    start({ random: () => 0.5 });
    sources.last.emit('ready', { last_event_id: 3, heartbeat_ms: 25_000 });
    sources.last.emit(
      'cdrs',
      { id: 4, at: 'x', type: 'cdrs', level: 'info', data: { count: 1, newest_ids: ['9'], newest_start_time: null } },
      4,
    );
    sources.last.fail();
    expect(sources.opened[0]?.closed).toBe(true);
    expect(messages.at(-1)).toEqual({ kind: 'disconnected', retryInMs: 750 }); // 1000 / 2 + 0.5 × 1000 / 2
    jest.advanceTimersByTime(749);
    expect(sources.opened).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sources.opened).toHaveLength(2);
    expect(sources.last.url).toBe('/api/events?last_event_id=4');

    // the server is still down: each failure waits twice as long, up to the ceiling
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      sources.last.fail();
      const last = messages.at(-1);
      waits.push(last?.kind === 'disconnected' ? last.retryInMs : -1);
      jest.advanceTimersByTime(waits.at(-1) ?? 0);
    }
    expect(waits).toEqual([1500, 3000, 6000, 12_000, 22_500, 22_500, 22_500, 22_500]);
    expect(sources.opened).toHaveLength(10);
    expect(sources.opened.slice(0, -1).every((s) => s.closed)).toBe(true);

    // ready resets the back-off
    sources.last.emit('ready', { last_event_id: 4, heartbeat_ms: 25_000 });
    sources.last.fail();
    expect(messages.at(-1)).toEqual({ kind: 'disconnected', retryInMs: 750 });
  });

  it('ignores a closed source: one error schedules one reconnect', () => {
    start();
    const first = sources.last;
    first.fail();
    first.fail();
    first.emit('finding', finding(1), 1);
    jest.advanceTimersByTime(60_000);
    expect(sources.opened).toHaveLength(2);
    expect(messages.filter((m) => m.kind === 'event')).toEqual([]);
  });

  it('reconnects at once when the server rotates the stream, after the back-off when it shuts down', () => {
    start();
    sources.last.emit('ready', { last_event_id: 10, heartbeat_ms: 25_000 });
    sources.last.emit('reconnect', { reason: 'rotate' });
    jest.advanceTimersByTime(0);
    expect(sources.opened).toHaveLength(2);
    expect(sources.last.url).toBe('/api/events?last_event_id=10');
    sources.last.emit('reconnect', { reason: 'shutdown' });
    jest.advanceTimersByTime(749);
    expect(sources.opened).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sources.opened).toHaveLength(3);
  });

  it('treats a stream silent for three heartbeats as dead', () => {
    start();
    sources.last.emit('ready', { last_event_id: null, heartbeat_ms: 1000 });
    jest.advanceTimersByTime(2500);
    sources.last.emit('heartbeat', {});
    jest.advanceTimersByTime(2999);
    expect(sources.opened[0]?.closed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(sources.opened[0]?.closed).toBe(true);
    expect(messages.at(-1)?.kind).toBe('disconnected');
  });

  it('passes reset on and closes everything on unsubscribe', () => {
    start();
    sources.last.emit('reset', { reason: 'gap' });
    expect(messages).toEqual([{ kind: 'reset' }]);
    sources.last.fail();
    subscription.unsubscribe();
    jest.advanceTimersByTime(60_000);
    expect(sources.opened).toHaveLength(1);
    expect(sources.last.closed).toBe(true);
  });

  it('computes the back-off from the attempt, the bounds and the jitter', () => {
    expect(reconnectDelayMs(0, 1000, 30_000, () => 0)).toBe(500);
    expect(reconnectDelayMs(0, 1000, 30_000, () => 0.999)).toBe(1000);
    expect(reconnectDelayMs(3, 1000, 30_000, () => 0)).toBe(4000);
    expect(reconnectDelayMs(50, 1000, 30_000, () => 0)).toBe(15_000);
  });
});

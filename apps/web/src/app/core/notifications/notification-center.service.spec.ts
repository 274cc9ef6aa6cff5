import type { NotificationItem } from '@velora/contracts';
import { BELL_SIZE, INITIAL_BELL_STATE, reduceBell, type BellState } from './notification-center.service';

const item = (id: number, read = false): NotificationItem => ({
  id,
  at: '2026-11-25T08:00:00.000Z',
  type: 'sync_error',
  level: 'warn',
  data: { message: 'timeout', consecutive_failures: 1 },
  read,
});

const loaded = (items: NotificationItem[], unread: number, capped = false): BellState =>
  reduceBell(INITIAL_BELL_STATE, { type: 'loaded', page: { items, next_cursor: null }, count: { unread, capped } });

describe('reduceBell', () => {
  it('puts a new notification on top once, counts it and keeps the list short', () => {
    let state = loaded([item(3), item(2, true)], 1);
    state = reduceBell(state, { type: 'arrived', item: item(4) });
    state = reduceBell(state, { type: 'arrived', item: item(4) }); // replayed after a reconnect
    expect(state.items.map((i) => i.id)).toEqual([4, 3, 2]);
    expect(state.unread).toBe(2);
    for (let id = 5; id < 5 + BELL_SIZE; id += 1) state = reduceBell(state, { type: 'arrived', item: item(id) });
    expect(state.items).toHaveLength(BELL_SIZE);
    expect(state.items[0]?.id).toBe(4 + BELL_SIZE);
  });

  it('caps the count at 99 and says so', () => {
    let state = loaded([], 99, false);
    state = reduceBell(state, { type: 'arrived', item: item(1) });
    expect(state).toMatchObject({ unread: 99, capped: true });
  });

  it('marks read by id or up to an id; "all" empties the count', () => {
    let state = loaded([item(5), item(4), item(3, true)], 7);
    state = reduceBell(state, { type: 'read', ids: [4], upTo: null });
    expect(state.items.map((i) => i.read)).toEqual([false, true, true]);
    expect(state.unread).toBe(6);
    state = reduceBell(state, { type: 'read', ids: [], upTo: 5 });
    expect(state.items.every((i) => i.read)).toBe(true);
    expect(state.unread).toBe(5); // the server's count follows ('count')
    state = reduceBell(state, { type: 'count', count: { unread: 0, capped: false } });
    expect(state.unread).toBe(0);
    state = reduceBell(loaded([item(9)], 120, true), { type: 'read', ids: [], upTo: Number.POSITIVE_INFINITY });
    expect(state).toMatchObject({ unread: 0, capped: false });
  });

  it('keeps what it had when a reload fails', () => {
    const state = reduceBell(loaded([item(1)], 1), { type: 'failed' });
    expect(state).toMatchObject({ error: true, unread: 1 });
    expect(state.items).toHaveLength(1);
  });
});

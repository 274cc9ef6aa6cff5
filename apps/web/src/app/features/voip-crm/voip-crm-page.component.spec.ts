import type { SavedView } from '@velora/contracts';
import { activeFilterCount, COMPACT_LAYOUT_QUERY, liveViewParams, liveViewState } from './voip-crm-page.component';
import { EMPTY_VIEW_QUERY } from './cdr-query';

describe('activeFilterCount', () => {
  it('counts the set filters and never the paging, the zone or the columns', () => {
    expect(activeFilterCount(EMPTY_VIEW_QUERY)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_VIEW_QUERY, page: 3, size: 100, tz: 'UTC', cols: 'caller' })).toBe(0);
    expect(activeFilterCount({ ...EMPTY_VIEW_QUERY, status: 'failed', country: 'DE', caller: '90532' })).toBe(3);
  });

  it('switches to the phone layout under 600 px', () => {
    expect(COMPACT_LAYOUT_QUERY).toBe('(max-width: 599.98px)');
  });
});

describe('the live view as a saved view', () => {
  const view = (o: Partial<SavedView>): SavedView => ({
    id: 'v1',
    name: 'v',
    scope: 'cdrs',
    shared: false,
    mine: true,
    editable: true,
    owner: { id: 'u', email: 'u@velora.test' },
    filters: {},
    columns: ['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'duration'],
    sort: 'start_time:desc',
    time_zone: 'Europe/Istanbul',
    url: '/voip-crm?view=v1',
    created_at: '',
    updated_at: '',
    ...o,
  });

  it('keeps the data filters, the range apart, the columns as CDR fields and the zone (the browser’s by default)', () => {
    const state = liveViewState(
      { ...EMPTY_VIEW_QUERY, from: '2026-11-20', status: 'failed', min_duration: '30', cols: 'start_time,location', page: 4 },
      'Europe/Berlin',
    );
    expect(state).toEqual({
      filters: { status: 'failed', min_duration: '30' },
      dates: { from: '2026-11-20' },
      columns: ['start_time', 'country', 'city'],
      timeZone: 'Europe/Berlin',
    });
    expect(liveViewState({ ...EMPTY_VIEW_QUERY, tz: 'UTC' }, 'Europe/Berlin')).toMatchObject({
      dates: null,
      timeZone: 'UTC',
      columns: ['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'duration'],
    });
  });

  it('turns a view into the URL: its filters replace the current ones, paging restarts, ?view= goes away', () => {
    const params = liveViewParams(
      view({
        filters: { status: 'busy', from: '2026-11-01', result: 486 },
        columns: ['caller', 'status', 'cost'],
        time_zone: 'Asia/Kolkata',
      }),
      { ...EMPTY_VIEW_QUERY, caller: '90532', page: 3, size: 50 },
    );
    expect(params).toMatchObject({
      status: 'busy',
      from: '2026-11-01',
      result: '486',
      caller: null,
      tz: 'Asia/Kolkata',
      cols: 'caller,status,cost',
      page: null,
      size: 50,
      view: null,
    });
    expect(liveViewParams(view({}), EMPTY_VIEW_QUERY)).toMatchObject({ cols: null, tz: 'Europe/Istanbul' });
  });
});

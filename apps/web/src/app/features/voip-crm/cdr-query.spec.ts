import { convertToParamMap } from '@angular/router';
import {
  EMPTY_VIEW_QUERY,
  LIVE_COLUMNS,
  colsOfCdrFields,
  liveColumns,
  parseDay,
  parseViewQuery,
  toCdrFields,
  toExportParams,
  toListQuery,
  toQueryParams,
  todayRange,
  viewKey,
} from './cdr-query';

describe('cdr view query (URL ⇄ API)', () => {
  it('parses a shared URL', () => {
    const query = parseViewQuery(
      convertToParamMap({
        from: '2026-05-01',
        to: '2026-05-03',
        caller: ' 90532 ',
        callee: '212',
        status: 'no_answer',
        direction: 'outbound',
        country: 'Turkey',
        page: '2',
        size: '50',
      }),
    );
    expect(query).toEqual({
      ...EMPTY_VIEW_QUERY,
      from: '2026-05-01',
      to: '2026-05-03',
      caller: '90532',
      callee: '212',
      status: 'no_answer',
      direction: 'outbound',
      country: 'Turkey',
      page: 2,
      size: 50,
    });
  });

  it('drops invalid values instead of sending them', () => {
    const query = parseViewQuery(
      convertToParamMap({
        from: '2026-02-30',
        to: 'yesterday',
        status: 'exploded',
        direction: 'sideways',
        page: '-3',
        size: '7',
        caller: '   ',
        country: 'x'.repeat(500),
      }),
    );
    expect(query).toEqual({ ...EMPTY_VIEW_QUERY, country: 'x'.repeat(64) });
  });

  it('round-trips through router query params, leaving defaults out of the URL', () => {
    const query = { ...EMPTY_VIEW_QUERY, status: 'failed' as const, page: 3 };
    const params = toQueryParams(query);
    expect(params).toMatchObject({ status: 'failed', page: 3, size: null, from: null });
    const withoutNulls = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
    expect(parseViewQuery(convertToParamMap(withoutNulls))).toEqual(query);
  });

  it('maps local calendar days to an ISO window [from 00:00, day after to 00:00) and pages to offset', () => {
    const list = toListQuery({ ...EMPTY_VIEW_QUERY, from: '2026-05-01', to: '2026-05-03', page: 3, size: 50, callee: '212' });
    expect(list).toEqual({
      limit: 50,
      offset: 100,
      from: new Date(2026, 4, 1).toISOString(),
      to: new Date(2026, 4, 4).toISOString(),
      callee: '212',
    });
    expect(toListQuery(EMPTY_VIEW_QUERY)).toEqual({ limit: 25, offset: 0 });
  });

  it('reads days in the URL’s time zone, and passes min_duration through', () => {
    const query = parseViewQuery(convertToParamMap({ from: '2026-11-24', to: '2026-11-24', tz: 'Asia/Kolkata', min_duration: '30' }));
    expect(query).toMatchObject({ tz: 'Asia/Kolkata', min_duration: '30' });
    expect(toListQuery(query)).toEqual({ limit: 25, offset: 0, from: '2026-11-23T18:30:00.000Z', to: '2026-11-24T18:30:00.000Z', min_duration: '30' });
    expect(parseViewQuery(convertToParamMap({ tz: '+03:00', min_duration: 'long' }))).toMatchObject({ tz: null, min_duration: null });
  });

  it('keeps the table’s columns in the URL (known ones, once) and maps them to and from a view’s CDR fields', () => {
    const query = parseViewQuery(convertToParamMap({ cols: 'status,caller,password,caller,location' }));
    expect(query.cols).toBe('status,caller,location');
    expect(liveColumns(query)).toEqual(['status', 'caller', 'location']);
    expect(toQueryParams(query)).toMatchObject({ cols: 'status,caller,location' });
    expect(parseViewQuery(convertToParamMap({ cols: LIVE_COLUMNS.join(',') })).cols).toBeNull(); // the default
    expect(liveColumns(EMPTY_VIEW_QUERY)).toEqual(LIVE_COLUMNS);
    expect(toCdrFields(['start_time', 'location'])).toEqual(['start_time', 'country', 'city']);
    expect(colsOfCdrFields(['start_time', 'cost', 'country_code', 'city', 'status'])).toBe('start_time,cost,location,status');
    expect(colsOfCdrFields(['start_time', 'pdd_unknown', 'currency', 'trunk'])).toBe('start_time,cost,trunk');
    expect(toCdrFields(['cost', 'trunk'])).toEqual(['cost', 'currency', 'trunk']);
    expect(colsOfCdrFields(toCdrFields(LIVE_COLUMNS))).toBeNull();
  });

  it('tells views apart by content', () => {
    expect(viewKey({ ...EMPTY_VIEW_QUERY })).toBe(viewKey(EMPTY_VIEW_QUERY));
    expect(viewKey({ ...EMPTY_VIEW_QUERY, page: 2 })).not.toBe(viewKey(EMPTY_VIEW_QUERY));
  });

  it('parses only real days and computes today in local time', () => {
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')?.getDate()).toBe(29);
    const range = todayRange(new Date(2026, 10, 24, 15, 30));
    expect(range).toEqual({ from: new Date(2026, 10, 24).toISOString(), to: new Date(2026, 10, 25).toISOString() });
  });

  it('takes the drill-down filters and exact instants of report links to the API unchanged', () => {
    const query = parseViewQuery(
      convertToParamMap({
        from: '2026-11-24T10:00:00.000Z',
        to: '2026-11-24T11:00:00.000Z',
        city: 'Ankara',
        account: '1042',
        trunk: 'T1',
        result: '-20',
        answered: 'false',
      }),
    );
    expect(query).toMatchObject({ from: '2026-11-24T10:00:00.000Z', account: '1042', result: '-20', answered: 'false' });
    expect(toListQuery(query)).toEqual({
      limit: 25,
      offset: 0,
      from: '2026-11-24T10:00:00.000Z',
      to: '2026-11-24T11:00:00.000Z',
      city: 'Ankara',
      account: '1042',
      trunk: 'T1',
      result: '-20',
      answered: 'false',
    });
    expect(toQueryParams(query)).toMatchObject({ account: '1042', result: '-20', answered: 'false' });
  });

  it('drops invalid drill-down values', () => {
    const query = parseViewQuery(convertToParamMap({ from: '2026-11-24T25:00:00Z', result: 'busy', answered: 'maybe' }));
    expect(query).toMatchObject({ from: null, result: null, answered: null });
  });

  it('exports what the view shows: its filters without paging, the table columns as CDR fields, the order and the zone', () => {
    const query = parseViewQuery(
      convertToParamMap({ from: '2026-11-24', to: '2026-11-24', status: 'busy', tz: 'Europe/Istanbul', cols: 'caller,location,cost', page: '3', size: '50' }),
    );
    expect(toExportParams(query, 'UTC')).toEqual({
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-24T21:00:00.000Z',
      status: 'busy',
      columns: 'caller,country,city,cost,currency',
      sort: 'start_time:desc',
      tz: 'Europe/Istanbul',
    });
    expect(toExportParams(EMPTY_VIEW_QUERY, 'America/New_York')).toEqual({
      columns: 'start_time,caller,callee,direction,status,country,city,duration',
      sort: 'start_time:desc',
      tz: 'America/New_York',
    });
  });
});

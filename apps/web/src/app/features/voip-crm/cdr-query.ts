import type { ParamMap, Params } from '@angular/router';
import {
  CDR_DIRECTION_VALUES,
  CDR_STATUS_VALUES,
  type CdrDirection,
  type CdrListQuery,
  type CdrStatus,
} from '../../core/api/api.models';
import { isTimeZone, zonedMidnight } from '../../shared/time-zone/time-zone';
import { QueryParamReader, pageRequest, setFilters, viewQueryParams } from '../../shared/url-query/url-query';

export const PAGE_SIZE_OPTIONS = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The live table's default columns, in their default order (`location` = country + city). */
export const LIVE_COLUMNS = ['start_time', 'caller', 'callee', 'direction', 'status', 'location', 'duration'] as const;

/** Further CDR fields the column picker can add (`cost` shows the amount with its currency). */
export const EXTRA_LIVE_COLUMNS = [
  'end_time',
  'setup_time',
  'billed_duration',
  'sip_code',
  'disconnect_reason',
  'release_source',
  'account',
  'trunk',
  'cost',
  'codec',
  'remote_ip',
  'call_id',
  'id',
] as const;

/** Every column the live table can show. */
export const ALL_LIVE_COLUMNS = [...LIVE_COLUMNS, ...EXTRA_LIVE_COLUMNS] as const;
export type LiveColumn = (typeof ALL_LIVE_COLUMNS)[number];

/** localStorage key of the viewer's last chosen columns (used when the URL names none). */
export const LIVE_COLUMNS_STORAGE_KEY = 'velora.live.columns';

/**
 * What the live view shows, as kept in the URL query so a view can be shared and survives a reload:
 * `/voip-crm?from=2026-05-01&to=2026-05-03&caller=90532&status=failed&direction=inbound&country=TR&page=2&size=50`,
 * plus `tz=Europe/Berlin` (the zone of the days and of the times shown) and `cols=start_time,caller,status` (the
 * table's columns) when they are not the viewer's defaults. Dates are calendar days in `tz`, or in the browser's
 * zone without it (`to` is inclusive). Invalid values are dropped.
 */
export interface CdrViewQuery {
  readonly from: string | null;
  readonly to: string | null;
  readonly caller: string | null;
  readonly callee: string | null;
  readonly status: CdrStatus | null;
  readonly direction: CdrDirection | null;
  readonly country: string | null;
  /** Drill-down filters set by report links (no field in the filter bar). */
  readonly city: string | null;
  readonly account: string | null;
  readonly trunk: string | null;
  /** Sippy result code (`486`, `-20`). */
  readonly result: string | null;
  /** `true` answered calls, `false` the others. */
  readonly answered: 'true' | 'false' | null;
  /** Minimum talk time in seconds (saved views; no field in the filter bar). */
  readonly min_duration: string | null;
  /** IANA zone of the days and of the times shown; null = the browser's. */
  readonly tz: string | null;
  /** The table's columns, comma-separated (`LIVE_COLUMNS` names); null = all, in the default order. */
  readonly cols: string | null;
  /** 1-based. */
  readonly page: number;
  readonly size: number;
}

/** The filters of a view, in URL order. */
const FILTER_KEYS = [
  'from',
  'to',
  'caller',
  'callee',
  'status',
  'direction',
  'country',
  'city',
  'account',
  'trunk',
  'result',
  'answered',
  'min_duration',
  'tz',
  'cols',
] as const;

/** Keys of the URL that are filters of the data (not paging, zone or columns). */
export const DATA_FILTER_KEYS = FILTER_KEYS.filter((key) => key !== 'tz' && key !== 'cols');

export const EMPTY_VIEW_QUERY: CdrViewQuery = {
  from: null,
  to: null,
  caller: null,
  callee: null,
  status: null,
  direction: null,
  country: null,
  city: null,
  account: null,
  trunk: null,
  result: null,
  answered: null,
  min_duration: null,
  tz: null,
  cols: null,
  page: 1,
  size: DEFAULT_PAGE_SIZE,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** An exact instant (report links): `2026-11-24T10:00:00.000Z`; as `to` it is exclusive. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const RESULT = /^-?\d{1,4}$/;
const SECONDS = /^\d{1,8}(\.\d{1,3})?$/;

/** True for an ISO instant with a zone (not a calendar day). */
export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}
const MAX_TEXT = 64;

export function parseViewQuery(params: ParamMap): CdrViewQuery {
  const read = new QueryParamReader(params);
  const day = (value: string): boolean => parseDay(value) !== null || isInstant(value);
  return {
    from: read.valid('from', day),
    to: read.valid('to', day),
    caller: read.text('caller', MAX_TEXT),
    callee: read.text('callee', MAX_TEXT),
    status: read.oneOf('status', CDR_STATUS_VALUES),
    direction: read.oneOf('direction', CDR_DIRECTION_VALUES),
    country: read.text('country', MAX_TEXT),
    city: read.text('city', 128),
    account: read.text('account', MAX_TEXT),
    trunk: read.text('trunk', 128),
    result: read.valid('result', (v) => RESULT.test(v)),
    answered: read.oneOf('answered', ['true', 'false'] as const),
    min_duration: read.valid('min_duration', (v) => SECONDS.test(v)),
    tz: read.valid('tz', isTimeZone),
    cols: normalizeColumns(params.get('cols')),
    ...read.paging(PAGE_SIZE_OPTIONS, DEFAULT_PAGE_SIZE),
  };
}

/** Known column names, each once; null for none or for the default set in the default order. */
export function normalizeColumns(value: string | null): string | null {
  if (value === null) return null;
  const known = new Set<string>(ALL_LIVE_COLUMNS);
  const columns = [...new Set(value.split(',').map((c) => c.trim()))].filter((c) => known.has(c));
  return columns.length === 0 || columns.join(',') === LIVE_COLUMNS.join(',') ? null : columns.join(',');
}

/** The table's columns of a view. */
export function liveColumns(query: Pick<CdrViewQuery, 'cols'>): readonly LiveColumn[] {
  return query.cols === null ? LIVE_COLUMNS : (query.cols.split(',') as LiveColumn[]);
}

/** Live table columns → CDR fields (a saved view's `columns`): `location` is the country and the city. */
export function toCdrFields(columns: readonly LiveColumn[]): string[] {
  return columns.flatMap((c) => (c === 'location' ? ['country', 'city'] : c === 'cost' ? ['cost', 'currency'] : [c]));
}

/**
 * The query of GET /api/sippy/cdrs/export for a view: the list's filters (no paging), the table's columns as CDR
 * fields in their order, the list's order and the zone of the times shown.
 */
export function toExportParams(query: CdrViewQuery, browserZone: string): Record<string, string> {
  const { limit: _limit, offset: _offset, ...filters } = toListQuery(query);
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') params[key] = value;
  }
  return { ...params, columns: toCdrFields(liveColumns(query)).join(','), sort: 'start_time:desc', tz: query.tz ?? browserZone };
}

/**
 * CDR fields (a saved view's `columns`) → the `cols` URL value: fields the live table has no column for are left
 * out (country, country code and city show as `location`); null when that is the default set.
 */
export function colsOfCdrFields(fields: readonly string[]): string | null {
  const place = new Set(['country', 'country_code', 'city']);
  return normalizeColumns(fields.map((f) => (place.has(f) ? 'location' : f === 'currency' ? 'cost' : f)).join(','));
}

/** Router query params for a view; defaults are left out so URLs stay short. */
export function toQueryParams(query: CdrViewQuery): Params {
  return viewQueryParams(query, FILTER_KEYS, DEFAULT_PAGE_SIZE);
}

/**
 * The API request for a view: calendar days (in `tz`, or the browser's zone) become `[start of from, start of the
 * day after to)`.
 */
export function toListQuery(query: CdrViewQuery): CdrListQuery {
  const from = query.from === null ? null : instantOrDay(query.from, 0, query.tz);
  const to = query.to === null ? null : instantOrDay(query.to, 1, query.tz);
  return {
    ...pageRequest(query),
    ...setFilters({
      from: from?.toISOString(),
      to: to?.toISOString(),
      caller: query.caller,
      callee: query.callee,
      status: query.status,
      direction: query.direction,
      country: query.country,
      city: query.city,
      account: query.account,
      trunk: query.trunk,
      result: query.result,
      answered: query.answered,
      min_duration: query.min_duration,
    }),
  };
}

/** An instant as given, or a day's midnight in `tz` or the browser's zone (`plusDays` 1 for an inclusive `to`). */
function instantOrDay(value: string, plusDays: number, tz: string | null): Date | null {
  if (isInstant(value)) {
    return new Date(value);
  }
  const day = parseDay(value);
  if (day === null) return null;
  return tz === null ? new Date(day.getFullYear(), day.getMonth(), day.getDate() + plusDays) : zonedMidnight(value, tz, plusDays);
}

/** Identity of the data set a view shows, ignoring nothing: used to tell "refresh" from "new view". */
export function viewKey(query: CdrViewQuery): string {
  return JSON.stringify(toQueryParams(query));
}

/** `YYYY-MM-DD` → local midnight, or null if it is not a real date. */
export function parseDay(value: string): Date | null {
  if (!DAY.test(value)) {
    return null;
  }
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** Local date → `YYYY-MM-DD`. */
export function formatDay(date: Date): string {
  const mm = String(date.getMonth() + 1).padStart(2, '0');
  const dd = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${mm}-${dd}`;
}

/** `[local midnight today, local midnight tomorrow)` as ISO instants. */
export function todayRange(now: Date): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

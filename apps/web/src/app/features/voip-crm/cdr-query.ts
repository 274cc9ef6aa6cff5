import type { ParamMap, Params } from '@angular/router';
import {
  CDR_DIRECTION_VALUES,
  CDR_STATUS_VALUES,
  type CdrDirection,
  type CdrListQuery,
  type CdrStatus,
} from '../../core/api/api.models';
import { QueryParamReader, pageRequest, setFilters, viewQueryParams } from '../../shared/url-query/url-query';

export const PAGE_SIZE_OPTIONS = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/**
 * What the live view shows, as kept in the URL query so a view can be shared and survives a reload:
 * `/voip-crm?from=2026-05-01&to=2026-05-03&caller=90532&status=failed&direction=inbound&country=TR&page=2&size=50`.
 * Dates are calendar days in the viewer's time zone (`to` is inclusive). Invalid values are dropped.
 */
export interface CdrViewQuery {
  readonly from: string | null;
  readonly to: string | null;
  readonly caller: string | null;
  readonly callee: string | null;
  readonly status: CdrStatus | null;
  readonly direction: CdrDirection | null;
  readonly country: string | null;
  /** 1-based. */
  readonly page: number;
  readonly size: number;
}

/** The filters of a view, in URL order. */
const FILTER_KEYS = ['from', 'to', 'caller', 'callee', 'status', 'direction', 'country'] as const;

export const EMPTY_VIEW_QUERY: CdrViewQuery = {
  from: null,
  to: null,
  caller: null,
  callee: null,
  status: null,
  direction: null,
  country: null,
  page: 1,
  size: DEFAULT_PAGE_SIZE,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TEXT = 64;

export function parseViewQuery(params: ParamMap): CdrViewQuery {
  const read = new QueryParamReader(params);
  const day = (value: string): boolean => parseDay(value) !== null;
  return {
    from: read.valid('from', day),
    to: read.valid('to', day),
    caller: read.text('caller', MAX_TEXT),
    callee: read.text('callee', MAX_TEXT),
    status: read.oneOf('status', CDR_STATUS_VALUES),
    direction: read.oneOf('direction', CDR_DIRECTION_VALUES),
    country: read.text('country', MAX_TEXT),
    ...read.paging(PAGE_SIZE_OPTIONS, DEFAULT_PAGE_SIZE),
  };
}

/** Router query params for a view; defaults are left out so URLs stay short. */
export function toQueryParams(query: CdrViewQuery): Params {
  return viewQueryParams(query, FILTER_KEYS, DEFAULT_PAGE_SIZE);
}

/** The API request for a view: local calendar days become `[start of from, start of the day after to)`. */
export function toListQuery(query: CdrViewQuery): CdrListQuery {
  const from = query.from === null ? null : parseDay(query.from);
  const toDay = query.to === null ? null : parseDay(query.to);
  const to = toDay === null ? null : new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1);
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
    }),
  };
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

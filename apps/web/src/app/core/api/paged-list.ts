import { HttpClient, HttpParams } from '@angular/common/http';
import { Observable, map } from 'rxjs';

/** Offset paging as the list endpoints take it (`?limit=&offset=`). */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/** One page of a list endpoint: its rows and how many rows match in all. */
export interface Page<T> {
  readonly rows: readonly T[];
  /** From `X-Total-Count`; offset + rows when the header is missing or not a count. */
  readonly total: number;
  /** `X-Total-Count-Exact: false` → false (more than `total` rows); true otherwise. */
  readonly totalExact: boolean;
}

/** Filter keys of a query whose values are strings (or string unions such as a status). */
export type StringFilterKey<Q> = {
  [K in keyof Q]-?: K extends keyof PageRequest ? never : NonNullable<Q[K]> extends string ? K : never;
}[keyof Q] &
  string;

/** `limit`, `offset` and each listed filter that is set: values are trimmed, empty ones are left out. */
export function pagedListParams<Q extends PageRequest>(query: Q, filters: readonly StringFilterKey<Q>[]): HttpParams {
  let params = new HttpParams().set('limit', query.limit).set('offset', query.offset);
  for (const key of filters) {
    const value = (query[key] as string | undefined)?.trim();
    if (value !== undefined && value !== '') {
      params = params.set(key, value);
    }
  }
  return params;
}

/** `X-Total-Count` as a count, or offset + rows received when it is missing or bogus. */
export function totalCount(header: string | null, offset: number, received: number): number {
  const parsed = header === null ? Number.NaN : Number(header);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : offset + received;
}

/**
 * `GET url` for one page of a list endpoint (newest first, as the API sorts): sends the paging and
 * the set filters (see `pagedListParams`), reads the total from `X-Total-Count`.
 */
export function getPage<T, Q extends PageRequest>(
  http: HttpClient,
  url: string,
  query: Q,
  filters: readonly StringFilterKey<Q>[],
): Observable<Page<T>> {
  return http.get<T[]>(url, { params: pagedListParams(query, filters), observe: 'response' }).pipe(
    map((response) => {
      const rows = response.body ?? [];
      return {
        rows,
        total: totalCount(response.headers.get('X-Total-Count'), query.offset, rows.length),
        totalExact: response.headers.get('X-Total-Count-Exact') !== 'false',
      };
    }),
  );
}

import type { ParamMap, Params } from '@angular/router';

/** Paging of a list view kept in the URL query (`?page=2&size=50`). */
export interface PagedView {
  /** 1-based. */
  readonly page: number;
  readonly size: number;
}

/**
 * Reads the values of a view from its URL query (`ActivatedRoute.queryParamMap`). Every reader returns
 * null (or the default) for a missing or invalid value, so a hand-edited URL never breaks the page.
 */
export class QueryParamReader {
  constructor(private readonly params: ParamMap) {}

  /** The value as given, if `accept` takes it (a pattern, a date parser, …). */
  valid(name: string, accept: (value: string) => boolean): string | null {
    const value = this.params.get(name);
    return value !== null && accept(value) ? value : null;
  }

  /** Free text: trimmed and cut to `maxLength`; null when empty or when `accept` refuses the result. */
  text(name: string, maxLength: number, accept: (value: string) => boolean = () => true): string | null {
    const value = this.params.get(name)?.trim().slice(0, maxLength) ?? '';
    return value !== '' && accept(value) ? value : null;
  }

  /** One of `values` (an enum such as a status). */
  oneOf<T extends string>(name: string, values: readonly T[]): T | null {
    const value = this.params.get(name);
    return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
  }

  /** `page` (1-based, default 1) and `size` (one of `sizes`, default `defaultSize`). */
  paging(sizes: readonly number[], defaultSize: number): PagedView {
    const page = Number(this.params.get('page'));
    const size = Number(this.params.get('size'));
    return {
      page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
      size: sizes.includes(size) ? size : defaultSize,
    };
  }
}

/**
 * Router query params of a view: its `filters` (in that order; null drops a param) and its paging,
 * where the defaults are dropped so URLs stay short. Keys not listed never reach the URL.
 */
export function viewQueryParams<V extends PagedView>(
  view: V,
  filters: readonly Exclude<keyof V & string, keyof PagedView>[],
  defaultSize: number,
): Params {
  const params: Params = {};
  for (const key of filters) {
    params[key] = view[key];
  }
  return { ...params, page: view.page === 1 ? null : view.page, size: view.size === defaultSize ? null : view.size };
}

/** The API's `limit`/`offset` for a page of a view. */
export function pageRequest(view: PagedView): { readonly limit: number; readonly offset: number } {
  return { limit: view.size, offset: (view.page - 1) * view.size };
}

/** The optional filters of an API query: only the entries that are set (not null, undefined or ''). */
export function setFilters<T extends Readonly<Record<string, string | null | undefined>>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as { [K in keyof T]?: Exclude<T[K], null | undefined> };
}

import type { Cdr } from '@velora/sippy';
import { SAVED_VIEW_PATHS, SAVED_VIEW_QUERY_PARAM, type SavedViewScope } from '@velora/contracts';

export { SAVED_VIEW_SCOPES, SAVED_VIEW_SORTS, type SavedViewScope, type SavedViewSort } from '@velora/contracts';

export const DEFAULT_VIEW_TIME_ZONE = 'Europe/Istanbul';

/** Filters of the CDR list that describe paging, not the view: never stored in a view. */
export const PAGING_PARAMETERS: readonly string[] = ['limit', 'offset', 'cursor'];

/** Most views a user may own (a runaway script must not fill the table). */
export const MAX_VIEWS_PER_USER = 200;

/** Columns of a `cdrs` view saved without `columns`: the live table's default columns. */
export const DEFAULT_CDR_VIEW_COLUMNS: readonly (keyof Cdr)[] = [
  'start_time',
  'caller',
  'callee',
  'direction',
  'status',
  'country',
  'city',
  'duration',
];

/** The web app's shareable URL of a view (`/voip-crm?view=<id>`). */
export function savedViewUrl(scope: SavedViewScope, id: string): string {
  return `${SAVED_VIEW_PATHS[scope]}?${SAVED_VIEW_QUERY_PARAM}=${encodeURIComponent(id)}`;
}

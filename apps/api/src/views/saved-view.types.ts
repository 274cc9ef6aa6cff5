export const SAVED_VIEW_SCOPES = ['cdrs', 'reports'] as const;
export type SavedViewScope = (typeof SAVED_VIEW_SCOPES)[number];

/**
 * Orders a view can ask for: exactly what GET /api/sippy/cdrs serves (newest first). A sort the list cannot serve
 * is refused rather than silently ignored; the list grows with the list endpoint.
 */
export const SAVED_VIEW_SORTS = ['start_time:desc'] as const;
export type SavedViewSort = (typeof SAVED_VIEW_SORTS)[number];

export const DEFAULT_VIEW_TIME_ZONE = 'Europe/Istanbul';

/** Filters of the CDR list that describe paging, not the view: never stored in a view. */
export const PAGING_PARAMETERS: readonly string[] = ['limit', 'offset', 'cursor'];

/** Most views a user may own (a runaway script must not fill the table). */
export const MAX_VIEWS_PER_USER = 200;

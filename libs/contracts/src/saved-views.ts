// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.

/** Where a saved view belongs: `cdrs` = the live view / CDR list, `reports` = the reports screen. */
export const SAVED_VIEW_SCOPES = ['cdrs', 'reports'] as const;
export type SavedViewScope = (typeof SAVED_VIEW_SCOPES)[number];

/**
 * Orders a view can ask for: exactly what GET /api/sippy/cdrs serves (newest first). A sort the list cannot serve
 * is refused rather than silently ignored; the list grows with the list endpoint.
 */
export const SAVED_VIEW_SORTS = ['start_time:desc'] as const;
export type SavedViewSort = (typeof SAVED_VIEW_SORTS)[number];

/** Query parameter of the web app that opens a saved view: `/voip-crm?view=<id>`, `/reports?view=<id>`. */
export const SAVED_VIEW_QUERY_PARAM = 'view';

/** Web app path of each scope (the shareable URL of a view is `<path>?view=<id>`). */
export const SAVED_VIEW_PATHS: Readonly<Record<SavedViewScope, string>> = { cdrs: '/voip-crm', reports: '/reports' };

/**
 * Settings of the reports screen a `reports` view keeps besides the CDR filters and the date range
 * (`bucket`: hour|day|week|month, `breakdown`: the breakdown dimension, `top` / `metric`: the top list).
 */
export const REPORT_VIEW_SETTINGS = ['bucket', 'breakdown', 'top', 'metric'] as const;
export type ReportViewSetting = (typeof REPORT_VIEW_SETTINGS)[number];

/**
 * A view as GET/POST/PATCH /api/views answer it. `filters` use the names of the screen's URL; `from`/`to` are
 * calendar days (`2026-11-24`, `to` inclusive) in `time_zone` or exact ISO instants (`to` exclusive); a view
 * without them always shows the latest calls (live view) or the last 7 days (reports).
 */
export interface SavedView {
  readonly id: string;
  readonly name: string;
  readonly scope: SavedViewScope;
  readonly shared: boolean;
  /** The view belongs to the caller. */
  readonly mine: boolean;
  /** The caller may rename, change and delete it (the owner, or an admin for a shared view). */
  readonly editable: boolean;
  readonly owner: { readonly id: string; readonly email: string };
  readonly filters: Readonly<Record<string, string | number>>;
  /** CDR columns in display order (`cdrs`); empty for `reports`. */
  readonly columns: readonly string[];
  readonly sort: SavedViewSort;
  readonly time_zone: string;
  /** Shareable path in the web app: `/voip-crm?view=<id>` or `/reports?view=<id>`. */
  readonly url: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Body of POST /api/views (PATCH takes any subset). */
export interface SavedViewInput {
  readonly name: string;
  readonly scope: SavedViewScope;
  readonly shared?: boolean;
  readonly filters: Readonly<Record<string, string | number>>;
  readonly columns?: readonly string[];
  readonly sort?: SavedViewSort;
  readonly time_zone?: string;
}

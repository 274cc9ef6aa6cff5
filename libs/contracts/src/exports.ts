// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.

/** File formats of GET /api/sippy/cdrs/export and GET /api/reports/<report>/export. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** CSV field separators (`tab` = a tab character). `;` is the default: Turkish Excel opens it as columns. */
export const EXPORT_DELIMITERS = [';', ',', 'tab'] as const;
export type ExportDelimiter = (typeof EXPORT_DELIMITERS)[number];

/** Orders a CDR export can be written in: the list's order (newest first) or its reverse. */
export const CDR_EXPORT_SORTS = ['start_time:desc', 'start_time:asc'] as const;
export type CdrExportSort = (typeof CDR_EXPORT_SORTS)[number];

/** Reports that have an `/export` sibling (`GET /api/reports/timeseries/export?format=xlsx&…`). */
export const EXPORTABLE_REPORTS = ['timeseries', 'breakdown', 'top', 'compare'] as const;
export type ExportableReport = (typeof EXPORTABLE_REPORTS)[number];

/**
 * What GET /api/sippy/cdrs/:id adds to the canonical CDR: the PDD the switch sent, where the row came from, when it
 * was first stored and last changed, and (admins only) the raw switch record.
 */
export interface CdrDetailExtras {
  /** Post-dial delay in seconds: Sippy `pdd1xx`, else `delay`; null when the switch sent neither. */
  readonly pdd: number | null;
  /** The source the record came from (`sippy`). */
  readonly source: string;
  readonly first_seen_at: string;
  readonly updated_at: string;
  /** The switch's record as received; only in an admin's answer. */
  readonly raw?: Readonly<Record<string, unknown>>;
}

/** Query parameter of the web app's live view that opens a CDR's detail drawer: `/voip-crm?cdr=<id>`. */
export const CDR_DETAIL_QUERY_PARAM = 'cdr';

// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.

/**
 * Outcome of re-reading one window from the switch: `complete` = every CDR the switch returned was stored already;
 * `healed` = some were missing and have been inserted now; `failed` = the switch could not be read (nothing lost,
 * nothing changed).
 */
export const RECONCILE_STATUSES = ['complete', 'healed', 'failed'] as const;
export type ReconcileStatus = (typeof RECONCILE_STATUSES)[number];

/** Who started a reconciliation: an admin (POST /api/sippy/reconcile) or the nightly job. */
export const RECONCILE_TRIGGERS = ['manual', 'nightly'] as const;
export type ReconcileTrigger = (typeof RECONCILE_TRIGGERS)[number];

/** The latest check of one window (one UTC hour) as GET and POST /api/sippy/reconcile answer it. */
export interface ReconcileWindow {
  /** Inclusive start (ISO instant, a whole UTC hour). */
  readonly window_start: string;
  /** Exclusive end (ISO instant). */
  readonly window_end: string;
  readonly status: ReconcileStatus;
  /** Distinct CDRs the switch returned whose start lies in the window (null when the read failed). */
  readonly switch_count: number | null;
  /** CDRs stored for the window before the check. */
  readonly stored_before: number;
  /** CDRs the switch returned that were missing and have been inserted. */
  readonly healed: number;
  /** Stored CDRs the switch sent with different content, refreshed by the check. */
  readonly updated: number;
  /** CDRs stored for the window after the check. */
  readonly stored_after: number;
  /** Why the check failed (the upstream's cause, never a credential); null otherwise. */
  readonly error: string | null;
  readonly checked_at: string;
  readonly trigger: ReconcileTrigger;
  /** The admin who asked (email), null for the nightly job. */
  readonly checked_by: string | null;
}

/** Answer of POST /api/sippy/reconcile. */
export interface ReconcileRun {
  readonly from: string;
  readonly to: string;
  readonly status: ReconcileStatus;
  readonly switch_count: number;
  readonly healed: number;
  readonly failed_windows: number;
  readonly windows: readonly ReconcileWindow[];
}

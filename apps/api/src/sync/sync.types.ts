/** Persisted in sync_state under SYNC_STATE_KEY; written in the same transaction as the rows it covers. */
export interface SyncCursorState {
  version: 1;
  /** CDR time up to which the frequent pass has read (ISO). The next frequent pass starts at fast_until − overlap. */
  fast_until: string;
  /**
   * CDR time up to which a full pass has read (ISO). Invariant: every CDR whose start (connect_time) is earlier
   * than full_until − max_call is stored. The next full pass starts at full_until − max_call.
   */
  full_until: string;
  /** Wall-clock time of the last completed full pass (ISO), or null. */
  last_full_pass_at: string | null;
  /** Rows inserted by the sync since the state was created. */
  rows_total: number;
  /** Last successful run (ISO). */
  last_success_at: string | null;
  /**
   * Which switch and CDR scope the cursors belong to (a hash, no secret; `simulator` in demo mode). A run against
   * another source starts a fresh cursor. Absent in states written before it existed: adopted by the next run.
   */
  source?: string;
}

export interface SyncStatus {
  enabled: boolean;
  running: boolean;
  /** Another replica holds the sync lease; this one only serves reads. */
  standby: boolean;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  /** Seconds between now and the newest CDR time fully read. */
  lag_seconds: number | null;
  rows_total: number;
  last_run_rows: number;
  /** Runs failed in a row (committed windows or not). */
  consecutive_failures: number;
  /** Runs failed in a row that committed nothing: the back-off counts these. */
  failures_without_progress: number;
  next_run_at: string | null;
}

export interface SyncRunResult {
  /** 'standby': another replica holds the sync lease, nothing was read. */
  pass: 'fast' | 'full' | 'standby';
  from: string;
  to: string;
  /** Windows (requests to the switch that returned rows or not). */
  requests: number;
  fetched: number;
  inserted: number;
  updated: number;
  skipped: number;
  duration_ms: number;
  /** Requests repeated after a transient failure (timeouts, 5xx, "busy" faults). */
  retries: number;
}

import type { SyncRunResult } from './sync.types';

/**
 * What CdrSyncService tells the outside world about its runs (metrics). An abstract class so that it can be
 * injected by class; the default records nothing. The metrics module provides the real one.
 */
export abstract class SyncRecorder {
  /** A run finished (a pass over the switch, or `standby` when another replica holds the lease). */
  abstract runSucceeded(result: SyncRunResult): void;
  /** A run failed after `durationMs` (the committed windows are kept). */
  abstract runFailed(error: unknown, durationMs: number): void;
}

class NoopSyncRecorder extends SyncRecorder {
  runSucceeded(): void {
    // records nothing
  }

  runFailed(): void {
    // records nothing
  }
}

/** Records nothing (the sync used without the metrics module, e.g. in integration tests). */
export const NOOP_SYNC_RECORDER: SyncRecorder = new NoopSyncRecorder();

/** The CDRs one committed window inserted (the sync's "new CDRs" event). */
export interface CommittedCdrs {
  /** Rows inserted by the commit (updates of known rows do not count). */
  inserted: number;
  /** The newest inserted rows by start time, newest first (at most NEWEST_IDS_LIMIT). */
  newest: ReadonlyArray<{ id: string; startTime: string | null }>;
}

/** How many ids of new CDRs one event carries. */
export const NEWEST_IDS_LIMIT = 20;

/**
 * What CdrSyncService tells the live events about its work: after each committed window, after a failed run and
 * after the first successful run following failed ones. An abstract class so that it can be injected by class; the
 * events module provides the real one. Implementations must return at once and never throw: the sync does not
 * wait for anybody.
 */
export abstract class SyncEventSink {
  abstract cdrsCommitted(batch: CommittedCdrs): void;
  abstract runFailed(failure: { message: string; consecutiveFailures: number }): void;
  abstract runRecovered(recovery: { failedRuns: number }): void;
}

class NoopSyncEventSink extends SyncEventSink {
  cdrsCommitted(): void {
    // publishes nothing
  }

  runFailed(): void {
    // publishes nothing
  }

  runRecovered(): void {
    // publishes nothing
  }
}

/** Publishes nothing (the sync used outside Nest, e.g. in integration tests and benchmarks). */
export const NOOP_SYNC_EVENT_SINK: SyncEventSink = new NoopSyncEventSink();

/** The newest `limit` of `rows` whose id is in `insertedIds`, newest start time first (rows without one last). */
export function newestInserted(
  rows: ReadonlyArray<{ cdr: { id: string; start_time: string | null } }>,
  insertedIds: ReadonlySet<string>,
  limit = NEWEST_IDS_LIMIT,
): CommittedCdrs['newest'] {
  return rows
    .filter((row) => insertedIds.has(row.cdr.id))
    .map((row) => ({ id: row.cdr.id, startTime: row.cdr.start_time }))
    .sort(newestFirst)
    .slice(0, limit);
}

function newestFirst(a: { id: string; startTime: string | null }, b: { id: string; startTime: string | null }): number {
  const ta = a.startTime === null ? Number.NEGATIVE_INFINITY : Date.parse(a.startTime);
  const tb = b.startTime === null ? Number.NEGATIVE_INFINITY : Date.parse(b.startTime);
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/**
 * Tiny benchmark harness: every `bench/*.bench.ts` exports `cases: BenchCase[]`. `bench/run.ts`
 * runs each case in a fresh child process (so memory numbers are not polluted by earlier cases),
 * with `--expose-gc`, one warm-up run and `runs` timed runs, and prints a table.
 */

export interface BenchCase {
  /** Unique within its file, e.g. "ours 20k full". */
  name: string;
  /** Rows with the same group are shown together, e.g. "getAccountCDRs 20k CDRs × 40 fields". */
  group: string;
  /** What is measured in this row, e.g. "saxes decoder (ours)". */
  subject: string;
  /** Timed runs (the median is reported); one extra warm-up run is not counted. */
  runs: number;
  /** Runs once in the child before timing (build inputs here, not in run). */
  prepare(): BenchRun | Promise<BenchRun>;
}

export interface BenchRun {
  /** Input size, for MB/s. */
  bytes: number;
  /** One timed run. Call `sample()` now and then (e.g. per chunk) so peak memory can be tracked. */
  run(sample: () => void): Promise<unknown>;
  /** Throws if a run's result is wrong (a benchmark of a broken decoder is worthless). */
  check(result: unknown): void;
  /** Releases what prepare() opened (servers, databases) so the child process can exit. */
  dispose?(): Promise<void>;
  /** Items (e.g. CDRs) one run handles: the table then shows items/s. */
  items?: number;
  /**
   * For a run done by another process (e.g. the Python reference): its own measurement of the run,
   * taken instead of the harness's clock (which would count the process start-up).
   */
  measured?(result: unknown): { ms: number; cpuMs: number; peakRssBytes: number };
}

/** A bench file may export notes (e.g. a case skipped because a tool is missing) printed under the table. */
export interface BenchModule {
  cases: BenchCase[];
  notes?: string[];
}

export interface BenchResult {
  file: string;
  name: string;
  group: string;
  subject: string;
  bytes: number;
  runs: number;
  timesMs: number[];
  medianMs: number;
  /** CPU time (user + system, all threads) per timed run: steadier than wall time on a shared machine. */
  cpuMs: number[];
  medianCpuMs: number;
  items?: number;
  /** Peak heapUsed above the pre-run baseline, over all timed runs. */
  peakHeapDeltaBytes: number;
  /** Peak RSS above the pre-run baseline, over all timed runs. */
  peakRssDeltaBytes: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

import type { Clock } from './clock';

/**
 * The result of an upstream health probe, reused for `ttlMs` and shared by concurrent callers: Kubernetes probes
 * from many pods every few seconds cost the upstream at most one call per period per process.
 * `run` should resolve with an outcome (failures included), not reject; a rejection is not cached.
 */
export class CachedProbe<T> {
  private cached: { value: T; at: number } | null = null;
  private inFlight: Promise<T> | null = null;
  /** Bumped by invalidate(): a probe started before it is neither cached nor shared afterwards. */
  private generation = 0;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    /** Called with every fresh result (not with cached ones): the integration watch compares it with the last state. */
    private readonly onFresh?: (value: T) => void,
  ) {}

  get(): Promise<T> {
    if (this.cached && this.clock.now() - this.cached.at < this.ttlMs) {
      return Promise.resolve(this.cached.value);
    }
    if (this.inFlight !== null) return this.inFlight;
    const generation = this.generation;
    const probe = this.run()
      .then((value) => {
        if (generation === this.generation) {
          this.cached = { value, at: this.clock.now() };
          this.onFresh?.(value);
        }
        return value;
      })
      .finally(() => {
        if (this.inFlight === probe) this.inFlight = null;
      });
    this.inFlight = probe;
    return probe;
  }

  /**
   * Forget the cached result (e.g. after a call learned that the upstream state changed, or the client was
   * replaced): the next get() probes again, even while an older probe is still running.
   */
  invalidate(): void {
    this.cached = null;
    this.inFlight = null;
    this.generation += 1;
  }
}

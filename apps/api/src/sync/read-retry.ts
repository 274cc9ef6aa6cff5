import { isTransientSippyError } from '@velora/sippy';

export interface ReadRetryPolicy {
  /** Tries per read, the first included (1 = no retry). */
  attempts: number;
  /** First back-off; doubles per retry (full jitter: a random delay in [0, base × 2^(n−1)]). */
  baseDelayMs: number;
  /** Ceiling of one back-off. */
  maxDelayMs: number;
}

export interface ReadRetryHooks {
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter. */
  random(): number;
  /** Called before each retry (for counting and logs). */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** Stop retrying (shutdown): the last error is thrown at once. */
  stopped?(): boolean;
}

/**
 * Runs an idempotent read of the switch, retrying it while the failure is transient (`isTransientSippyError`:
 * timeouts, dropped connections, 5xx, "database is busy" faults) with a short jittered exponential back-off.
 * Wrong credentials, TLS, configuration and permission failures are thrown at once: asking again cannot help.
 */
export async function retryRead<T>(read: () => Promise<T>, policy: ReadRetryPolicy, hooks: ReadRetryHooks): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error: unknown) {
      if (attempt >= attempts || !isTransientSippyError(error) || hooks.stopped?.() === true) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(hooks.random() * cap);
      hooks.onRetry?.(error, attempt, delayMs);
      await hooks.sleep(delayMs);
    }
  }
}

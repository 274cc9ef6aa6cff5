/**
 * A tiny FIFO mutex. acquire() resolves with a release function; a waiter whose signal aborts
 * leaves the queue and rejects with the signal's reason, without disturbing the others.
 */
export class PromiseMutex {
  private locked = false;
  private readonly waiters: Array<(release: () => void) => void> = [];

  get isLocked(): boolean {
    return this.locked;
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal));
      };
      const grant = (release: () => void): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(this.releaser());
      else this.locked = false;
    };
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

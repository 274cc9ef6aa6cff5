import { SippyError } from '@velora/sippy';
import { retryRead, type ReadRetryHooks } from './read-retry';

const busy = (): SippyError => new SippyError('fault', 'busy', { faultCode: 500, faultString: 'Database is busy, try again later' });

function hooks(random = 0.5): ReadRetryHooks & { sleeps: number[]; retries: number } {
  const h = {
    sleeps: [] as number[],
    retries: 0,
    sleep(ms: number): Promise<void> {
      h.sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => random,
    onRetry(): void {
      h.retries += 1;
    },
  };
  return h;
}

function failing(errors: Error[], value = 'ok'): () => Promise<string> {
  let call = 0;
  return () => {
    const error = errors.at(call++); // undefined once the errors are used up
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
}

describe('retryRead', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

  it('retries transient failures with a jittered, doubling, capped back-off and returns the value', async () => {
    const h = hooks(0.5);
    await expect(retryRead(failing([busy(), new SippyError('timeout', 't'), busy()]), policy, h)).resolves.toBe('ok');
    expect(h.sleeps).toEqual([50, 100, 125]); // 0.5 × min(250, 100 × 2^n)
    expect(h.retries).toBe(3);
  });

  it('gives up after the last attempt with the last error', async () => {
    const h = hooks();
    const last = new SippyError('unreachable', 'ECONNRESET');
    await expect(retryRead(failing([busy(), busy(), busy(), last]), policy, h)).rejects.toBe(last);
    expect(h.sleeps).toHaveLength(3);
  });

  it.each([
    ['wrong credentials', new SippyError('auth', 'rejected')],
    ['a permission fault', new SippyError('fault', 'denied', { faultCode: 403, faultString: 'Access denied' })],
    ['a bad configuration', new SippyError('config', 'bad url')],
    ['a non-Sippy error', new Error('bug')],
  ])('does not retry %s', async (_label, error) => {
    const h = hooks();
    await expect(retryRead(failing([error]), policy, h)).rejects.toBe(error);
    expect(h.sleeps).toEqual([]);
  });

  it('stops retrying at shutdown', async () => {
    const h = { ...hooks(), stopped: () => true };
    const error = busy();
    await expect(retryRead(failing([error]), policy, h)).rejects.toBe(error);
  });

  it('with attempts = 1 never retries', async () => {
    const h = hooks();
    const error = busy();
    await expect(retryRead(failing([error]), { ...policy, attempts: 1 }, h)).rejects.toBe(error);
  });
});

import { PromiseMutex } from './promise-mutex';

describe('PromiseMutex', () => {
  it('grants the lock in FIFO order, one holder at a time', async () => {
    const mutex = new PromiseMutex();
    const order: string[] = [];
    let active = 0;
    const task = async (name: string, ticks: number) => {
      const release = await mutex.acquire();
      active += 1;
      expect(active).toBe(1);
      order.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      order.push(`end ${name}`);
      active -= 1;
      release();
    };
    await Promise.all([task('a', 3), task('b', 1), task('c', 0)]);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(mutex.isLocked).toBe(false);
  });

  it('drops an aborted waiter without blocking the queue, and ignores double release', async () => {
    const mutex = new PromiseMutex();
    const release = await mutex.acquire();
    const controller = new AbortController();
    const aborted = mutex.acquire(controller.signal);
    const next = mutex.acquire();
    expect(mutex.queueLength).toBe(2);
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    expect(mutex.queueLength).toBe(1);
    release();
    release();
    const releaseNext = await next;
    expect(mutex.isLocked).toBe(true);
    releaseNext();
    expect(mutex.isLocked).toBe(false);
  });

  it('rejects at once for an already aborted signal', async () => {
    const mutex = new PromiseMutex();
    await expect(mutex.acquire(AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
    expect(mutex.isLocked).toBe(false);
  });
});

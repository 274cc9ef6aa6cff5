import { FakeClock } from '../../../../test/support/fake-clock';
import { CachedProbe } from './cached-probe';

describe('CachedProbe', () => {
  it('shares one run between concurrent callers and reuses it until the TTL ends', async () => {
    const clock = new FakeClock(0);
    let runs = 0;
    const probe = new CachedProbe(() => Promise.resolve(++runs), 1000, clock);
    expect(await Promise.all([probe.get(), probe.get(), probe.get()])).toEqual([1, 1, 1]);
    clock.advance(999);
    expect(await probe.get()).toBe(1);
    clock.advance(1);
    expect(await probe.get()).toBe(2);
    probe.invalidate();
    expect(await probe.get()).toBe(3);
  });

  it('hands every fresh result, never a cached one, to onFresh', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    let runs = 0;
    const probe = new CachedProbe(() => Promise.resolve(++runs), 1000, clock, (value) => seen.push(value));
    await Promise.all([probe.get(), probe.get()]);
    await probe.get();
    expect(seen).toEqual([1]);
    clock.advance(1000);
    await probe.get();
    expect(seen).toEqual([1, 2]);
  });

  it('does not cache a rejection', async () => {
    let fail = true;
    const probe = new CachedProbe(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve('ok')), 60_000, new FakeClock(0));
    await expect(probe.get()).rejects.toThrow('boom');
    fail = false;
    await expect(probe.get()).resolves.toBe('ok');
  });

  it('after invalidate() neither caches nor shares a probe that was already running (the client was replaced)', async () => {
    const clock = new FakeClock(0);
    const releases: Array<() => void> = [];
    let runs = 0;
    const probe = new CachedProbe(
      () =>
        new Promise<number>((resolve) => {
          const run = ++runs;
          releases.push(() => {
            resolve(run);
          });
        }),
      60_000,
      clock,
    );
    const old = probe.get(); // probing the old client
    probe.invalidate(); // new settings
    const fresh = probe.get();
    expect(runs).toBe(2); // not joined to the old probe
    releases[0]?.();
    releases[1]?.();
    expect(await old).toBe(1);
    expect(await fresh).toBe(2);
    expect(await probe.get()).toBe(2); // the old answer was not cached over the new one
    expect(runs).toBe(2);
  });
});

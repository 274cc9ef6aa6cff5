import { LiveClient, type LiveClientInfo } from './live-client';

describe('LiveClient', () => {
  it('is ready at the first swap (or confirm), announces every swap and hands back the previous client', async () => {
    const live = new LiveClient<string, LiveClientInfo>('placeholder', { mode: 'unconfigured' });
    let ready = false;
    void live.ready.then(() => {
      ready = true;
    });
    const seen: string[] = [];
    live.changes.subscribe((state) => seen.push(`${state.client}#${String(state.generation)}`));
    await Promise.resolve();
    expect(ready).toBe(false);

    const previous = live.swap('client-a', { mode: 'live' });
    await live.ready;
    expect(ready).toBe(true);
    expect(previous).toMatchObject({ client: 'placeholder', generation: 0 });
    expect(live.current).toMatchObject({ client: 'client-a', info: { mode: 'live' }, generation: 1 });
    live.swap('client-b', { mode: 'live' });
    expect(seen).toEqual(['client-a#1', 'client-b#2']);
  });

  it('can be ready from the start (tests) or once the settings confirmed the client', async () => {
    await expect(new LiveClient(1, { mode: 'live' }, { ready: true }).ready).resolves.toBeUndefined();
    const confirmed = new LiveClient(1, { mode: 'simulator' });
    confirmed.confirm();
    await expect(confirmed.ready).resolves.toBeUndefined();
    expect(confirmed.current.generation).toBe(0);
  });
});

import { FakeXmlRpcTransport } from '../../testing/fake-xml-rpc-transport';
import { SippyError } from '../errors/sippy.error';
import { type XmlRpcCallEvent, ObservedXmlRpcTransport } from './observed-xml-rpc-transport';

describe('ObservedXmlRpcTransport', () => {
  const events: XmlRpcCallEvent[] = [];
  const fake = new FakeXmlRpcTransport({
    listAccounts: () => ({ result: 'OK', accounts: [] }),
    getAccountCDRs: () => {
      throw new SippyError('timeout', 'no answer');
    },
    boom: () => {
      throw new Error('not a SippyError');
    },
  });
  const observed = new ObservedXmlRpcTransport(fake, { onCall: (e) => events.push(e) });

  beforeEach(() => {
    events.length = 0;
  });

  it('passes calls through and reports the method, a duration and ok', async () => {
    await expect(observed.call('listAccounts', [{ limit: 1 }])).resolves.toEqual({ result: 'OK', accounts: [] });
    expect(events.map(({ durationSeconds: _, ...rest }) => rest)).toEqual([{ method: 'listAccounts', outcome: 'ok' }]);
    expect(events[0]?.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(fake.calls.map((c) => c.method)).toEqual(['listAccounts']);
    expect(observed.endpoint).toBe(fake.endpoint);
  });

  it('reports the SippyError kind (unreachable for anything else) and rethrows the same error', async () => {
    await expect(observed.call('getAccountCDRs', [])).rejects.toMatchObject({ kind: 'timeout' });
    await expect(observed.call('boom', [])).rejects.toThrow('not a SippyError');
    expect(events.map((e) => [e.method, e.outcome])).toEqual([
      ['getAccountCDRs', 'timeout'],
      ['boom', 'unreachable'],
    ]);
  });

  it('never lets a throwing observer break a call', async () => {
    const fragile = new ObservedXmlRpcTransport(fake, {
      onCall: () => {
        throw new Error('observer bug');
      },
    });
    await expect(fragile.call('listAccounts', [])).resolves.toEqual({ result: 'OK', accounts: [] });
  });

  it('closes the inner transport', async () => {
    await observed.close();
    expect(fake.closed).toBe(true);
  });
});

import { FakeXmlRpcTransport, makeRawSippyCdr } from '../../testing';
import { SippyError } from '../errors/sippy.error';
import { SippyClient } from './sippy.client';

const start = new Date(Date.UTC(2026, 10, 24, 10, 0, 0));
const end = new Date(Date.UTC(2026, 10, 24, 11, 0, 0));

describe('SippyClient', () => {
  it('getAccountCDRs sends an explicit window in Sippy format (b), type all by default, and returns the structs', async () => {
    const cdr = makeRawSippyCdr();
    const transport = new FakeXmlRpcTransport({ getAccountCDRs: () => ({ result: 'OK', cdrs: [cdr] }) });
    const client = new SippyClient(transport);
    await expect(client.getCdrs({ startDate: start, endDate: end, limit: 500 })).resolves.toEqual([cdr]);
    expect(transport.calls[0].params).toEqual([
      {
        start_date: '10:00:00.000 GMT Tue Nov 24 2026',
        end_date: '11:00:00.000 GMT Tue Nov 24 2026',
        type: 'all',
        offset: 0,
        limit: 500,
        cli: undefined,
        cld: undefined,
        i_account: undefined,
        i_customer: undefined,
      },
    ]);
  });

  it('uses getCustomerCDRs with i_customer, and i_wholesaler in trusted mode, when the source is customer', async () => {
    const transport = new FakeXmlRpcTransport({ getCustomerCDRs: () => ({ result: 'OK', cdrs: [] }) });
    const client = new SippyClient(transport, { cdrSource: 'customer', iCustomer: 7, trustedCustomerId: 1, cdrType: 'non_zero' });
    await client.getCdrs({ startDate: start, endDate: end });
    expect(transport.calls[0].method).toBe('getCustomerCDRs');
    expect(transport.calls[0].params[0]).toMatchObject({ i_customer: 7, i_wholesaler: 1, type: 'non_zero' });
  });

  it('trusted mode sends i_customer to getAccountCDRs and listAccounts', async () => {
    const transport = new FakeXmlRpcTransport({
      getAccountCDRs: () => ({ result: 'OK', cdrs: [] }),
      listAccounts: () => ({ result: 'OK', accounts: [] }),
    });
    const client = new SippyClient(transport, { trustedCustomerId: 1, iAccount: 1042 });
    await client.getAccountCDRs({ startDate: start, endDate: end });
    await client.listAccounts(0, 1);
    expect(transport.calls[0].params[0]).toMatchObject({ i_customer: 1, i_account: 1042 });
    expect(transport.calls[1].params[0]).toEqual({ offset: 0, limit: 1, i_customer: 1 });
  });

  it('accepts a bare array and an absent cdrs member (no CDRs)', async () => {
    const cdr = makeRawSippyCdr();
    const bare = new SippyClient(new FakeXmlRpcTransport({ getAccountCDRs: () => [cdr] }));
    await expect(bare.getCdrs({ startDate: start, endDate: end })).resolves.toEqual([cdr]);
    const empty = new SippyClient(new FakeXmlRpcTransport({ getAccountCDRs: () => ({ result: 'OK' }) }));
    await expect(empty.getCdrs({ startDate: start, endDate: end })).resolves.toEqual([]);
  });

  it('rejects unexpected shapes as malformed and a non-OK result as a fault', async () => {
    const cases: Array<[unknown, string]> = [
      ['OK', 'malformed'],
      [{ result: 'OK', cdrs: 'x' }, 'malformed'],
      [{ result: 'OK', cdrs: [1] }, 'malformed'],
      [{ result: 'Failed', cdrs: [] }, 'fault'],
    ];
    for (const [answer, kind] of cases) {
      const client = new SippyClient(new FakeXmlRpcTransport({ getAccountCDRs: () => answer as never }));
      await expect(client.getCdrs({ startDate: start, endDate: end })).rejects.toMatchObject({ name: 'SippyError', kind });
    }
  });

  it('refuses an empty or inverted window before calling the switch', async () => {
    const transport = new FakeXmlRpcTransport({ getAccountCDRs: () => ({ result: 'OK', cdrs: [] }) });
    const client = new SippyClient(transport);
    await expect(client.getCdrs({ startDate: end, endDate: start })).rejects.toMatchObject({ kind: 'config' });
    expect(transport.calls).toHaveLength(0);
  });

  it('listMethods returns the sorted names, or null when introspection is a fault', async () => {
    const withIntrospection = new SippyClient(
      new FakeXmlRpcTransport({ 'system.listMethods': () => ['listAccounts', 'getAccountCDRs', 7] }),
    );
    await expect(withIntrospection.listMethods()).resolves.toEqual(['getAccountCDRs', 'listAccounts']);
    const without = new SippyClient(new FakeXmlRpcTransport());
    await expect(without.listMethods()).resolves.toBeNull();
  });

  it('listMethods still throws transport failures', async () => {
    const transport = new FakeXmlRpcTransport().failWith('system.listMethods', new SippyError('auth', 'authentication failed'));
    await expect(new SippyClient(transport).listMethods()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('probe calls the CDR method over one minute with limit 1 by default (or listAccounts) and reports latency', async () => {
    const transport = new FakeXmlRpcTransport({
      listAccounts: () => ({ result: 'OK', accounts: [] }),
      getAccountCDRs: () => ({ result: 'OK', cdrs: [] }),
    });
    const viaAccounts = await new SippyClient(transport, { probeMethod: 'listAccounts' }).probe();
    expect(viaAccounts.method).toBe('listAccounts');
    expect(viaAccounts.latencyMs).toBeGreaterThanOrEqual(0);
    expect(transport.calls[0]).toEqual({ method: 'listAccounts', params: [{ offset: 0, limit: 1, i_customer: undefined }] });
    const viaCdrs = await new SippyClient(transport).probe();
    expect(viaCdrs.method).toBe('getAccountCDRs');
    expect(transport.calls[1].method).toBe('getAccountCDRs');
    expect(transport.calls[1].params[0]).toMatchObject({ limit: 1 });
    await new SippyClient(transport, { probeMethod: 'getAccountCDRs' }).probe(undefined, 'listAccounts');
    expect(transport.calls[2].method).toBe('listAccounts');
  });

  it('propagates transport errors unchanged', async () => {
    const error = new SippyError('timeout', 'no answer within 100 ms');
    const client = new SippyClient(new FakeXmlRpcTransport().failWith('getAccountCDRs', error));
    await expect(client.getCdrs({ startDate: start, endDate: end })).rejects.toBe(error);
  });
});

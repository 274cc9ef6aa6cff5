import { SippyClient, SippyError } from '@velora/sippy';
import { FakeXmlRpcTransport } from '@velora/sippy/testing';
import { FakeClock } from '../../../../test/support/fake-clock';
import { AppConfig } from '../config/app-config';
import { SippyLiveClient } from './sippy-live-client';
import { SippyProbeService } from './sippy-probe.service';

const live = { SIPPY_RPC_URL: 'https://switch.test/xmlapi/xmlapi', SIPPY_HEALTH_CACHE_SECONDS: '5' };

describe('SippyProbeService', () => {
  it('shares one upstream call between concurrent checks and caches it for the configured time', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transport = new FakeXmlRpcTransport({
      listAccounts: async () => {
        await gate;
        return { result: 'OK', accounts: [] };
      },
    });
    const clock = new FakeClock(1_000_000);
    const probe = new SippyProbeService(
      SippyLiveClient.of(new SippyClient(transport, { probeMethod: 'listAccounts' })),
      AppConfig.fromEnv(live),
      clock,
    );
    const checks = Array.from({ length: 20 }, () => probe.check());
    release();
    const outcomes = await Promise.all(checks);
    expect(transport.callsOf('listAccounts')).toHaveLength(1);
    expect(outcomes.every((o) => o.up && o.mode === 'live')).toBe(true);

    clock.advance(4_000);
    await probe.check();
    expect(transport.callsOf('listAccounts')).toHaveLength(1);
    clock.advance(1_500);
    await probe.check();
    expect(transport.callsOf('listAccounts')).toHaveLength(2);
  });

  it('reports the cause of a failure, cached too', async () => {
    const transport = new FakeXmlRpcTransport().failWith(
      'listAccounts',
      new SippyError('tls', 'certificate rejected (DEPTH_ZERO_SELF_SIGNED_CERT)'),
    );
    const probe = new SippyProbeService(
      SippyLiveClient.of(new SippyClient(transport, { probeMethod: 'listAccounts' })),
      AppConfig.fromEnv(live),
      new FakeClock(0),
    );
    await expect(probe.check()).resolves.toMatchObject({ up: false, cause: 'tls', latency_ms: null });
    await probe.check();
    expect(transport.callsOf('listAccounts')).toHaveLength(1);
  });

  it('never calls anything when SippySoft is not configured', async () => {
    const transport = new FakeXmlRpcTransport();
    const probe = new SippyProbeService(
      SippyLiveClient.of(new SippyClient(transport), 'unconfigured'),
      AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' }),
      new FakeClock(0),
    );
    await expect(probe.check()).resolves.toMatchObject({ up: false, mode: 'unconfigured', cause: 'not_configured' });
    expect(transport.calls).toHaveLength(0);
  });

  describe('a switch that answers with faults', () => {
    const denied = (method: string): SippyError =>
      new SippyError('fault', `${method}: fault 403`, {
        faultCode: 403,
        faultString: 'Access denied: method is not allowed for this user',
      });
    const busy = new SippyError('fault', 'fault 500', { faultCode: 500, faultString: 'Database is busy, try again later' });
    const probeOf = (transport: FakeXmlRpcTransport, probeMethod?: 'listAccounts' | 'getAccountCDRs'): SippyProbeService =>
      new SippyProbeService(
        SippyLiveClient.of(new SippyClient(transport, probeMethod ? { probeMethod } : {})),
        AppConfig.fromEnv(live),
        new FakeClock(0),
      );

    it('probes the CDR method the sync uses by default', async () => {
      const transport = new FakeXmlRpcTransport({ getAccountCDRs: () => Promise.resolve({ result: 'OK', cdrs: [] }) });
      await expect(probeOf(transport).check()).resolves.toMatchObject({ up: true, method: 'getAccountCDRs' });
      expect(transport.callsOf('listAccounts')).toHaveLength(0);
    });

    it('falls back to the CDR method when listAccounts is refused (a CDR-only API user): up, with a note', async () => {
      const transport = new FakeXmlRpcTransport({ getAccountCDRs: () => Promise.resolve({ result: 'OK', cdrs: [] }) }).failWith(
        'listAccounts',
        denied('listAccounts'),
      );
      const outcome = await probeOf(transport, 'listAccounts').check();
      expect(outcome).toMatchObject({ up: true, method: 'getAccountCDRs' });
      expect(outcome.note).toMatch(/listAccounts answered a fault \(403 Access denied.*probed getAccountCDRs/);
      expect(outcome.cause).toBeUndefined();
    });

    it('is up with a note when the CDR method answers a transient fault (reachable, credentials accepted)', async () => {
      const transport = new FakeXmlRpcTransport().failWith('getAccountCDRs', busy);
      const outcome = await probeOf(transport).check();
      expect(outcome).toMatchObject({ up: true, method: 'getAccountCDRs', latency_ms: null });
      expect(outcome.note).toMatch(/Database is busy/);
    });

    it('is down (auth) when the CDR method itself is refused: the sync cannot work', async () => {
      const transport = new FakeXmlRpcTransport().failWith('getAccountCDRs', denied('getAccountCDRs'));
      const outcome = await probeOf(transport).check();
      expect(outcome).toMatchObject({ up: false, cause: 'auth', method: 'getAccountCDRs' });
      expect(outcome.message).toMatch(/refused getAccountCDRs.*CDR sync cannot work/);
    });

    it('is down (auth) when both listAccounts and the CDR method are refused', async () => {
      const transport = new FakeXmlRpcTransport()
        .failWith('listAccounts', denied('listAccounts'))
        .failWith('getAccountCDRs', denied('getAccountCDRs'));
      await expect(probeOf(transport, 'listAccounts').check()).resolves.toMatchObject({ up: false, cause: 'auth' });
    });

    it('does not fall back on a wrong password: down, auth', async () => {
      const transport = new FakeXmlRpcTransport().failWith(
        'listAccounts',
        new SippyError('auth', 'rejected the credentials', { httpStatus: 401 }),
      );
      await expect(probeOf(transport, 'listAccounts').check()).resolves.toMatchObject({ up: false, cause: 'auth' });
      expect(transport.callsOf('getAccountCDRs')).toHaveLength(0);
    });
  });
});

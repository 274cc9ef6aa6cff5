import { SippyClient, SippyError } from '@velora/sippy';
import { FakeXmlRpcTransport } from '@velora/sippy/testing';
import { FakeClock } from '../../../../test/support/fake-clock';
import { AppConfig } from '../config/app-config';
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
    const probe = new SippyProbeService(new SippyClient(transport), AppConfig.fromEnv(live), clock);
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
    const transport = new FakeXmlRpcTransport().failWith('listAccounts', new SippyError('tls', 'certificate rejected (DEPTH_ZERO_SELF_SIGNED_CERT)'));
    const probe = new SippyProbeService(new SippyClient(transport), AppConfig.fromEnv(live), new FakeClock(0));
    await expect(probe.check()).resolves.toMatchObject({ up: false, cause: 'tls', latency_ms: null });
    await probe.check();
    expect(transport.callsOf('listAccounts')).toHaveLength(1);
  });

  it('never calls anything when SippySoft is not configured', async () => {
    const transport = new FakeXmlRpcTransport();
    const probe = new SippyProbeService(new SippyClient(transport), AppConfig.fromEnv({ SIPPY_SIMULATOR: 'off' }), new FakeClock(0));
    await expect(probe.check()).resolves.toMatchObject({ up: false, mode: 'unconfigured', cause: 'not_configured' });
    expect(transport.calls).toHaveLength(0);
  });
});

import { SippySimulator } from '@velora/sippy/simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

const PASSWORD = 'e2e-Liveness-Sippy-Pass';

interface HealthBody {
  status: string;
  details: { sippy?: { status: string; cause?: string } };
}

/** SIPPY_HEALTH_STRICT: what /api/sippy/health answers while the switch is down (docs/deploy.md#probes). */
describe('GET /api/sippy/health and SIPPY_HEALTH_STRICT', () => {
  let sim: SippySimulator;
  const apps: TestApp[] = [];

  const start = async (env: Record<string, string>): Promise<TestApp> => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', SIPPY_RPC_URL: sim.url, SIPPY_RPC_USER: 'ssp-root', SIPPY_RPC_PASS: PASSWORD, ...env }, { seedUsers: false });
    apps.push(api);
    return api;
  };

  beforeAll(async () => {
    sim = new SippySimulator({ password: PASSWORD, seed: 3, historyHours: 1 });
    await sim.start();
  });

  afterAll(async () => {
    for (const api of apps) await api.close();
    await cleanUp(sim, (r) => r.stop());
  });

  it('strict (default): 200 up while the switch answers, 503 down with the cause while it does not', async () => {
    const api = await start({});
    expect(api.config.sippy.healthStrict).toBe(true);
    const up = await api.anonymous().get('/api/sippy/health').expect(200);
    expect((up.body as HealthBody).details.sippy?.status).toBe('up');
    await sim.down();
    try {
      const down = await api.anonymous().get('/api/sippy/health').expect(503);
      expect(down.body as HealthBody).toMatchObject({ status: 'error', details: { sippy: { status: 'down', cause: 'unreachable' } } });
    } finally {
      await sim.up();
    }
  });

  it('SIPPY_HEALTH_STRICT=false: 200 "degraded" with the cause while the switch is down (safe for liveness)', async () => {
    const api = await start({ SIPPY_HEALTH_STRICT: 'false' });
    const up = await api.anonymous().get('/api/sippy/health').expect(200);
    expect(up.body as HealthBody).toMatchObject({ status: 'ok', details: { sippy: { status: 'up' } } });
    await sim.down();
    try {
      const degraded = await api.anonymous().get('/api/sippy/health').expect(200);
      expect(degraded.body as HealthBody).toMatchObject({ status: 'degraded', details: { sippy: { status: 'degraded', cause: 'unreachable' } } });
      sim.faults.authFail({ times: 'always' });
      await sim.up();
      const auth = await api.anonymous().get('/api/sippy/health').expect(200);
      expect((auth.body as HealthBody).details.sippy).toEqual({ status: 'degraded', state: 'down', cause: 'auth' }); // anonymous: redacted (state: the switch's own state)
    } finally {
      sim.faults.clear();
      await sim.up();
    }
    await api.anonymous().get('/api/sippy/health').expect(200);
  });

  it('SIPPY_HEALTH_STRICT=false also keeps an unconfigured switch at 200 (degraded, not_configured)', async () => {
    const api = await start({ SIPPY_RPC_URL: '', SIPPY_RPC_USER: '', SIPPY_RPC_PASS: '', SIPPY_SIMULATOR: 'off', SIPPY_HEALTH_STRICT: 'false' });
    const res = await api.anonymous().get('/api/sippy/health').expect(200);
    expect(res.body as HealthBody).toMatchObject({ status: 'degraded', details: { sippy: { status: 'degraded', cause: 'not_configured' } } });
  });
});

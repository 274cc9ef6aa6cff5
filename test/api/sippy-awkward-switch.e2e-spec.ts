import { SippySimulator, PERMISSION_FAULT, TRANSIENT_FAULT } from '@velora/sippy/simulator';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The switch as it is in the field, not as our simulator used to be: an API user that may not call listAccounts,
 * a switch that answers a share of the CDR calls with "database is busy", one that fails every call for a while.
 */
const PASSWORD = 'awkward-e2e-Secret-pass';
const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const INTERVAL_S = 60;

interface HealthBody {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
}

function sippyOf(body: HealthBody): Record<string, unknown> {
  const indicator = body.info?.['sippy'] ?? body.error?.['sippy'];
  if (indicator === undefined) throw new Error(`no sippy indicator in ${JSON.stringify(body)}`);
  return indicator;
}

describe('An awkward SippySoft switch', () => {
  const clock = new FakeClock(T0);
  const started: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];

  const env = (sim: SippySimulator, extra: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: 'memory://',
    SIPPY_RPC_URL: sim.url,
    SIPPY_RPC_USER: 'ssp-root',
    SIPPY_RPC_PASS: PASSWORD,
    SIPPY_SYNC_ENABLED: 'true',
    SIPPY_SYNC_INTERVAL_SECONDS: String(INTERVAL_S), // the test drives the runs with POST /api/sippy/sync
    SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '3',
    SIPPY_SYNC_WINDOW_MINUTES: '30',
    SIPPY_SYNC_PAGE_SIZE: '200',
    SIPPY_MAX_CALL_SECONDS: '3600',
    SIPPY_HEALTH_CACHE_SECONDS: '0',
    SIPPY_SYNC_RETRY_BASE_MS: '5',
    SIPPY_TIMEOUT_MS: '2000',
    ...extra,
  });

  async function simulator(options: ConstructorParameters<typeof SippySimulator>[0] = {}): Promise<SippySimulator> {
    const sim = new SippySimulator({ password: PASSWORD, seed: 909, historyHours: 3, callsPerMinute: 4, maxCallSeconds: 3600, now: () => clock.now(), ...options });
    await sim.start();
    started.push(sim);
    return sim;
  }

  async function app(sim: SippySimulator, extra: Record<string, string> = {}): Promise<TestApp> {
    const api = await startTestApp(env(sim, extra), { clock }); // SIPPY_RPC_PASS is in the leak check already
    started.push(api);
    return api;
  }

  async function storedIds(api: TestApp): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const res = await api.http().get('/api/sippy/cdrs').query({ limit: 1000, offset }).expect(200);
      const page = res.body as Array<{ id: string }>;
      for (const cdr of page) ids.add(cdr.id);
      if (page.length < 1000) return ids;
    }
  }

  const switchIds = (sim: SippySimulator): Set<string> => new Set(sim.visibleCdrs().map((c) => String(c['i_cdr'])));

  afterEach(async () => {
    for (const thing of started.splice(0).reverse()) {
      await ('close' in thing ? thing.close() : thing.stop());
    }
    clock.set(T0);
  });

  it('an API user that may not call listAccounts: health stays up (with a note) and the sync stores every CDR', async () => {
    const sim = await simulator({ refuseMethods: ['listAccounts'] });
    const api = await app(sim, { SIPPY_PROBE_METHOD: 'listAccounts' });
    await api.http().post('/api/sippy/sync').expect(200);
    expect(await storedIds(api)).toEqual(switchIds(sim));

    const health = await api.http().get('/api/sippy/health').expect(200);
    const sippy = sippyOf(health.body as HealthBody);
    expect(sippy).toMatchObject({ status: 'up', state: 'up', method: 'getAccountCDRs' });
    expect(String(sippy['note'])).toContain(`listAccounts answered a fault (${String(PERMISSION_FAULT.faultCode)} ${PERMISSION_FAULT.faultString})`);
    // Kubernetes (anonymous) sees up too, without the details.
    const anonymous = await api.anonymous().get('/api/sippy/health').expect(200);
    expect(sippyOf(anonymous.body as HealthBody)).toEqual({ status: 'up', state: 'up' });
  });

  it('the default probe (the CDR method) is up for the same user without a fallback', async () => {
    const sim = await simulator({ refuseMethods: ['listAccounts'] });
    const api = await app(sim);
    const health = await api.http().get('/api/sippy/health').expect(200);
    expect(sippyOf(health.body as HealthBody)).toMatchObject({ status: 'up', state: 'up', method: 'getAccountCDRs' });
    expect(sippyOf(health.body as HealthBody)['note']).toBeUndefined();
  });

  it('an API user refused the CDR method is down (auth): the sync cannot work', async () => {
    const sim = await simulator({ refuseMethods: ['listAccounts', 'getAccountCDRs'] });
    const api = await app(sim);
    const health = await api.http().get('/api/sippy/health').expect(503);
    expect(sippyOf(health.body as HealthBody)).toMatchObject({ status: 'down', state: 'down', cause: 'auth' });
  });

  it('a wrong password stays down with cause auth (503)', async () => {
    const sim = await simulator();
    const wrong = 'not-the-Password-42';
    const api = await app(sim, { SIPPY_RPC_PASS: wrong });
    const health = await api.anonymous().get('/api/sippy/health').expect(503);
    expect(sippyOf(health.body as HealthBody)).toEqual({ status: 'down', state: 'down', cause: 'auth' });
  });

  it('at 25% transient faults with latency the stored set equals the switch set within a few intervals', async () => {
    const sim = await simulator({ transientFaultRate: 0.25, latencyMs: 20 });
    const api = await app(sim);
    let runs = 0;
    let failedRuns = 0;
    let complete = false;
    while (!complete && runs < 4) {
      runs += 1;
      const res = await api.http().post('/api/sippy/sync');
      if (res.status === 200) complete = setsEqual(await storedIds(api), switchIds(sim));
      else failedRuns += 1;
      if (!complete) clock.advance(INTERVAL_S * 1000);
    }
    const faults = sim.requestLog.filter((entry) => entry.faultCode === TRANSIENT_FAULT.faultCode).length;
    process.stdout.write(`awkward switch 25%: ${String(runs)} run(s), ${String(failedRuns)} failed, ${String(faults)} transient faults answered\n`);
    expect(faults).toBeGreaterThan(0);
    expect(await storedIds(api)).toEqual(switchIds(sim));
  });

  it('at 100% faults health says degraded, and nothing is lost when the faults stop', async () => {
    const sim = await simulator();
    const outage = sim.faults.transientFaults({ rate: 1, method: ['getAccountCDRs', 'listAccounts'] });
    const api = await app(sim, { SIPPY_HEALTH_DEGRADED_AFTER_FAILURES: '3', SIPPY_SYNC_RETRY_ATTEMPTS: '2' });
    for (let i = 0; i < 3; i += 1) {
      await api.http().post('/api/sippy/sync').expect(502);
      clock.advance(INTERVAL_S * 1000);
    }
    const degraded = await api.http().get('/api/sippy/health').expect(200);
    const sippy = sippyOf(degraded.body as HealthBody);
    expect(sippy).toMatchObject({ status: 'up', state: 'degraded' });
    expect(String(sippy['sync_error'])).toMatch(/last [3-9] CDR sync runs failed: fault: .*Database is busy/);
    expect(String(sippy['note'])).toMatch(/Database is busy/);
    expect(await storedIds(api)).toEqual(new Set());

    sim.faults.remove(outage);
    await api.http().post('/api/sippy/sync').expect(200);
    expect(await storedIds(api)).toEqual(switchIds(sim));
    const healthy = await api.http().get('/api/sippy/health').expect(200);
    expect(sippyOf(healthy.body as HealthBody)).toMatchObject({ status: 'up', state: 'up' });
  });
});

function setsEqual(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

import { SippySimulator } from '@velora/sippy/simulator';
import { MetricsServer } from '../../apps/api/src/metrics/metrics.server';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

const PASSWORD = 'e2e-Metrics-Sippy-Pass';
const METRICS_TOKEN = 'e2e-metrics-token-5b1c9d2e7f';
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
/** A caller number sent in a query string: it must never become a label. */
const SEARCHED_NUMBER = '905321234567';

/** The value of one sample line (`name{labels} value`), or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeEachDatabase('Prometheus metrics', ({ kind, getUrl }) => {
  const clock = new FakeClock(T0);
  let sim: SippySimulator;
  let api: TestApp | undefined;
  let text = '';

  const app = (): TestApp => {
    if (api === undefined) throw new Error('app not started');
    return api;
  };

  beforeAll(async () => {
    sim = new SippySimulator({ password: PASSWORD, seed: 7, historyHours: 2, callsPerMinute: 3, now: () => clock.now() });
    await sim.start();
    api = await startTestApp(
      {
        DATABASE_URL: getUrl(),
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: PASSWORD,
        SIPPY_SYNC_ENABLED: 'true',
        SIPPY_SYNC_INTERVAL_SECONDS: '86400', // the test drives the runs
        SIPPY_SYNC_RETRY_ATTEMPTS: '1', // one injected fault fails the run (retries are tested elsewhere)
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '3',
        METRICS_TOKEN,
        METRICS_PORT: '0',
      },
      { clock },
    );
    // traffic: a sync, a failed sync, a search by number, a route with a parameter, a 404, a 401
    await app().http().post('/api/sippy/sync').expect(200);
    sim.faults.http500({ times: 1 });
    await app().http().post('/api/sippy/sync').expect(502);
    await app().http().get('/api/sippy/cdrs').query({ caller: SEARCHED_NUMBER, limit: 5 }).expect(200);
    const agentId = app().users.agent?.id ?? '';
    await app().http().get(`/api/users/${agentId}`).expect(200);
    await app().http().get('/api/no-such-route/905321234567').expect(404);
    await app().anonymous().get('/api/sippy/cdrs').expect(401);
    await app().anonymous().get('/api/sippy/health').expect(200);
    const res = await app().anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    text = res.text;
  });

  afterAll(async () => {
    await api?.close();
    await cleanUp(sim, (r) => r.stop());
  });

  it('refuses scrapes without the metrics token: anonymous, a wrong token, a user API token, a session', async () => {
    const anonymous = await app().anonymous().get('/metrics').expect(401);
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    expect(anonymous.text).not.toContain('velora_');
    await app().anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
    await app().anonymous().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN.slice(0, -1)}`).expect(401);
    await app().http().get('/metrics').expect(401); // the admin's API token is not the metrics token
    const session = await app().login('admin');
    await session.agent.get('/metrics').expect(401);
    // not under /api, and not part of the documented API
    await app().http().get('/api/metrics').expect(404);
    const doc = await app().http().get('/api/docs-json').expect(200);
    expect(Object.keys((doc.body as { paths: Record<string, unknown> }).paths).filter((p) => p.includes('metrics'))).toEqual([]);
  });

  it('times HTTP requests by route template, method and status', () => {
    expect(sample(text, 'velora_http_request_duration_seconds_count{method="GET",route="/api/sippy/cdrs",status_code="200"}')).toBe(1);
    expect(sample(text, 'velora_http_request_duration_seconds_count{method="GET",route="/api/sippy/cdrs",status_code="401"}')).toBe(1);
    expect(sample(text, 'velora_http_request_duration_seconds_count{method="GET",route="/api/users/:id",status_code="200"}')).toBe(1);
    expect(sample(text, 'velora_http_request_duration_seconds_count{method="POST",route="/api/sippy/sync",status_code="502"}')).toBe(1);
    expect(sample(text, 'velora_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(text).toContain('velora_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/sippy/health",status_code="200"}');
    expect(sample(text, 'velora_http_requests_in_flight')).toBe(1); // the scrape itself
  });

  it('never puts a phone number, an id, a secret or a raw URL into the output', () => {
    expect(text).not.toContain(SEARCHED_NUMBER);
    expect(text).not.toContain(app().users.agent?.id ?? 'no agent');
    expect(text).not.toContain('no-such-route');
    expect(text).not.toContain('?');
    for (const secret of [PASSWORD, METRICS_TOKEN, app().users.admin?.token ?? 'no token']) {
      expect(text).not.toContain(secret);
    }
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) {
      expect(route).toMatch(/^(unmatched|\/[a-z/:_-]*)$/);
    }
  });

  it('counts sync runs, ingested CDRs and failures by cause', () => {
    const inserted = sample(text, 'velora_sync_cdrs_ingested_total{result="inserted"}') ?? 0;
    expect(inserted).toBeGreaterThan(0);
    expect(inserted).toBe(sim.visibleCdrs().length);
    expect(sample(text, 'velora_sync_run_duration_seconds_count{outcome="full"}')).toBe(1);
    expect(sample(text, 'velora_sync_run_duration_seconds_count{outcome="failed"}')).toBe(1);
    expect(sample(text, 'velora_sync_failures_total{cause="http"}')).toBe(1);
    const lag = sample(text, 'velora_sync_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(3600);
    expect(sample(text, 'velora_sync_last_success_timestamp_seconds')).toBeGreaterThan(T0 / 1000 - 1);
    expect(sample(text, 'velora_sync_standby')).toBe(0);
  });

  it('times Sippy calls by method and counts their errors by cause', () => {
    expect(sample(text, 'velora_sippy_call_duration_seconds_count{method="getAccountCDRs",outcome="ok"}')).toBeGreaterThan(0);
    expect(sample(text, 'velora_sippy_call_duration_seconds_count{method="listAccounts",outcome="ok"}')).toBeGreaterThan(0);
    expect(sample(text, 'velora_sippy_call_errors_total{method="getAccountCDRs",cause="http"}')).toBe(1);
  });

  it('exposes event subscribers (0 until live events exist), process metrics and the build info', () => {
    expect(sample(text, 'velora_event_subscribers')).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(new RegExp(`velora_build_info\\{version="[^"]+",node="${process.version}",database="${kind}"\\} 1`));
  });

  it(kind === 'postgres' ? 'reports the PostgreSQL pool' : 'has no pool gauges on PGlite', () => {
    if (kind === 'postgres') {
      expect(sample(text, 'velora_db_pool_connections{state="total"}')).toBeGreaterThan(0);
      expect(sample(text, 'velora_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'velora_db_pool_connections{state="waiting"}')).toBe(0);
      expect(sample(text, 'velora_db_pool_max_connections')).toBe(10);
    } else {
      expect(text).not.toContain('velora_db_pool');
    }
  });

  it('serves the same registry on METRICS_PORT without authentication, and nothing else there', async () => {
    const port = app().app.get(MetricsServer).port;
    expect(port).toEqual(expect.any(Number));
    const res = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('velora_sync_cdrs_ingested_total{result="inserted"}');
    expect((await fetch(`http://127.0.0.1:${String(port)}/api/sippy/cdrs`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${String(port)}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('Prometheus metrics switched off', () => {
  let api: TestApp | undefined;

  afterAll(async () => {
    await api?.close();
  });

  it('answers 404 on /metrics without METRICS_TOKEN, even with credentials, and opens no metrics port', async () => {
    api = await startTestApp({ DATABASE_URL: 'memory://' });
    await api.anonymous().get('/metrics').expect(404);
    await api.http().get('/metrics').expect(404);
    await api.anonymous().get('/metrics').set('Authorization', 'Bearer anything-at-all-1234').expect(404);
    expect(api.app.get(MetricsServer).port).toBeNull();
  });
});

import { CDR_FIELDS, parseSippyTime, type Cdr } from '@velora/sippy';
import { ACCOUNTS, SippySimulator } from '@velora/sippy/simulator';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

const PASSWORD = 'e2e-S3cret-Api-Password';
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const CDR_KEYS = [...CDR_FIELDS].sort();

describeEachDatabase('Sippy API', ({ getUrl }) => {
  const clock = new FakeClock(T0);
  let sim: SippySimulator;
  let api: TestApp;

  beforeAll(async () => {
    sim = new SippySimulator({ password: PASSWORD, seed: 42, historyHours: 6, callsPerMinute: 4, now: () => clock.now() });
    await sim.start();
    api = await startTestApp(
      {
        DATABASE_URL: getUrl(),
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: PASSWORD,
        SIPPY_SYNC_ENABLED: 'true',
        SIPPY_SYNC_INTERVAL_SECONDS: '86400',
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '8',
      },
      { clock },
    );
    const sync = await api.http().post('/api/sippy/sync').expect(200);
    expect(sync.body).toMatchObject({ pass: 'full' });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await cleanUp(sim, (r) => r.stop());
  });

  describe('GET /api/sippy/cdrs', () => {
    it('returns canonical CDRs newest first with the total in X-Total-Count', async () => {
      const res = await api.http().get('/api/sippy/cdrs').expect(200);
      const total = Number(res.headers['x-total-count']);
      expect(total).toBe(sim.visibleCdrs().length);
      expect(total).toBeGreaterThan(100);
      const cdrs = res.body as Cdr[];
      expect(cdrs).toHaveLength(100);
      for (const cdr of cdrs) {
        expect(Object.keys(cdr).sort()).toEqual(CDR_KEYS);
        expect(cdr.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
      const starts = cdrs.map((c) => Date.parse(c.start_time!));
      expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    });

    it('maps the simulator CDRs field by field (ids, numbers, times, status)', async () => {
      const raw = sim.visibleCdrs().find((c) => c['result'] === 486)!;
      const res = await api.http().get('/api/sippy/cdrs').query({ status: 'busy', limit: 1000 }).expect(200);
      const cdr = (res.body as Cdr[]).find((c) => c.id === String(raw['i_cdr']))!;
      expect(cdr).toMatchObject({ status: 'busy', sip_code: 486, result: 486, disconnect_reason: 'Busy Here', duration: 0, caller: raw['cli'], callee: raw['cld'] });
      // Sippy CDRs carry no currency: it comes from the account's base_currency (listAccounts)
      expect(cdr.currency).toBe(ACCOUNTS.find((a) => a.i_account === raw['i_account'])!.base_currency);
    });

    it('pages with limit/offset without overlap', async () => {
      const a = await api.http().get('/api/sippy/cdrs?limit=7&offset=0').expect(200);
      const b = await api.http().get('/api/sippy/cdrs?limit=7&offset=7').expect(200);
      const all = await api.http().get('/api/sippy/cdrs?limit=14&offset=0').expect(200);
      expect([...(a.body as Cdr[]), ...(b.body as Cdr[])].map((c) => c.id)).toEqual((all.body as Cdr[]).map((c) => c.id));
    });

    it('filters by status, direction, number, time range and duration', async () => {
      const completed = await api.http().get('/api/sippy/cdrs?status=completed&limit=1000').expect(200);
      expect((completed.body as Cdr[]).every((c) => c.status === 'completed')).toBe(true);
      const long = await api.http().get('/api/sippy/cdrs?min_duration=300&limit=1000').expect(200);
      expect((long.body as Cdr[]).every((c) => (c.duration ?? 0) >= 300)).toBe(true);
      expect(Number(long.headers['x-total-count'])).toBeLessThan(Number(completed.headers['x-total-count']));

      const one = (completed.body as Cdr[])[3];
      const part = one.caller!.slice(2, 9);
      const byCaller = await api.http().get('/api/sippy/cdrs').query({ caller: part, limit: 1000 }).expect(200);
      expect((byCaller.body as Cdr[]).map((c) => c.id)).toContain(one.id);
      expect((byCaller.body as Cdr[]).every((c) => c.caller!.includes(part))).toBe(true);

      const from = new Date(T0 - 3_600_000).toISOString();
      const to = new Date(T0 - 1_800_000).toISOString();
      const windowed = await api.http().get('/api/sippy/cdrs').query({ from, to, limit: 1000 }).expect(200);
      const expected = sim.visibleCdrs().filter((c) => {
        const t = parseSippyTime(c['connect_time'])!.getTime();
        return t >= Date.parse(from) && t < Date.parse(to);
      });
      expect(Number(windowed.headers['x-total-count'])).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('walks every CDR by keyset cursor (X-Next-Cursor) in list order, with an exact total', async () => {
      const all = await api.http().get('/api/sippy/cdrs?limit=1000').expect(200);
      expect(all.headers['x-total-count-exact']).toBe('true');
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const res = await api.http().get('/api/sippy/cdrs').query({ limit: 97, ...(cursor === undefined ? {} : { cursor }) }).expect(200);
        seen.push(...(res.body as Cdr[]).map((c) => c.id));
        const next: unknown = res.headers['x-next-cursor']; // absent on the last page
        cursor = typeof next === 'string' ? next : undefined;
        if (cursor === undefined) break;
      }
      expect(seen).toHaveLength(Number(all.headers['x-total-count']));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 1000)).toEqual((all.body as Cdr[]).map((c) => c.id));
    });

    it('serves country_code and filters by ISO code or an English/Turkish name', async () => {
      const all = await api.http().get('/api/sippy/cdrs?limit=1000').expect(200);
      const cdrs = all.body as Cdr[];
      expect(cdrs.every((c) => c.country_code === null || /^[A-Z]{2}$/.test(c.country_code))).toBe(true);
      const code = cdrs.find((c) => c.country_code !== null)?.country_code;
      expect(code).toBeDefined();
      const byCode = await api.http().get('/api/sippy/cdrs').query({ country: code?.toLowerCase(), limit: 1000 }).expect(200);
      expect((byCode.body as Cdr[]).every((c) => c.country_code === code)).toBe(true);
      expect(Number(byCode.headers['x-total-count'])).toBeGreaterThanOrEqual(cdrs.filter((c) => c.country_code === code).length);
      expect(byCode.headers['x-total-count-exact']).toBe('true');
      const trName = new Intl.DisplayNames(['tr'], { type: 'region' }).of(code ?? '');
      const byName = await api.http().get('/api/sippy/cdrs').query({ country: trName?.toUpperCase(), limit: 1000 }).expect(200);
      expect((byName.body as Cdr[]).map((c) => c.id)).toEqual((byCode.body as Cdr[]).map((c) => c.id));
      expect(byName.headers['x-total-count']).toBe(byCode.headers['x-total-count']);
    });

    it.each([
      ['cursor=@@@', 'cursor'],
      ['cursor=bm9wZQ', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2026-11-24T10:00:00.000Z', 'x'])).toString('base64url')}&offset=5`, 'cursor'],
    ])('rejects %s with a 400 naming cursor', async (query, field) => {
      const res = await api.http().get(`/api/sippy/cdrs?${query}`).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['from=yesterday', 'from'],
      ['status=ringing', 'status'],
      ['direction=sideways', 'direction'],
      ['min_duration=-5', 'min_duration'],
      ['caller=%27%3B%20drop%20table', 'caller'],
      ['foo=1', 'foo'],
      ['result=busy', 'result'],
      ['answered=maybe', 'answered'],
      ['account=' + 'x'.repeat(65), 'account'],
    ])('rejects %s with a 400 naming the field', async (query, field) => {
      const res = await api.http().get(`/api/sippy/cdrs?${query}`).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('rejects from >= to', async () => {
      const res = await api.http().get('/api/sippy/cdrs?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z').expect(400);
      expect(JSON.stringify(res.body.message)).toContain('from');
    });
  });

  describe('drill-down filters of the reports', () => {
    it('filters by account, trunk, city, result and answered', async () => {
      const all = sim.visibleCdrs();
      const busy = all.filter((c) => c['result'] === 486);
      const res = await api.http().get('/api/sippy/cdrs').query({ result: 486, answered: 'false', limit: 1000 }).expect(200);
      expect(Number(res.headers['x-total-count'])).toBe(busy.length);
      expect((res.body as Cdr[]).every((c) => c.result === 486)).toBe(true);

      const account = String(all[0]['i_account']);
      const byAccount = await api.http().get('/api/sippy/cdrs').query({ account, limit: 1000 }).expect(200);
      expect(Number(byAccount.headers['x-total-count'])).toBe(all.filter((c) => String(c['i_account']) === account).length);

      const answered = await api.http().get('/api/sippy/cdrs').query({ answered: 'true', limit: 1000 }).expect(200);
      expect((answered.body as Cdr[]).every((c) => c.status === 'completed' && (c.duration ?? 0) > 0)).toBe(true);
      const notAnswered = await api.http().get('/api/sippy/cdrs').query({ answered: 'false', limit: 1 }).expect(200);
      expect(Number(answered.headers['x-total-count']) + Number(notAnswered.headers['x-total-count'])).toBe(all.length);

      // the simulator sends area_name (city) but no trunk: a trunk filter matches nothing
      const one = (answered.body as Cdr[]).find((c) => c.city !== null)!;
      expect(one).toBeDefined();
      const byCity = await api.http().get('/api/sippy/cdrs').query({ city: one.city!.toUpperCase(), limit: 1000 }).expect(200);
      expect((byCity.body as Cdr[]).map((c) => c.id)).toContain(one.id);
      expect((byCity.body as Cdr[]).every((c) => c.city?.toLowerCase() === one.city!.toLowerCase())).toBe(true);
      const byTrunk = await api.http().get('/api/sippy/cdrs').query({ trunk: 'no-such-trunk', limit: 1 }).expect(200);
      expect(byTrunk.headers['x-total-count']).toBe('0');
    });
  });

  describe('GET /api/sippy/cdrs/summary', () => {
    it('summarizes a period: calls, ASR, ACD and cost', async () => {
      const from = new Date(T0 - 6 * 3_600_000).toISOString();
      const res = await api.http().get('/api/sippy/cdrs/summary').query({ from, to: new Date(T0).toISOString() }).expect(200);
      const list = await api.http().get('/api/sippy/cdrs').query({ from, to: new Date(T0).toISOString(), limit: 1 });
      expect(res.body.calls).toBe(Number(list.headers['x-total-count']));
      expect(res.body.answered).toBeGreaterThan(0);
      expect(res.body.answered_pct).toBeCloseTo((100 * res.body.answered) / res.body.calls, 0);
      expect(res.body.avg_duration).toBeGreaterThan(0);
      expect(res.body.total_cost).toBeGreaterThan(0);
    });
  });

  describe('GET /api/sippy/health', () => {
    it('is 200 up with latency and the sync state, and never shows the password', async () => {
      const res = await api.http().get('/api/sippy/health').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.details.sippy).toMatchObject({ status: 'up', mode: 'live' });
      expect(res.body.details.sippy.latency_ms).toEqual(expect.any(Number));
      expect(res.body.details.sippy.sync).toMatchObject({ enabled: true, consecutive_failures: 0 });
      expect(res.body.details.sippy.sync.last_success_at).toEqual(expect.any(String));
      expect(res.body.details.sippy.sync.rows_total).toBe(sim.visibleCdrs().length);
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    });

    it('is 503 naming the cause when the switch rejects the credentials or is gone', async () => {
      sim.faults.authFail({ times: 'always' });
      const auth = await api.http().get('/api/sippy/health').expect(503);
      expect(auth.body.details.sippy).toMatchObject({ status: 'down', cause: 'auth' });
      sim.faults.clear();

      await sim.down();
      const gone = await api.http().get('/api/sippy/health').expect(503);
      expect(gone.body.details.sippy).toMatchObject({ status: 'down', cause: 'unreachable' });
      await sim.up();
      await api.http().get('/api/sippy/health').expect(200);
      expect(JSON.stringify([auth.body, gone.body])).not.toContain(PASSWORD);
    });

    it('maps sync failures to 502/504 and reports them in the sync state', async () => {
      sim.faults.http500({ times: 'always' });
      const res = await api.http().post('/api/sippy/sync').expect(502);
      expect(res.body).toMatchObject({ statusCode: 502, upstream: 'sippysoft', cause: 'http' });
      const state = await api.http().get('/api/sippy/sync').expect(200);
      expect(state.body.consecutive_failures).toBeGreaterThanOrEqual(1);
      expect(state.body.last_error).toContain('500');
      sim.faults.clear();
      await api.http().post('/api/sippy/sync').expect(200);
      const ok = await api.http().get('/api/sippy/sync').expect(200);
      expect(ok.body).toMatchObject({ consecutive_failures: 0, last_error: null });
    });
  });

  describe('POST /api/sippy/test-connection', () => {
    it('succeeds with good credentials and lists the methods the switch offers', async () => {
      const res = await api.http().post('/api/sippy/test-connection').send({ api_url: sim.url, username: 'ssp-root', password: PASSWORD }).expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.details.latency_ms).toEqual(expect.any(Number));
      expect(res.body.details.methods).toEqual(expect.arrayContaining(['getAccountCDRs', 'listAccounts']));
      expect(res.body.details.endpoint).toBe(sim.url);
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    });

    it('accepts the older api_key/api_secret names and checks an account', async () => {
      const res = await api.http().post('/api/sippy/test-connection')
        .send({ api_url: sim.url, api_key: 'ssp-root', api_secret: PASSWORD, account_id: 1042 }).expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.details.cdr_sample_count).toEqual(expect.any(Number));
    });

    it('fails clearly with a wrong password, without echoing it', async () => {
      const wrong = 'definitely-Wrong-pass-123';
      const res = await api.http().post('/api/sippy/test-connection').send({ api_url: sim.url, username: 'ssp-root', password: wrong }).expect(200);
      expect(res.body).toMatchObject({ ok: false, details: { cause: 'auth' } });
      expect(res.body.message).toMatch(/credentials/);
      expect(JSON.stringify(res.body)).not.toContain(wrong);
      expect(api.logs.text()).not.toContain(wrong);
    });

    it('names an unreachable switch', async () => {
      const res = await api.http().post('/api/sippy/test-connection').send({ api_url: 'http://127.0.0.1:9/xmlapi/xmlapi', username: 'u', password: 'p' }).expect(200);
      expect(res.body).toMatchObject({ ok: false, details: { cause: 'unreachable' } });
    });

    it.each([
      [{ username: 'u', password: 'p' }, 'api_url'],
      [{ api_url: 'ftp://x/xmlapi', username: 'u', password: 'p' }, 'api_url'],
      [{ api_url: 'https://x/xmlapi' , password: 'p' }, 'username'],
      [{ api_url: 'https://x/xmlapi', username: 'u' }, 'password'],
      [{ api_url: 'https://x/xmlapi', username: 'u', password: 'p', tls_verify: 'no' }, 'tls_verify'],
      [{ api_url: 'https://x/xmlapi', username: 'u', password: 'p', extra: 1 }, 'extra'],
    ])('rejects an invalid body with a 400 naming the field (%j)', async (body, field) => {
      const res = await api.http().post('/api/sippy/test-connection').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(JSON.stringify(res.body)).not.toMatch(/"p"/);
    });
  });

  describe('health, docs and hygiene', () => {
    it('answers liveness and readiness', async () => {
      await api.http().get('/api/health/live').expect(200);
      const ready = await api.http().get('/api/health/ready').expect(200);
      expect(ready.body.details.database.status).toBe('up');
    });

    it('documents the API in Swagger', async () => {
      const res = await api.http().get('/api/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/api/sippy/cdrs', '/api/sippy/health', '/api/sippy/test-connection', '/api/health/ready']),
      );
    });

    it('never logs the configured password', () => {
      expect(api.logs.lines.length).toBeGreaterThan(0);
      expect(api.logs.text()).not.toContain(PASSWORD);
    });
  });
});

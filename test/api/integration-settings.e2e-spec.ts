import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSippyTime, parseSippyTime } from '@velora/sippy';
import { SippySimulator } from '@velora/sippy/simulator';
import { FakeAmiServer, FakeElevenLabsServer } from '@velora/integrations/simulator';
import type { IssabelSettingsView, SippySettingsView } from '@velora/contracts';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { DatabaseService } from '../../apps/api/src/database/database.service';
import { FakeClock } from '../support/fake-clock';
import type { Secret } from '../support/leak-recorder';
import { startTestApp, type TestAgent, type TestApp } from '../support/test-app';
import { createTestDatabase, isPostgresAvailableSync } from '../support/test-database';

jest.setTimeout(180_000);

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const PASS_A = 'switch-A-Passw0rd-4f1';
const PASS_B = 'switch-B-Passw0rd-8c2';
const PASS_TLS = 'switch-TLS-Passw0rd-d7';
const WRONG = 'not-the-Passw0rd-0000';
const AMI_SECRET = 'ami-Saved-S3cret-91';
const EL_KEY = 'sk_saved_e2e_0123456789abcdef0123';
const SECRETS: Secret[] = [
  { name: 'switch A password', value: PASS_A },
  { name: 'switch B password', value: PASS_B },
  { name: 'TLS switch password', value: PASS_TLS },
  { name: 'a wrong password sent in a test', value: WRONG },
  { name: 'the saved AMI secret', value: AMI_SECRET },
  { name: 'the saved ElevenLabs key', value: EL_KEY },
];

/** Polls until `check` returns a value (not undefined), or fails naming `what`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The ids of a switch's CDRs that a sync reading up to `upper` must have stored. */
function idsBefore(sim: SippySimulator, upper: number): string[] {
  return sim
    .visibleCdrs()
    .filter((c) => (parseSippyTime(c['connect_time'])?.getTime() ?? Infinity) < upper)
    .map((c) => String(c['i_cdr']))
    .sort();
}

describe('Connection settings saved from the Integrations page (e2e)', () => {
  const clock = new FakeClock(T0);
  const simA = new SippySimulator({
    username: 'api-a',
    password: PASS_A,
    seed: 'switch-a',
    idStart: 100_000_000,
    historyHours: 2,
    callsPerMinute: 2,
    maxCallSeconds: 1800,
    now: () => clock.now(),
  });
  const simB = new SippySimulator({
    username: 'api-b',
    password: PASS_B,
    seed: 'switch-b',
    idStart: 900_000_000,
    historyHours: 2,
    callsPerMinute: 2,
    maxCallSeconds: 1800,
    now: () => clock.now(),
  });
  const simTls = new SippySimulator({
    username: 'api-tls',
    password: PASS_TLS,
    tls: true,
    seed: 'switch-tls',
    idStart: 500_000_000,
    historyHours: 1,
    callsPerMinute: 1,
    now: () => clock.now(),
  });
  const ami = new FakeAmiServer({ username: 'velora', secret: AMI_SECRET, authFailDelayMs: 5 });
  const elevenlabs = new FakeElevenLabsServer({ apiKey: EL_KEY, characterCount: 100, characterLimit: 10_000 });
  let dataDir: string;
  let api: TestApp;

  const env = (): Record<string, string> => ({
    DATA_DIR: dataDir,
    SIPPY_SYNC_ENABLED: 'true',
    SIPPY_SYNC_INTERVAL_SECONDS: '86400', // after the run a save starts, the test drives the runs
    SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '6',
    SIPPY_SYNC_WINDOW_MINUTES: '60',
    SIPPY_MAX_CALL_SECONDS: '1800',
    ISSABEL_AMI_TIMEOUT_MS: '1000',
    ELEVENLABS_BASE_URL: elevenlabs.url,
    ELEVENLABS_TIMEOUT_MS: '2000',
  });

  const sippy = (body: Record<string, unknown>): Record<string, unknown> => ({ tls_verify: true, cdr_type: 'all', ...body });
  const settingsOf = async (agent: TestAgent = api.http()): Promise<SippySettingsView> =>
    (await agent.get('/api/sippy/settings').expect(200)).body as SippySettingsView;
  const storedIds = async (): Promise<string[]> => (await api.app.get(CdrRepository).allIds()).sort();
  interface AuditRow {
    target: string | null;
    details: Record<string, unknown>;
  }
  const auditOf = async (action: string): Promise<AuditRow[]> =>
    (await api.http().get(`/api/audit-log?action=${action}&limit=100`).expect(200)).body as AuditRow[];
  /** The stored row, straight from the table. */
  const rowOf = (integration: string): Promise<unknown> =>
    api.app
      .get(DatabaseService)
      .db.selectFrom('integration_settings')
      .selectAll()
      .where('integration', '=', integration)
      .executeTakeFirst();

  /** Lets the run the save started finish, then runs once more and returns its upper bound. */
  const syncSettled = async (): Promise<number> => {
    await eventually('the sync to settle', async () => {
      const sync = (await api.http().get('/api/sippy/sync').expect(200)).body as { running: boolean; last_success_at: string | null };
      return !sync.running && sync.last_success_at !== null ? true : undefined;
    });
    const run = await api.http().post('/api/sippy/sync').expect(200);
    return Date.parse(run.body.to as string);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'velora-settings-'));
    await Promise.all([simA.start(), simB.start(), simTls.start(), ami.start(), elevenlabs.start()]);
    api = await startTestApp(env(), { clock, secrets: SECRETS });
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([simA.stop(), simB.stop(), simTls.stop(), ami.stop(), elevenlabs.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing saved: not configured, every value a default, nothing secret set', async () => {
    const view = await settingsOf();
    expect(view).toMatchObject({
      integration: 'sippy',
      mode: 'unconfigured',
      read_only: false,
      saved: null,
      saved_error: null,
      url: { value: null, source: 'default', locked: false, env: 'SIPPY_RPC_URL' },
      password: { set: false, last2: null, source: 'default' },
      cdr_type: { value: 'all', source: 'default' },
    });
    await api.anonymous().get('/api/sippy/health').expect(503);
    expect((await api.http().get('/api/sippy/sync').expect(200)).body).toMatchObject({ enabled: false });
  });

  it('is for admins only', async () => {
    await api.anonymous().get('/api/sippy/settings').expect(401);
    for (const path of ['/api/sippy/settings', '/api/issabel/settings', '/api/elevenlabs/settings']) {
      await api.as('agent').get(path).expect(403);
      await api.as('agent').put(path).send({}).expect(403);
      await api.as('agent').delete(path).expect(403);
    }
    await api
      .as('agent')
      .post('/api/sippy/settings/test')
      .send(sippy({ url: simA.url, username: 'api-a', password: WRONG }))
      .expect(403);
  });

  it('refuses bad input with a 400 naming the field, before contacting anything', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [sippy({ url: 'ftp://x/xmlapi', username: 'u', password: 'p' }), 'url'],
      [sippy({ url: simA.url, username: '', password: 'p' }), 'username'],
      [sippy({ url: simA.url, username: 'u', password: 'p', cdr_type: 'everything' }), 'cdr_type'],
      [sippy({ url: simA.url, username: 'u', password: 'p', tls_verify: 'yes' }), 'tls_verify'],
      [sippy({ url: simA.url, username: 'u', password: 'p', ca_pem: 'not a certificate' }), 'ca_pem'],
      [sippy({ url: simA.url, username: 'u', password: 'p', is_admin: true }), 'is_admin'],
      [sippy({ url: simA.url, username: 'api-a' }), 'password'], // nothing saved: a password is required
    ];
    const before = simA.requestLog.length;
    for (const [body, field] of cases) {
      const res = await api.http().put('/api/sippy/settings').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
    expect(simA.requestLog.length).toBe(before);
  });

  it('applies the SSRF guard to saves: a cloud-metadata address is refused (400 naming url, audited)', async () => {
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: 'http://169.254.169.254/xmlapi/xmlapi', username: 'u', password: WRONG }))
      .expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/url host 169\.254\.169\.254 is a link-local or cloud-metadata address/);
    const [entry] = await auditOf('sippy.test_connection');
    expect(entry).toMatchObject({
      target: '169.254.169.254',
      details: { ok: false, refused: 'blocked_address', purpose: 'settings_save' },
    });
    expect((await settingsOf()).saved).toBeNull();
  });

  it('tests before saving: a wrong password is a 422 with the test result, audited, and nothing is saved', async () => {
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simA.url, username: 'api-a', password: WRONG }))
      .expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, test: { ok: false, details: { cause: 'auth', endpoint: simA.url } } });
    expect(res.body.message).toContain('not saved');
    const [entry] = await auditOf('sippy.test_connection');
    expect(entry).toMatchObject({ target: new URL(simA.url).host, details: { ok: false, cause: 'auth', purpose: 'settings_save' } });
    expect(await auditOf('integration.settings_saved')).toEqual([]);
    expect((await settingsOf()).mode).toBe('unconfigured');
  });

  it('saves switch A (password encrypted, never returned) and the sync imports its CDRs at once, without a restart', async () => {
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simA.url, username: 'api-a', password: PASS_A }))
      .expect(200);
    expect(res.text).not.toContain(PASS_A);
    expect(res.body.test).toMatchObject({ ok: true, details: { endpoint: simA.url } });
    expect(res.body.settings).toMatchObject({
      mode: 'live',
      read_only: false,
      saved: { version: 1, updated_by: api.users.admin?.email },
      url: { value: simA.url, source: 'saved' },
      username: { value: 'api-a', source: 'saved' },
      password: { set: true, last2: PASS_A.slice(-2), source: 'saved' },
      tls_verify: { value: true, source: 'saved' },
      cdr_type: { value: 'all', source: 'saved' },
    });
    // stored encrypted: the row holds no plain password
    expect(JSON.stringify(await rowOf('sippy'))).toContain('A256GCM');
    expect(JSON.stringify(await rowOf('sippy'))).not.toContain(PASS_A);

    const upper = await syncSettled();
    const expected = idsBefore(simA, upper);
    expect(expected.length).toBeGreaterThan(100);
    expect(await storedIds()).toEqual(expected);
    const health = await api.http().get('/api/sippy/health').expect(200);
    expect(health.body.details.sippy).toMatchObject({ status: 'up', mode: 'live', state: 'up' });

    const [saved] = await auditOf('integration.settings_saved');
    expect(saved).toMatchObject({
      target: 'sippy',
      details: { version: 1, changed: ['ca_pem', 'cdr_type', 'password', 'tls_verify', 'url', 'username'] },
    });
  });

  it('tests with the saved password (same URL and user) and refuses to send it anywhere else', async () => {
    const ok = await api
      .http()
      .post('/api/sippy/settings/test')
      .send(sippy({ url: simA.url, username: 'api-a' }))
      .expect(200);
    expect(ok.body).toMatchObject({ ok: true });
    const other = await api
      .http()
      .post('/api/sippy/settings/test')
      .send(sippy({ url: simB.url, username: 'api-a' }))
      .expect(400);
    expect(JSON.stringify(other.body.message)).toContain('password is required when the URL or the user changes');
    await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simA.url, username: 'api-b' }))
      .expect(400);
  });

  it('switches to switch B: the sync follows the new switch from its own history and stops reading A', async () => {
    const before = new Set(await storedIds());
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simB.url, username: 'api-b', password: PASS_B }))
      .expect(200);
    expect(res.body.settings).toMatchObject({ saved: { version: 2 }, url: { value: simB.url }, password: { last2: PASS_B.slice(-2) } });
    const upper = await syncSettled();
    const fromB = (await storedIds()).filter((id) => !before.has(id));
    expect(fromB).toEqual(idsBefore(simB, upper)); // B's two hours, although A's cursor was further on

    // new calls on both switches: only B's is imported
    clock.advance(10 * 60_000);
    const connect = formatSippyTime(new Date(clock.now() - 120_000));
    const end = formatSippyTime(new Date(clock.now() - 60_000));
    const newOnA = simA.addCdr({ connect_time: connect, disconnect_time: end, duration: 60, billed_duration: 60, result: 0 });
    const newOnB = simB.addCdr({ connect_time: connect, disconnect_time: end, duration: 60, billed_duration: 60, result: 0 });
    const aCalls = simA.requestLog.length;
    await api.http().post('/api/sippy/sync').expect(200);
    const stored = new Set(await storedIds());
    expect(stored.has(String(newOnB['i_cdr']))).toBe(true);
    expect(stored.has(String(newOnA['i_cdr']))).toBe(false);
    expect(simA.requestLog.length).toBe(aCalls); // the old switch is not asked anything any more
    const status = (await api.http().get('/api/sippy/sync').expect(200)).body;
    expect(status).toMatchObject({ enabled: true, consecutive_failures: 0, last_error: null });
  });

  it('keeps the saved password when only the CDR type changes, and the sync asks for that type', async () => {
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simB.url, username: 'api-b', cdr_type: 'non_zero' }))
      .expect(200);
    expect(res.body.settings).toMatchObject({
      saved: { version: 3 },
      cdr_type: { value: 'non_zero', source: 'saved' },
      password: { set: true, last2: PASS_B.slice(-2) },
    });
    const calls = simB.requestLog.length;
    await api.http().post('/api/sippy/sync').expect(200);
    const cdrCalls = simB.requestLog.slice(calls).filter((entry) => entry.method === 'getAccountCDRs');
    expect(cdrCalls.length).toBeGreaterThan(0);
    expect(cdrCalls.every((entry) => (entry.params?.[0] as Record<string, unknown> | undefined)?.['type'] === 'non_zero')).toBe(true);
    const [entry] = await auditOf('integration.settings_saved');
    expect(entry.details).toMatchObject({ version: 3, changed: ['cdr_type'] });
  });

  it('trusts a self-signed switch through a saved CA certificate (verification stays on)', async () => {
    const tlsBody = sippy({ url: simTls.url, username: 'api-tls', password: PASS_TLS });
    const refused = await api.http().put('/api/sippy/settings').send(tlsBody).expect(422);
    expect(refused.body.test.details).toMatchObject({ cause: 'tls', tls_verify: true });
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send({ ...tlsBody, ca_pem: simTls.certificatePem })
      .expect(200);
    expect(res.body.settings.ca_certificate).toMatchObject({
      source: 'saved',
      pem: simTls.certificatePem,
      subject: expect.stringContaining('CN='),
    });
    await syncSettled();
    const health = await api.http().get('/api/sippy/health').expect(200);
    expect(health.body.details.sippy).toMatchObject({ status: 'up', mode: 'live' });
    // back to B for the rest
    await api
      .http()
      .put('/api/sippy/settings')
      .send(sippy({ url: simB.url, username: 'api-b', password: PASS_B }))
      .expect(200);
  });

  it('survives a restart: the saved settings are read back and decrypted with the kept key', async () => {
    await api.close();
    api = await startTestApp(env(), { clock, secrets: SECRETS });
    const view = await settingsOf();
    expect(view).toMatchObject({
      mode: 'live',
      saved: { version: 5 },
      url: { value: simB.url, source: 'saved' },
      password: { set: true },
      saved_error: null,
    });
    const health = await api.http().get('/api/sippy/health').expect(200);
    expect(health.body.details.sippy).toMatchObject({ status: 'up', mode: 'live' });
  });

  it('Issabel: tests, saves with the secret encrypted, and health follows at once', async () => {
    await api.http().get('/api/issabel/health').expect(503);
    const bad = await api
      .http()
      .put('/api/issabel/settings')
      .send({ host: '127.0.0.1', port: ami.port, username: 'velora', secret: WRONG, tls: false, tls_verify: true })
      .expect(422);
    expect(bad.body.test).toMatchObject({ ok: false, details: { cause: 'auth' } });
    const [failed] = await auditOf('issabel.test_connection');
    expect(failed).toMatchObject({ details: { ok: false, cause: 'auth', purpose: 'settings_save' } });
    await api
      .http()
      .put('/api/issabel/settings')
      .send({ host: '169.254.169.254', port: 5038, username: 'velora', secret: WRONG, tls: false, tls_verify: true })
      .expect(400);
    await api
      .http()
      .put('/api/issabel/settings')
      .send({ host: '127.0.0.1', port: 70000, username: 'velora', secret: WRONG, tls: false, tls_verify: true })
      .expect(400);

    const res = await api
      .http()
      .put('/api/issabel/settings')
      .send({ host: '127.0.0.1', port: ami.port, username: 'velora', secret: AMI_SECRET, tls: false, tls_verify: true })
      .expect(200);
    expect(res.text).not.toContain(AMI_SECRET);
    expect(res.body.test).toMatchObject({ ok: true, details: { asterisk_version: '16.30.1' } });
    expect(res.body.settings as IssabelSettingsView).toMatchObject({
      mode: 'live',
      host: { value: '127.0.0.1', source: 'saved' },
      secret: { set: true, last2: AMI_SECRET.slice(-2) },
    });
    const health = await api.http().get('/api/issabel/health').expect(200);
    expect(health.body.details.issabel).toMatchObject({ status: 'up', mode: 'live', endpoint: `tcp://127.0.0.1:${String(ami.port)}` });
    await api.http().get('/api/issabel/status').expect(200);
  });

  it('ElevenLabs: a rejected key is not saved; the right one is, and voices work without a restart', async () => {
    await api.http().get('/api/elevenlabs/health').expect(503);
    const bad = await api.http().put('/api/elevenlabs/settings').send({ api_key: 'sk_wrong_key_0000000000' }).expect(422);
    expect(bad.body.test).toMatchObject({ ok: false, details: { cause: 'auth' } });
    await api.http().put('/api/elevenlabs/settings').send({ api_key: 'has space' }).expect(400);
    const res = await api.http().put('/api/elevenlabs/settings').send({ api_key: EL_KEY }).expect(200);
    expect(res.text).not.toContain(EL_KEY);
    expect(res.body.settings).toMatchObject({
      mode: 'live',
      api_key: { set: true, last2: EL_KEY.slice(-2), source: 'saved' },
      base_url: { value: elevenlabs.url, source: 'env', locked: true },
    });
    await api.http().get('/api/elevenlabs/health').expect(200);
    const voices = await api.http().get('/api/elevenlabs/voices').expect(200);
    expect(voices.body.voices.length).toBeGreaterThan(0);
  });

  it('clearing goes back to the defaults: the sync stops, health says not configured (audited)', async () => {
    const view = (await api.http().delete('/api/sippy/settings').expect(200)).body;
    expect(view).toMatchObject({ mode: 'unconfigured', saved: null, url: { source: 'default' }, password: { set: false } });
    await api.http().get('/api/sippy/health').expect(503);
    expect((await api.http().get('/api/sippy/sync').expect(200)).body).toMatchObject({ enabled: false });
    await api.http().post('/api/sippy/sync').expect(503);
    const [cleared] = await auditOf('integration.settings_cleared');
    expect(cleared).toMatchObject({ target: 'sippy', details: { version: 6 } });
  });

  it('never writes a secret to a response, the log or the audit log (the leak check of close() covers the rest)', async () => {
    const audit = JSON.stringify((await api.http().get('/api/audit-log?limit=200').expect(200)).body);
    for (const { value } of SECRETS) expect(audit).not.toContain(value);
    for (const { value } of SECRETS) expect(api.logs.text()).not.toContain(value);
  });
});

describe('Connection settings set by environment variables (e2e)', () => {
  const sim = new SippySimulator({ username: 'env-user', password: PASS_A, historyHours: 1 });
  let api: TestApp;

  beforeAll(async () => {
    await sim.start();
    api = await startTestApp(
      { DATABASE_URL: 'memory://', SIPPY_RPC_URL: sim.url, SIPPY_RPC_USER: 'env-user', SIPPY_RPC_PASS: PASS_A, SIPPY_CDR_TYPE: 'complete' },
      { secrets: SECRETS },
    );
  });

  afterAll(async () => {
    await api.close();
    await sim.stop();
  });

  it('shows them read-only with their variable, and a save is a 409', async () => {
    const view = (await api.http().get('/api/sippy/settings').expect(200)).body;
    expect(view).toMatchObject({
      mode: 'live',
      read_only: true,
      url: { value: sim.url, source: 'env', locked: true, env: 'SIPPY_RPC_URL' },
      username: { value: 'env-user', source: 'env', locked: true },
      password: { set: true, last2: PASS_A.slice(-2), source: 'env', locked: true, env: 'SIPPY_RPC_PASS' },
      tls_verify: { value: true, source: 'default', locked: true },
      cdr_type: { value: 'complete', source: 'env', locked: true },
    });
    const res = await api
      .http()
      .put('/api/sippy/settings')
      .send({ url: sim.url, username: 'x', password: PASS_B, tls_verify: true, cdr_type: 'all' })
      .expect(409);
    expect(res.body.message).toContain('SIPPY_RPC_URL');
    // testing stays possible
    await api
      .http()
      .post('/api/sippy/settings/test')
      .send({ url: sim.url, username: 'env-user', password: PASS_A, tls_verify: true, cdr_type: 'all' })
      .expect(200);
  });
});

const withPostgres = process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync() ? describe : describe.skip;
withPostgres('Connection settings across replicas on one PostgreSQL (e2e)', () => {
  it('a save on one replica reaches the other within SETTINGS_REFRESH_SECONDS, and its sync follows', async () => {
    const sim = new SippySimulator({ username: 'shared', password: PASS_B, historyHours: 1, callsPerMinute: 2 });
    await sim.start();
    const database = await createTestDatabase('postgres');
    const env = {
      DATABASE_URL: database.url,
      SETTINGS_REFRESH_SECONDS: '1',
      SIPPY_SYNC_ENABLED: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '86400',
    };
    const first = await startTestApp(env, { secrets: SECRETS });
    const second = await startTestApp(env, { secrets: SECRETS });
    try {
      await second.http().get('/api/sippy/health').expect(503);
      await first
        .http()
        .put('/api/sippy/settings')
        .send({ url: sim.url, username: 'shared', password: PASS_B, tls_verify: true, cdr_type: 'all' })
        .expect(200);
      const view = await eventually('the second replica to apply the saved settings', async () => {
        const body = (await second.http().get('/api/sippy/settings').expect(200)).body as SippySettingsView;
        return body.mode === 'live' ? body : undefined;
      });
      expect(view).toMatchObject({ url: { value: sim.url, source: 'saved' }, saved: { version: 1 } });
      await second.http().get('/api/sippy/health').expect(200);
      await second.http().post('/api/sippy/sync').expect(200); // same lease: either replica may run it
      await first.http().delete('/api/sippy/settings').expect(200);
      await eventually('the second replica to forget them', async () => {
        const body = (await second.http().get('/api/sippy/settings').expect(200)).body as SippySettingsView;
        return body.mode === 'unconfigured' ? true : undefined;
      });
    } finally {
      await second.close();
      await first.close();
      await database.dispose();
      await sim.stop();
    }
  });
});

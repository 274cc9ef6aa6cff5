import { SippySimulator } from '@velora/sippy/simulator';
import type { Response } from 'supertest';
import { startTestApp, TEST_ADMIN, TEST_AGENT, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

jest.setTimeout(60_000);

const SIPPY_PASSWORD = 'leak-Sippy-Api-Pa55-q8z';
const WRONG_SIPPY_PASSWORD = 'leak-Wrong-Sippy-Pa55-k2m';
const JWT_SECRET = 'leak-jwt-secret-0123456789abcdefghijklmnop';
const WRONG_LOGIN_PASSWORD = 'leak-Wrong-Login-Pa55-x7';
const NEW_AGENT_PASSWORD = 'leak-Initial-Agent-Pa55-r4';

/**
 * A representative session (logins, a failed login, connection tests, token creation, user admin, CDR reads)
 * whose every response (status line, headers, body) and every log line is searched for the configured
 * secrets. The one exception: the token creation response carries the new token, once.
 */
describe('no secret in responses or logs (e2e)', () => {
  let sim: SippySimulator;
  let api: TestApp;
  const responses: Array<{ what: string; res: Response }> = [];

  const record = (what: string, res: Response): Response => {
    responses.push({ what, res });
    return res;
  };
  const dump = (res: Response): string => {
    const text: unknown = res.text; // undefined for a binary body, whatever the typings say
    return `${res.status}\n${JSON.stringify(res.headers)}\n${typeof text === 'string' ? text : ''}\n${JSON.stringify(res.body ?? null)}`;
  };

  beforeAll(async () => {
    sim = new SippySimulator({ password: SIPPY_PASSWORD, seed: 7, historyHours: 1, callsPerMinute: 2 });
    await sim.start();
    api = await startTestApp({
      DATABASE_URL: 'memory://',
      SIPPY_RPC_URL: sim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: SIPPY_PASSWORD,
      SIPPY_SYNC_ENABLED: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '86400',
      AUTH_JWT_SECRET: JWT_SECRET,
    });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await cleanUp(sim, (r) => r.stop());
  });

  it('runs the session', async () => {
    const anon = api.anonymous();
    record('failed login', await anon.post('/api/auth/login').send({ email: TEST_ADMIN.email, password: WRONG_LOGIN_PASSWORD }));
    const login = record('admin login', await anon.post('/api/auth/login').send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }));
    expect(login.status).toBe(200);
    const csrf = login.body.csrf_token as string;

    record('sync', await api.http().post('/api/sippy/sync'));
    record('cdrs', await anon.get('/api/sippy/cdrs?limit=5'));
    record('summary', await anon.get('/api/sippy/cdrs/summary'));
    record('health (session)', await anon.get('/api/sippy/health'));
    record('health (anonymous)', await api.anonymous().get('/api/sippy/health'));
    record('ready', await api.anonymous().get('/api/health/ready'));
    record('test-connection ok', await anon.post('/api/sippy/test-connection').set('X-CSRF-Token', csrf).send({ api_url: sim.url, username: 'ssp-root', password: SIPPY_PASSWORD }));
    const wrong = record('test-connection wrong password', await anon.post('/api/sippy/test-connection').set('X-CSRF-Token', csrf).send({ api_url: sim.url, username: 'ssp-root', password: WRONG_SIPPY_PASSWORD }));
    expect(wrong.body).toMatchObject({ ok: false, details: { cause: 'auth' } });
    record('test-connection bad body', await anon.post('/api/sippy/test-connection').set('X-CSRF-Token', csrf).send({ api_url: 'ftp://x', username: 'u', password: WRONG_SIPPY_PASSWORD }));

    const created = await anon.post('/api/auth/tokens').set('X-CSRF-Token', csrf).send({ name: 'leak test' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(created.text.split(token)).toHaveLength(2); // exactly once, in this response only
    record('token list', await anon.get('/api/auth/tokens'));
    record('cdrs with the new token', await api.anonymous().get('/api/sippy/cdrs?limit=1').set('Authorization', `Bearer ${token}`));
    record('me with the new token', await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`));

    const user = record('create user', await anon.post('/api/users').set('X-CSRF-Token', csrf).send({ email: 'leak@example.com', password: NEW_AGENT_PASSWORD, role: 'agent' }));
    record('users', await anon.get('/api/users'));
    record('reset password', await anon.patch(`/api/users/${user.body.id}`).set('X-CSRF-Token', csrf).send({ password: `${NEW_AGENT_PASSWORD}-2` }));
    record('agent login', await api.anonymous().post('/api/auth/login').send({ email: TEST_AGENT.email, password: TEST_AGENT.password }));
    record('audit log', await anon.get('/api/audit-log?limit=500'));
    record('logout', await anon.post('/api/auth/logout').set('X-CSRF-Token', csrf));

    const secrets: Record<string, string> = {
      'Sippy password': SIPPY_PASSWORD,
      'wrong Sippy password': WRONG_SIPPY_PASSWORD,
      'JWT secret': JWT_SECRET,
      'admin password': TEST_ADMIN.password,
      'agent password': TEST_AGENT.password,
      'wrong login password': WRONG_LOGIN_PASSWORD,
      'new user password': NEW_AGENT_PASSWORD,
      'admin API token': api.users.admin!.token,
      'agent API token': api.users.agent!.token,
      'created API token': token,
    };
    const leaks: string[] = [];
    for (const { what, res } of responses) {
      const text = dump(res);
      for (const [name, secret] of Object.entries(secrets)) {
        if (text.includes(secret)) leaks.push(`${name} in the response to "${what}"`);
      }
      if (/\$argon2id\$/.test(text)) leaks.push(`a password hash in the response to "${what}"`);
    }
    const logs = api.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries(secrets)) {
      if (logs.includes(secret)) leaks.push(`${name} in the logs`);
    }
    if (/\$argon2id\$/.test(logs)) leaks.push('a password hash in the logs');
    expect(leaks).toEqual([]);
    expect(responses.length).toBeGreaterThan(15);
  });
});

/**
 * Every app started with startTestApp (all API e2e suites) records its responses and log lines, and close()
 * fails the suite if a secret of its environment or a seeded user's password or token shows up. This proves the
 * check can fail.
 */
describe('the leak check of every e2e app', () => {
  it('records every response and fails close() naming the secret and the request, not the value', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://' }, { secrets: [{ name: 'PROBE_SECRET', value: TEST_AGENT.email }] });
    let closed: unknown;
    try {
      await api.as('agent').get('/api/auth/me').expect(200);
      await api.anonymous().get('/api/health/live').expect(200);
      expect(api.recorder.responses.map((r) => `${r.request} ${r.status}`)).toEqual(['GET /api/auth/me 200', 'GET /api/health/live 200']);
    } finally {
      closed = await api.close().then(
        () => null,
        (error: unknown) => error,
      );
    }
    expect(closed).toBeInstanceOf(Error);
    const message = (closed as Error).message;
    expect(message).toContain('PROBE_SECRET in the response to GET /api/auth/me (200)');
    expect(message).not.toContain('/api/health/live');
    expect(message).not.toContain(TEST_AGENT.email);
  });
});

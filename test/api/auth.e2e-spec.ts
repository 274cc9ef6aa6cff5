import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../support/fake-clock';
import { createTestDatabase, isPostgresAvailableSync } from '../support/test-database';
import { startTestApp, TEST_ADMIN, TEST_AGENT, type TestAgent, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

/** The only routes an anonymous caller may use (Kubernetes probes, sign-in, single sign-on: test/api/oidc.e2e-spec.ts). */
const ANONYMOUS_ROUTES = new Set([
  'GET /api/health/live',
  'GET /api/health/ready',
  'GET /api/sippy/health',
  'POST /api/auth/login',
  'GET /api/auth/oidc/config',
  'GET /api/auth/oidc/login',
  'GET /api/auth/oidc/callback',
]);
const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

jest.setTimeout(60_000);

interface SwaggerDoc {
  paths: Record<string, Record<string, unknown>>;
}

function routesOf(doc: SwaggerDoc): Array<{ method: string; path: string }> {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

function send(agent: TestAgent, method: string, url: string) {
  switch (method) {
    case 'GET':
      return agent.get(url);
    case 'POST':
      return agent.post(url).send({});
    case 'PUT':
      return agent.put(url).send({});
    case 'PATCH':
      return agent.patch(url).send({});
    case 'DELETE':
      return agent.delete(url);
    default:
      throw new Error(`unexpected method ${method}`);
  }
}

describe('Authentication and roles (e2e)', () => {
  const clock = new FakeClock(T0);
  let api: TestApp;
  let routes: Array<{ method: string; path: string }>;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: 'memory://', CORS_ORIGINS: 'https://crm.example.com' }, { clock });
    const doc = await api.http().get('/api/docs-json').expect(200);
    routes = routesOf(doc.body as SwaggerDoc);
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  describe('anonymous callers', () => {
    it('get 401 on every data endpoint in the Swagger document (new endpoints are covered automatically)', async () => {
      expect(routes.length).toBeGreaterThan(15);
      const failures: string[] = [];
      for (const { method, path } of routes) {
        if (ANONYMOUS_ROUTES.has(`${method} ${path}`)) continue;
        const res = await send(api.anonymous(), method, path.replace(/\{[^}]+\}/g, SOME_UUID));
        if (res.status !== 401) failures.push(`${method} ${path} → ${res.status}`);
        else expect(res.body.message).toMatch(/Authentication required/);
      }
      expect(failures).toEqual([]);
    });

    it('documents both auth schemes in Swagger (the docs themselves are public)', async () => {
      const doc = await api.anonymous().get('/api/docs-json').expect(200);
      expect(doc.body.components.securitySchemes).toMatchObject({
        velora_session: { type: 'apiKey', in: 'cookie', name: 'velora_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      });
      expect(doc.body.paths['/api/auth/login']).toBeDefined();
    });

    it('see only up/down and the cause on the health probes; signed-in callers see the details', async () => {
      const live = await api.anonymous().get('/api/health/live').expect(200);
      expect(live.body.status).toBe('ok');
      const ready = await api.anonymous().get('/api/health/ready').expect(200);
      expect(ready.body).toEqual({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
      const readyFull = await api.as('agent').get('/api/health/ready').expect(200);
      expect(readyFull.body.details.database).toMatchObject({ status: 'up', kind: 'pglite', latency_ms: expect.any(Number) });

      const sippy = await api.anonymous().get('/api/sippy/health').expect(503);
      expect(sippy.body).toEqual({ status: 'error', info: {}, error: { sippy: { status: 'down', state: 'down', cause: 'not_configured' } }, details: { sippy: { status: 'down', state: 'down', cause: 'not_configured' } } });
      const sippyFull = await api.as('agent').get('/api/sippy/health').expect(503);
      expect(sippyFull.body.details.sippy).toMatchObject({ status: 'down', cause: 'not_configured', mode: 'unconfigured', message: expect.any(String), sync: expect.any(Object) });
    });

    it('get 401 with a malformed or unknown Bearer token, even on public routes', async () => {
      const bad = await api.anonymous().get('/api/health/live').set('Authorization', 'Bearer vlr_nope').expect(401);
      expect(bad.body.message).toMatch(/Invalid, expired or revoked API token/);
      expect(bad.headers['www-authenticate']).toContain('invalid_token');
      const basic = await api.anonymous().get('/api/sippy/cdrs').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
      expect(basic.body.message).toMatch(/Bearer/);
      await api.anonymous().get('/api/sippy/cdrs').set('Cookie', 'velora_session=not.a.jwt').expect(401);
    });
  });

  describe('roles', () => {
    it('agents read CDRs, the summary and the sync state', async () => {
      await api.as('agent').get('/api/sippy/cdrs').expect(200);
      await api.as('agent').get('/api/sippy/cdrs/summary').expect(200);
      await api.as('agent').get('/api/sippy/sync').expect(200);
      await api.as('agent').get('/api/auth/me').expect(200);
    });

    it.each([
      ['POST', '/api/sippy/test-connection', { api_url: 'http://127.0.0.1:9/xmlapi/xmlapi', username: 'u', password: 'p' }],
      ['POST', '/api/sippy/sync', {}],
      ['GET', '/api/users', undefined],
      ['POST', '/api/users', { email: 'x@example.com', password: 'long-enough-password', role: 'admin' }],
      ['PATCH', `/api/users/${SOME_UUID}`, { role: 'admin' }],
      ['DELETE', `/api/users/${SOME_UUID}`, undefined],
      ['DELETE', `/api/users/${SOME_UUID}/sso`, undefined],
      ['GET', '/api/audit-log', undefined],
      ['GET', '/api/audit-log/actions', undefined],
      ['GET', '/api/auth/tokens?all=true', undefined],
    ])('agents get 403 on %s %s', async (method, url, body) => {
      const agent = api.as('agent');
      const req = method === 'GET' ? agent.get(url) : method === 'POST' ? agent.post(url) : method === 'PATCH' ? agent.patch(url) : agent.delete(url);
      const res = await (body !== undefined ? req.send(body) : req).expect(403);
      expect(res.body.message).toMatch(/admin/);
    });
  });

  describe('cookie sessions and CSRF', () => {
    it('login sets an httpOnly SameSite=Strict session cookie and a readable CSRF cookie', async () => {
      const res = await api.anonymous().post('/api/auth/login').send({ email: TEST_AGENT.email.toUpperCase(), password: TEST_AGENT.password }).expect(200);
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = cookies.find((c) => c.startsWith('velora_session='))!;
      const csrf = cookies.find((c) => c.startsWith('velora_csrf='))!;
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Strict/);
      expect(session).not.toMatch(/Secure/); // plain http here; Secure when the request is https
      expect(csrf).not.toMatch(/HttpOnly/);
      expect(csrf).toMatch(/SameSite=Strict/);
      expect(res.body.user).toMatchObject({ email: TEST_AGENT.email, role: 'agent' });
      expect(res.body.user.password_hash).toBeUndefined();
      expect(csrf).toContain(`velora_csrf=${res.body.csrf_token}`);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('state-changing requests with the cookie need X-CSRF-Token; reads and Bearer requests do not', async () => {
      const { agent, csrf } = await api.login('admin');
      const me = await agent.get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ email: TEST_ADMIN.email, role: 'admin', auth: 'session' });

      const missing = await agent.post('/api/auth/tokens').send({ name: 'no csrf' }).expect(403);
      expect(missing.body.message).toBe('CSRF token missing or invalid');
      await agent.post('/api/auth/tokens').set('X-CSRF-Token', `${csrf}x`).send({ name: 'wrong csrf' }).expect(403);
      await agent.post('/api/auth/tokens').set('X-CSRF-Token', csrf).send({ name: 'with csrf' }).expect(201);
      await api.http().post('/api/auth/tokens').send({ name: 'bearer, no csrf' }).expect(201);

      await agent.post('/api/auth/logout').expect(403);
      await agent.post('/api/auth/logout').set('X-CSRF-Token', csrf).expect(204);
      await agent.get('/api/auth/me').expect(401);
    });

    it('refuses wrong passwords, unknown emails and disabled users with the same message', async () => {
      const wrong = await api.anonymous().post('/api/auth/login').send({ email: TEST_ADMIN.email, password: 'not-the-password' }).expect(401);
      const unknown = await api.anonymous().post('/api/auth/login').send({ email: 'nobody@velora.test', password: 'not-the-password' }).expect(401);
      expect(wrong.body.message).toBe('Invalid email or password');
      expect(unknown.body.message).toBe(wrong.body.message);
    });
  });

  describe('API tokens', () => {
    it('are shown once, work as Bearer, record last use, and stop working when revoked', async () => {
      const created = await api.as('agent').post('/api/auth/tokens').send({ name: 'grafana' }).expect(201);
      const token = created.body.token as string;
      expect(token).toMatch(/^vlr_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ name: 'grafana', prefix: token.slice(0, 10), revoked_at: null, expires_at: null, last_used_at: null });

      const list = await api.as('agent').get('/api/auth/tokens').expect(200);
      expect(JSON.stringify(list.body)).not.toContain(token);
      expect(list.body.map((t: { id: string }) => t.id)).toContain(created.body.id);

      const me = await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toMatchObject({ email: TEST_AGENT.email, auth: 'token' });
      const after = await api.as('agent').get('/api/auth/tokens').expect(200);
      expect(after.body.find((t: { id: string }) => t.id === created.body.id).last_used_at).toBe(new Date(clock.now()).toISOString());

      // an agent cannot see or revoke the admin's tokens; the admin can revoke the agent's
      await api.as('agent').delete(`/api/auth/tokens/${api.users.admin!.id}`).expect(404);
      const adminsTokens = await api.http().get(`/api/auth/tokens?user_id=${api.users.admin!.id}`).expect(200);
      await api.as('agent').delete(`/api/auth/tokens/${adminsTokens.body[0].id}`).expect(404);
      await api.as('agent').get(`/api/auth/tokens?user_id=${api.users.admin!.id}`).expect(403);
      await api.http().delete(`/api/auth/tokens/${created.body.id}`).expect(204);
      await api.http().delete(`/api/auth/tokens/${created.body.id}`).expect(204); // idempotent
      const revoked = await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(revoked.body.message).toMatch(/revoked/);
    });

    it('expire after expires_in_days', async () => {
      const created = await api.as('agent').post('/api/auth/tokens').send({ name: 'short-lived', expires_in_days: 1 }).expect(201);
      await api.anonymous().get('/api/sippy/cdrs').set('Authorization', `Bearer ${created.body.token}`).expect(200);
      clock.advance(86_400_000 + 1);
      await api.anonymous().get('/api/sippy/cdrs').set('Authorization', `Bearer ${created.body.token}`).expect(401);
    });
  });

  describe('user administration', () => {
    it('creates users who must change their password first; emails are unique case-insensitively', async () => {
      const created = await api.http().post('/api/users').send({ email: 'Ayse@Example.com', password: 'initial-Passw0rd', role: 'agent', display_name: 'Ayşe' }).expect(201);
      expect(created.body).toMatchObject({ email: 'ayse@example.com', role: 'agent', must_change_password: true, disabled: false, display_name: 'Ayşe', sso: null, password_login: true });
      expect(JSON.stringify(created.body)).not.toMatch(/argon2|password_hash/);
      const dup = await api.http().post('/api/users').send({ email: 'AYSE@example.com', password: 'initial-Passw0rd', role: 'agent' }).expect(409);
      expect(dup.body.message).toMatch(/already exists/);

      const login = await api.anonymous().post('/api/auth/login').send({ email: 'ayse@example.com', password: 'initial-Passw0rd' }).expect(200);
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const csrf = login.body.csrf_token as string;
      const blocked = await api.anonymous().get('/api/sippy/cdrs').set('Cookie', cookies).expect(403);
      expect(blocked.body.code).toBe('password_change_required');
      await api.anonymous().get('/api/auth/me').set('Cookie', cookies).expect(200);

      const short = await api.anonymous().post('/api/auth/change-password').set('Cookie', cookies).set('X-CSRF-Token', csrf)
        .send({ current_password: 'initial-Passw0rd', new_password: 'short' }).expect(400);
      expect(JSON.stringify(short.body.message)).toContain('new_password');
      const wrong = await api.anonymous().post('/api/auth/change-password').set('Cookie', cookies).set('X-CSRF-Token', csrf)
        .send({ current_password: 'not-it-at-all', new_password: 'a-brand-new-Passw0rd' }).expect(400);
      expect(wrong.body.message).toMatch(/current_password/);
      const changed = await api.anonymous().post('/api/auth/change-password').set('Cookie', cookies).set('X-CSRF-Token', csrf)
        .send({ current_password: 'initial-Passw0rd', new_password: 'a-brand-new-Passw0rd' }).expect(200);
      expect(changed.body.user.must_change_password).toBe(false);
      // the old session ended; the response carries a new one
      await api.anonymous().get('/api/auth/me').set('Cookie', cookies).expect(401);
      const fresh = ([] as string[]).concat(changed.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      await api.anonymous().get('/api/sippy/cdrs').set('Cookie', fresh).expect(200);
      await api.anonymous().post('/api/auth/login').send({ email: 'ayse@example.com', password: 'a-brand-new-Passw0rd' }).expect(200);
    });

    it('changes roles, disables users (their tokens and sessions stop) and resets passwords', async () => {
      const user = await api.http().post('/api/users').send({ email: 'mehmet@example.com', password: 'initial-Passw0rd', role: 'agent', must_change_password: false }).expect(201);
      const login = await api.anonymous().post('/api/auth/login').send({ email: 'mehmet@example.com', password: 'initial-Passw0rd' }).expect(200);
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const token = (await api.anonymous().post('/api/auth/tokens').set('Cookie', cookies).set('X-CSRF-Token', login.body.csrf_token).send({ name: 'm' }).expect(201)).body.token as string;

      const promoted = await api.http().patch(`/api/users/${user.body.id}`).send({ role: 'admin' }).expect(200);
      expect(promoted.body.role).toBe('admin');
      await api.anonymous().get('/api/audit-log').set('Authorization', `Bearer ${token}`).expect(200);

      await api.http().patch(`/api/users/${user.body.id}`).send({ disabled: true }).expect(200);
      await api.anonymous().get('/api/sippy/cdrs').set('Authorization', `Bearer ${token}`).expect(401);
      await api.anonymous().get('/api/sippy/cdrs').set('Cookie', cookies).expect(401);
      await api.anonymous().post('/api/auth/login').send({ email: 'mehmet@example.com', password: 'initial-Passw0rd' }).expect(401);

      await api.http().patch(`/api/users/${user.body.id}`).send({ disabled: false, password: 'reset-by-admin-123' }).expect(200);
      const relog = await api.anonymous().post('/api/auth/login').send({ email: 'mehmet@example.com', password: 'reset-by-admin-123' }).expect(200);
      expect(relog.body.user.must_change_password).toBe(true);

      await api.http().delete(`/api/users/${user.body.id}`).expect(204);
      await api.http().get(`/api/users/${user.body.id}`).expect(404);
      await api.anonymous().get('/api/sippy/cdrs').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('unlinking SSO: 404 for an unknown user, 400 for a user without a link (nothing audited)', async () => {
      const missing = await api.http().delete(`/api/users/${SOME_UUID}/sso`).expect(404);
      expect(missing.body.message).toMatch(/not found/);
      await api.http().delete('/api/users/not-a-uuid/sso').expect(400);
      const plain = await api.http().get(`/api/users/${api.users.agent!.id}`).expect(200);
      expect(plain.body).toMatchObject({ sso: null, password_login: true });
      const unlinked = await api.http().delete(`/api/users/${api.users.agent!.id}/sso`).expect(400);
      expect(unlinked.body.message).toMatch(/not linked/);
      const audit = await api.http().get('/api/audit-log').query({ action: 'user.sso_unlinked' }).expect(200);
      expect(audit.body).toEqual([]);
    });

    it('never removes the last active admin, and an admin cannot delete themselves', async () => {
      const adminId = api.users.admin!.id;
      const users = await api.http().get('/api/users').expect(200);
      expect(users.body.filter((u: { role: string; disabled: boolean }) => u.role === 'admin' && !u.disabled)).toHaveLength(1);
      expect(JSON.stringify(users.body)).not.toMatch(/argon2|password_hash/);
      const demote = await api.http().patch(`/api/users/${adminId}`).send({ role: 'agent' }).expect(409);
      expect(demote.body.message).toMatch(/last active admin/);
      await api.http().patch(`/api/users/${adminId}`).send({ disabled: true }).expect(409);
      const self = await api.http().delete(`/api/users/${adminId}`).expect(409);
      expect(self.body.message).toMatch(/your own account/);
      await api.http().get('/api/auth/me').expect(200);
    });
  });

  describe('audit log', () => {
    it('records logins, failed logins, logouts, password changes, token and user changes, without secrets', async () => {
      const res = await api.http().get('/api/audit-log?limit=500').expect(200);
      const actions = new Set((res.body as Array<{ action: string }>).map((e) => e.action));
      for (const action of ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_changed', 'auth.token_created', 'auth.token_revoked', 'user.created', 'user.updated', 'user.deleted']) {
        expect(actions).toContain(action);
      }
      expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
      const failed = await api.http().get('/api/audit-log?action=auth.login_failed').expect(200);
      expect(failed.body.length).toBeGreaterThan(0);
      expect(failed.body.every((e: { action: string }) => e.action === 'auth.login_failed')).toBe(true);
      expect(failed.body[0]).toMatchObject({ actor_user_id: null, target: expect.any(String), ip: expect.any(String), details: { reason: expect.any(String) } });
      const text = JSON.stringify(res.body);
      for (const secret of [TEST_ADMIN.password, TEST_AGENT.password, 'not-the-password', 'initial-Passw0rd', 'a-brand-new-Passw0rd', 'reset-by-admin-123', api.users.admin!.token]) {
        expect(text).not.toContain(secret);
      }
    });

    it('filters by category prefix, actor, target, ip and an inclusive time range, with X-Total-Count', async () => {
      type Entry = { action: string; actor_email: string | null; target: string | null; ip: string | null; at: string };
      const all = await api.http().get('/api/audit-log?limit=500').expect(200);
      const entries = all.body as Entry[];

      const auth = await api.http().get('/api/audit-log?action=auth.&limit=500').expect(200);
      const authEntries = auth.body as Entry[];
      expect(authEntries.length).toBe(entries.filter((e) => e.action.startsWith('auth.')).length);
      expect(authEntries.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed']));
      expect(authEntries.length).toBeLessThan(entries.length);
      expect(Number(auth.headers['x-total-count'])).toBe(authEntries.length);

      const byActor = await api.http().get(`/api/audit-log?limit=500&actor=${encodeURIComponent(TEST_ADMIN.email.toUpperCase())}`).expect(200);
      expect(byActor.body.length).toBeGreaterThan(0);
      expect((byActor.body as Entry[]).every((e) => e.actor_email?.toLowerCase() === TEST_ADMIN.email.toLowerCase())).toBe(true);

      const failed = entries.find((e) => e.action === 'auth.login_failed' && e.target !== null && e.ip !== null)!;
      const byTarget = await api.http().get(`/api/audit-log?limit=500&action=auth.login_failed&target=${encodeURIComponent(failed.target!)}`).expect(200);
      expect((byTarget.body as Entry[]).every((e) => e.target?.toLowerCase().includes(failed.target!.toLowerCase()))).toBe(true);
      expect((byTarget.body as Entry[]).length).toBeGreaterThan(0);
      const byIp = await api.http().get(`/api/audit-log?limit=500&ip=${encodeURIComponent(failed.ip!)}`).expect(200);
      expect((byIp.body as Entry[]).length).toBeGreaterThan(0);
      await api.http().get('/api/audit-log?ip=203.0.113.250').expect(200).expect('X-Total-Count', '0');

      // the newest entry's own instant is inside [at, at] (both ends inclusive); the future is empty
      const newest = entries[0];
      const exact = await api.http().get(`/api/audit-log?from=${encodeURIComponent(newest.at)}&to=${encodeURIComponent(newest.at)}`).expect(200);
      expect((exact.body as Entry[]).map((e) => e.at)).toContain(newest.at);
      expect((exact.body as Entry[]).every((e) => e.at === newest.at)).toBe(true);
      await api.http().get('/api/audit-log?from=2999-01-01T00:00:00Z').expect(200).expect('X-Total-Count', '0');
      const wide = await api.http().get('/api/audit-log?from=2000-01-01&to=2999-12-31T23:59:59%2B03:00&limit=1').expect(200);
      expect(Number(wide.headers['x-total-count'])).toBe(entries.length);
    });

    it('lists the action names for the filter (every known action, sorted)', async () => {
      const res = await api.http().get('/api/audit-log/actions').expect(200);
      const actions = (res.body as { actions: string[] }).actions;
      expect(actions).toEqual([...actions].sort());
      expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.created', 'sippy.test_connection']));
      expect(new Set(actions).size).toBe(actions.length);
    });
  });

  describe('hygiene', () => {
    it('sends helmet headers and a CSP', async () => {
      const res = await api.anonymous().get('/api/health/live').expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('allows CORS with credentials only for CORS_ORIGINS', async () => {
      const ok = await api.anonymous().options('/api/auth/me').set('Origin', 'https://crm.example.com').set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'x-csrf-token');
      expect(ok.headers['access-control-allow-origin']).toBe('https://crm.example.com');
      expect(ok.headers['access-control-allow-credentials']).toBe('true');
      expect(ok.headers['access-control-allow-headers']).toContain('x-csrf-token');
      const evil = await api.anonymous().options('/api/auth/me').set('Origin', 'https://evil.example.org').set('Access-Control-Request-Method', 'GET');
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 413 to bodies over 100 kB', async () => {
      const res = await api.anonymous().post('/api/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(150_000) })).expect(413);
      expect(JSON.stringify(res.body)).not.toContain('xxxxxxxx');
    });
  });

  describe('bad input on the auth endpoints (400 naming the field)', () => {
    it.each([
      [{}, 'email'],
      [{ email: 'not-an-email', password: 'x' }, 'email'],
      [{ email: 'a@example.com' }, 'password'],
      [{ email: 'a@example.com', password: 12345 }, 'password'],
      [{ email: 'a@example.com', password: 'x'.repeat(300) }, 'password'],
      [{ email: 'a@example.com', password: 'x', remember: true }, 'remember'],
      [{ email: ['a@example.com'], password: 'x' }, 'email'],
    ])('login %j', async (body, field) => {
      const res = await api.anonymous().post('/api/auth/login').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it.each([
      [{ new_password: 'long-enough-password' }, 'current_password'],
      [{ current_password: 'x' }, 'new_password'],
      [{ current_password: 'x', new_password: 123456789012 }, 'new_password'],
      [{ current_password: 'x', new_password: 'long-enough-password', extra: 1 }, 'extra'],
    ])('change-password %j', async (body, field) => {
      const res = await api.as('agent').post('/api/auth/change-password').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'ok', expires_in_days: 0 }, 'expires_in_days'],
      [{ name: 'ok', expires_in_days: '5' }, 'expires_in_days'],
      [{ name: 'ok', scope: 'all' }, 'scope'],
    ])('create token %j', async (body, field) => {
      const res = await api.as('agent').post('/api/auth/tokens').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it.each([
      ['/api/auth/tokens?user_id=42', 'user_id'],
      ['/api/auth/tokens?all=maybe', 'all'],
      ['/api/audit-log?limit=0', 'limit'],
      ['/api/audit-log?limit=501', 'limit'],
      ['/api/audit-log?offset=-1', 'offset'],
      ['/api/audit-log?action=DROP%20TABLE', 'action'],
      ['/api/audit-log?who=1', 'who'],
      ['/api/audit-log?action=auth', 'action'],
      ['/api/audit-log?action=auth.%25', 'action'],
      ['/api/audit-log?actor=', 'actor'],
      ['/api/audit-log?actor=a&actor=b', 'actor'],
      [`/api/audit-log?target=${'x'.repeat(321)}`, 'target'],
      ['/api/audit-log?ip=10.0.0.1%27--', 'ip'],
      ['/api/audit-log?from=yesterday', 'from'],
      ['/api/audit-log?from=2026-11-25T10:00:00', 'from'],
      ['/api/audit-log?from=2026-02-30T10:00:00Z', 'from'],
      ['/api/audit-log?to=2026-11-25T25:00:00Z', 'to'],
      ['/api/audit-log?from=2026-11-26T00:00:00Z&to=2026-11-25T23:59:59%2B03:00', 'to'],
      ['/api/users/not-a-uuid', 'id'],
    ])('GET %s', async (url, field) => {
      const res = await api.http().get(url).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('GET /api/audit-log with to earlier than from says so (equal instants are fine)', async () => {
      const res = await api.http().get('/api/audit-log?from=2026-11-25T10:00:00Z&to=2026-11-25T12:59:59%2B03:00').expect(400);
      expect(res.body.message).toEqual(['to must not be earlier than from']);
      await api.http().get('/api/audit-log?from=2026-11-25T10:00:00Z&to=2026-11-25T13:00:00%2B03:00').expect(200);
    });

    it('DELETE /api/auth/tokens/not-a-uuid', async () => {
      const res = await api.http().delete('/api/auth/tokens/not-a-uuid').expect(400);
      expect(JSON.stringify(res.body.message)).toContain('id');
    });

    it.each([
      [{ password: 'long-enough-password', role: 'agent' }, 'email'],
      [{ email: 'n@example.com', password: 'short', role: 'agent' }, 'password'],
      [{ email: 'n@example.com', password: 'long-enough-password', role: 'root' }, 'role'],
      [{ email: 'n@example.com', password: 'long-enough-password', role: 'agent', display_name: 'x'.repeat(101) }, 'display_name'],
      [{ email: 'n@example.com', password: 'long-enough-password', role: 'agent', must_change_password: 'no' }, 'must_change_password'],
      [{ email: 'n@example.com', password: 'long-enough-password', role: 'agent', is_admin: true }, 'is_admin'],
    ])('create user %j', async (body, field) => {
      const res = await api.http().post('/api/users').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it.each([
      [{ role: 'superuser' }, 'role'],
      [{ disabled: 'yes' }, 'disabled'],
      [{ password: 'short' }, 'password'],
      [{ email: 'new@example.com' }, 'email'],
    ])('update user %j', async (body, field) => {
      const res = await api.http().patch(`/api/users/${api.users.agent!.id}`).send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('404 for unknown users', async () => {
      await api.http().patch(`/api/users/${SOME_UUID}`).send({ role: 'agent' }).expect(404);
      await api.http().delete(`/api/users/${SOME_UUID}`).expect(404);
    });
  });
});

describe('test-connection guard (e2e)', () => {
  let api: TestApp;
  let redirector: Server;
  let redirectorHits = 0;
  let target: Server;
  let targetHits = 0;

  beforeAll(async () => {
    target = createServer((_req, res) => {
      targetHits += 1;
      res.end('<methodResponse/>');
    });
    await new Promise<void>((done) => target.listen(0, '127.0.0.1', done));
    const targetPort = (target.address() as AddressInfo).port;
    redirector = createServer((_req, res) => {
      redirectorHits += 1;
      res.writeHead(302, { Location: `http://127.0.0.1:${targetPort}/xmlapi/xmlapi` }).end();
    });
    await new Promise<void>((done) => redirector.listen(0, '127.0.0.1', done));
    api = await startTestApp({ DATABASE_URL: 'memory://' });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await cleanUp(redirector, (r) => new Promise((done) => r.close(done)));
    await cleanUp(target, (r) => new Promise((done) => r.close(done)));
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /link-local or cloud-metadata/],
    ['http://[fd00:ec2::254]/', /link-local or cloud-metadata/],
    ['http://[fe80::1]/xmlapi', /link-local or cloud-metadata/],
    ['http://[::ffff:169.254.169.254]/', /link-local or cloud-metadata/],
    ['http://user:pw@127.0.0.1:9/xmlapi', /user:password@/],
  ])('refuses %s with a 400', async (url, message) => {
    const res = await api.http().post('/api/sippy/test-connection').send({ api_url: url, username: 'u', password: 'p' }).expect(400);
    expect(res.body.message).toMatch(message);
  });

  it('does not follow redirects', async () => {
    const port = (redirector.address() as AddressInfo).port;
    const res = await api.http().post('/api/sippy/test-connection').send({ api_url: `http://127.0.0.1:${port}/xmlapi/xmlapi`, username: 'u', password: 'p' }).expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.details.cause).toBe('http');
    expect(redirectorHits).toBeGreaterThan(0);
    expect(targetHits).toBe(0);
  });

  it('audits each call with the target host and outcome', async () => {
    const res = await api.http().get('/api/audit-log?action=sippy.test_connection').expect(200);
    expect(res.body.length).toBeGreaterThanOrEqual(6);
    expect(res.body.some((e: { target: string; details: { refused?: string } }) => e.target === '169.254.169.254' && e.details.refused === 'blocked_address')).toBe(true);
    expect(res.body.some((e: { details: { ok?: boolean; cause?: string } }) => e.details.ok === false && e.details.cause === 'http')).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('"pw"');
  });

  it('is rate limited per user (429 with Retry-After)', async () => {
    const body = { api_url: 'http://127.0.0.1:9/xmlapi/xmlapi', username: 'u', password: 'p' };
    const small = await startTestApp({ DATABASE_URL: 'memory://', SIPPY_TEST_RATE_LIMIT: '2' });
    try {
      await small.http().post('/api/sippy/test-connection').send(body).expect(200);
      await small.http().post('/api/sippy/test-connection').send(body).expect(200);
      const limited = await small.http().post('/api/sippy/test-connection').send(body).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body.message).toMatch(/Too many requests/);
    } finally {
      await small.close();
    }
  });

  it('honours SIPPY_TEST_ALLOWED_HOSTS', async () => {
    const port = (target.address() as AddressInfo).port;
    const limited = await startTestApp({ DATABASE_URL: 'memory://', SIPPY_TEST_ALLOWED_HOSTS: 'switch.example.net, 10.0.0.0/8' });
    try {
      const refused = await limited.http().post('/api/sippy/test-connection').send({ api_url: `http://127.0.0.1:${port}/xmlapi/xmlapi`, username: 'u', password: 'p' }).expect(400);
      expect(refused.body.message).toMatch(/not in SIPPY_TEST_ALLOWED_HOSTS/);
      const hits = targetHits;
      expect(targetHits).toBe(hits);
    } finally {
      await limited.close();
    }
    const loopback = await startTestApp({ DATABASE_URL: 'memory://', SIPPY_TEST_ALLOWED_HOSTS: '127.0.0.0/8' });
    try {
      const res = await loopback.http().post('/api/sippy/test-connection').send({ api_url: `http://127.0.0.1:${port}/xmlapi/xmlapi`, username: 'u', password: 'p' }).expect(200);
      expect(res.body.ok).toBe(false); // reached, but not a Sippy answer
      expect(targetHits).toBeGreaterThan(0);
    } finally {
      await loopback.close();
    }
  });
});

describe('login rate limit (e2e)', () => {
  it('answers 429 after AUTH_LOGIN_RATE_LIMIT attempts per IP and email, with Retry-After', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', AUTH_LOGIN_RATE_LIMIT: '3' });
    try {
      for (let i = 0; i < 3; i += 1) {
        await api.anonymous().post('/api/auth/login').send({ email: TEST_ADMIN.email, password: `wrong-${i}` }).expect(401);
      }
      const limited = await api.anonymous().post('/api/auth/login').send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // another account from the same IP still gets its own attempts (the IP alone allows 5×)
      await api.anonymous().post('/api/auth/login').send({ email: TEST_AGENT.email, password: TEST_AGENT.password }).expect(200);
      // the per-IP ceiling: 15 attempts in all
      let status = 0;
      for (let i = 0; i < 15 && status !== 429; i += 1) {
        status = (await api.anonymous().post('/api/auth/login').send({ email: `user${i}@example.com`, password: 'whatever' })).status;
      }
      expect(status).toBe(429);
    } finally {
      await api.close();
    }
  });

  const withPostgres = process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync() ? it : it.skip;
  withPostgres('is shared by every replica on one PostgreSQL (counters live in the database)', async () => {
    const database = await createTestDatabase('postgres');
    const replicaA = await startTestApp({ DATABASE_URL: database.url, AUTH_LOGIN_RATE_LIMIT: '4' });
    const replicaB = await startTestApp({ DATABASE_URL: database.url, AUTH_LOGIN_RATE_LIMIT: '4' }, { seedUsers: false });
    try {
      const attempt = (replica: TestApp) => replica.anonymous().post('/api/auth/login').send({ email: TEST_AGENT.email, password: 'not-the-password' });
      // 4 attempts spread over two replicas use up the one limit
      for (const replica of [replicaA, replicaB, replicaA, replicaB]) expect((await attempt(replica)).status).toBe(401);
      const limited = await attempt(replicaA);
      expect(limited.status).toBe(429);
      expect((await attempt(replicaB)).status).toBe(429);
    } finally {
      await replicaB.close();
      await replicaA.close();
      await database.dispose();
    }
  });
});

describe('first start (e2e)', () => {
  it('creates an admin with a generated password, prints it once, and never again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'velora-first-start-'));
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined };
    try {
      const first = await startTestApp(env, { seedUsers: false });
      let password: string;
      try {
        const text = first.logs.text();
        expect(text).toContain('FIRST START: created the admin account');
        password = /password: (\S+)/.exec(text)![1];
        expect(password.length).toBeGreaterThanOrEqual(20);
        const login = await first.anonymous().post('/api/auth/login').send({ email: 'admin@velora.local', password }).expect(200);
        expect(login.body.user).toMatchObject({ role: 'admin', must_change_password: true });
      } finally {
        await first.close();
      }
      const second = await startTestApp(env, { seedUsers: false });
      try {
        expect(second.logs.text()).not.toContain('FIRST START');
        expect(second.logs.text()).not.toContain(password);
        // the session key survived the restart (stored in app_settings): logins keep working
        await second.anonymous().post('/api/auth/login').send({ email: 'admin@velora.local', password }).expect(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('uses ADMIN_EMAIL/ADMIN_PASSWORD when set, and never logs the password', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'configured-Admin-pass-42' }, { seedUsers: false });
    try {
      expect(api.logs.text()).toContain('Created the first admin boss@example.com');
      expect(api.logs.text()).not.toContain('configured-Admin-pass-42');
      const login = await api.anonymous().post('/api/auth/login').send({ email: 'boss@example.com', password: 'configured-Admin-pass-42' }).expect(200);
      expect(login.body.user).toMatchObject({ role: 'admin', must_change_password: false });
    } finally {
      await api.close();
    }
  });
});

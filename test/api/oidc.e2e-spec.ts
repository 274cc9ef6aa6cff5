import { UsersRepository } from '../../apps/api/src/auth/users.repository';
import { FakeOidcIssuer } from '../support/fake-oidc-issuer';
import { startTestApp, TEST_AGENT, type TestAgent, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

jest.setTimeout(60_000);

const CLIENT_ID = 'velora-web';
const CLIENT_SECRET = 'fake-oidc-client-secret-4d1f';
/** Supertest serves each request on a new port, so the callback URL is configured (as behind a proxy). */
const REDIRECT_URL = 'http://velora.test/api/auth/oidc/callback';

interface AuditEntry {
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

interface SignInResult {
  /** Where the callback sent the browser. */
  location: string;
  /** The issuer's redirect back to us (code, state, iss). */
  callbackUrl: URL;
}

/** Location header of a 302, or a failed expectation. */
function locationOf(res: { status: number; headers: Record<string, string | undefined>; text?: string }): string {
  if (res.status !== 302 || res.headers['location'] === undefined) throw new Error(`expected a redirect, got ${res.status} ${res.text ?? ''}`);
  return res.headers['location'];
}

/** The browser's trip: /login → issuer /authorize (auto-approved) → our callback (with the agent's cookies). */
async function startAtIssuer(agent: TestAgent, returnTo?: string): Promise<URL> {
  const login = await agent.get('/api/auth/oidc/login').query(returnTo !== undefined ? { return_to: returnTo } : {}).set('Accept', 'text/html');
  const authorize = await fetch(locationOf(login), { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`issuer /authorize answered ${authorize.status}: ${await authorize.text()}`);
  return new URL(authorize.headers.get('location') ?? '');
}

async function finishAtCallback(agent: TestAgent, callbackUrl: URL): Promise<string> {
  const callback = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
  expect(callback.headers['cache-control']).toBe('no-store');
  // the flow cookie is cleared whatever happened; no token ever appears in the redirect
  expect(([] as string[]).concat(callback.headers['set-cookie'] ?? []).some((c) => /^velora_oidc_flow=;/.test(c))).toBe(true);
  expect(callback.headers['location']).not.toMatch(/code=|state=|eyJ/);
  return locationOf(callback);
}

async function signIn(agent: TestAgent, returnTo?: string): Promise<SignInResult> {
  const callbackUrl = await startAtIssuer(agent, returnTo);
  return { callbackUrl, location: await finishAtCallback(agent, callbackUrl) };
}

describe('OIDC single sign-on (e2e, fake issuer)', () => {
  const issuer = new FakeOidcIssuer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URL] });
  let api: TestApp;

  async function lastAudit(action: string): Promise<AuditEntry> {
    const res = await api.http().get('/api/audit-log').query({ action, limit: 1 }).expect(200);
    const entry = (res.body as AuditEntry[]).at(0);
    if (entry === undefined) throw new Error(`no ${action} audit entry`);
    return entry;
  }

  beforeAll(async () => {
    await issuer.start();
    api = await startTestApp({
      DATABASE_URL: 'memory://',
      OIDC_ISSUER_URL: issuer.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: REDIRECT_URL,
      OIDC_DISPLAY_NAME: 'Keycloak',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      OIDC_ADMIN_ROLES: 'velora-admin, it-ops',
      OIDC_AUTO_CREATE_USERS: 'true',
      OIDC_ACCEPT_BEARER_TOKENS: 'true',
    });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await issuer.stop();
  });

  beforeEach(async () => {
    issuer.knobs = {};
    issuer.authorizeError = undefined;
    await issuer.setDown(false);
    issuer.user = { sub: 'kc-ayse', email: 'Ayse.Yilmaz@Example.com', email_verified: true, name: 'Ayşe Yılmaz', roles: ['offline_access'] };
  });

  it('tells the login page that SSO is on, and its label', async () => {
    const res = await api.anonymous().get('/api/auth/oidc/config').expect(200);
    expect(res.body).toEqual({ enabled: true, display_name: 'Keycloak' });
  });

  it('redirects to the issuer with PKCE (S256), state, nonce and the configured redirect_uri; the flow cookie is httpOnly, lax and short-lived', async () => {
    const res = await api.anonymous().get('/api/auth/oidc/login').query({ return_to: '/integrations' }).expect(302);
    const target = new URL(locationOf(res));
    expect(`${target.origin}${target.pathname}`).toBe(`${issuer.issuer}/authorize`);
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URL,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('velora_oidc_flow='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oidc/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).not.toContain(target.searchParams.get('state') ?? 'no-state'); // signed JWT, not the raw state
  });

  it('signs a new user in: creates them with the default role, sets the session cookies and lands on return_to', async () => {
    const agent = api.anonymous();
    const { location } = await signIn(agent, '/integrations?tab=issabel');
    expect(location).toBe('/integrations?tab=issabel');

    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body).toMatchObject({ email: 'ayse.yilmaz@example.com', role: 'agent', display_name: 'Ayşe Yılmaz', must_change_password: false, auth: 'session' });

    const row = await api.app.get(UsersRepository).findByEmail('ayse.yilmaz@example.com');
    expect(row).toMatchObject({ oidc_issuer: issuer.issuer, oidc_subject: 'kc-ayse' });
    // the confidential client authenticated at /token with its secret (Basic) and sent the PKCE verifier
    const token = issuer.tokenRequests.at(-1);
    expect(token?.authorization).toMatch(/^Basic /);
    expect(token?.params.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

    const login = await lastAudit('auth.login');
    expect(login).toMatchObject({ target: 'ayse.yilmaz@example.com', details: { via: 'oidc', created: true, issuer: issuer.issuer } });
    const created = await lastAudit('user.created');
    expect(created).toMatchObject({ target: 'ayse.yilmaz@example.com', details: { via: 'oidc', role: 'agent' } });

    // an SSO-created user has no usable password
    await api.anonymous().post('/api/auth/login').send({ email: 'ayse.yilmaz@example.com', password: '!sso-only' }).expect(401);
    // a normal cookie session: writes need the CSRF token
    await agent.post('/api/auth/logout').expect(403);
  });

  it('maps the admin role from the claim and re-applies the IdP role at every sign-in (linked by subject, not email)', async () => {
    issuer.user = { sub: 'kc-mehmet', email: 'mehmet@example.com', email_verified: true, roles: ['it-ops'] };
    const first = api.anonymous();
    await signIn(first);
    expect((await first.get('/api/auth/me').expect(200)).body).toMatchObject({ email: 'mehmet@example.com', role: 'admin' });
    await first.get('/api/users').expect(200);

    // the IdP takes the role away and changes the email: same Velora user (issuer + sub), now an agent
    issuer.user = { sub: 'kc-mehmet', email: 'mehmet.new@example.com', email_verified: true, roles: [] };
    const second = api.anonymous();
    await signIn(second);
    const me = (await second.get('/api/auth/me').expect(200)).body as { id: string; email: string; role: string };
    expect(me).toMatchObject({ email: 'mehmet@example.com', role: 'agent' });
    expect((await lastAudit('auth.login')).details).toMatchObject({ via: 'oidc', role: { from: 'admin', to: 'agent' } });
    // the role change ended the older session
    await first.get('/api/auth/me').expect(401);
  });

  it('links an account an admin created by email, and voids its temporary password', async () => {
    const created = await api.http().post('/api/users').send({ email: 'zeynep@example.com', password: 'temporary-Passw0rd-1', role: 'agent' }).expect(201);
    issuer.user = { sub: 'kc-zeynep', email: 'ZEYNEP@example.com', email_verified: true };
    const agent = api.anonymous();
    expect((await signIn(agent)).location).toBe('/');
    const me = (await agent.get('/api/auth/me').expect(200)).body as { id: string; must_change_password: boolean };
    expect(me).toMatchObject({ id: (created.body as { id: string }).id, must_change_password: false });
    await agent.get('/api/sippy/sync').expect(200); // no pending password change blocks the SSO session
    expect((await lastAudit('auth.login')).details).toMatchObject({ linked: true, temporary_password_voided: true });
    await api.anonymous().post('/api/auth/login').send({ email: 'zeynep@example.com', password: 'temporary-Passw0rd-1' }).expect(401);
  });

  it('refuses a disabled user, and an email already linked to another subject', async () => {
    const agentId = api.users.agent?.id ?? '';
    await api.http().patch(`/api/users/${agentId}`).send({ disabled: true }).expect(200);
    issuer.user = { sub: 'kc-agent', email: TEST_AGENT.email, email_verified: true };
    const agent = api.anonymous();
    expect((await signIn(agent)).location).toBe('/login?sso_error=disabled');
    await agent.get('/api/auth/me').expect(401);
    expect(await lastAudit('auth.login_failed')).toMatchObject({ target: TEST_AGENT.email, details: { via: 'oidc', reason: 'disabled' } });
    await api.http().patch(`/api/users/${agentId}`).send({ disabled: false }).expect(200);

    issuer.user = { sub: 'kc-impostor', email: 'ayse.yilmaz@example.com', email_verified: true };
    expect((await signIn(api.anonymous())).location).toBe('/login?sso_error=not_allowed');
  });

  it('shows admins the SSO link and "SSO only" users; an admin unlinks it (audited), and the next SSO sign-in may link another subject', async () => {
    const users = (await api.http().get('/api/users').expect(200)).body as Array<{ email: string; sso: unknown; password_login: boolean }>;
    // created by SSO: linked, no password
    expect(users.find((u) => u.email === 'ayse.yilmaz@example.com')).toMatchObject({ sso: { issuer: issuer.issuer }, password_login: false });
    // created by an admin, then linked: the temporary password was voided, so SSO only too
    expect(users.find((u) => u.email === 'zeynep@example.com')).toMatchObject({ sso: { issuer: issuer.issuer }, password_login: false });
    // never signed in with SSO
    expect(users.find((u) => u.email === TEST_AGENT.email)).toMatchObject({ sso: null, password_login: true });
    // the subject is never shown
    expect(JSON.stringify(users)).not.toContain('kc-ayse');

    const row = await api.app.get(UsersRepository).findByEmail('ayse.yilmaz@example.com');
    const id = row?.id ?? '';
    // only admins
    await api.as('agent').delete(`/api/users/${id}/sso`).expect(403);
    // a user's own session sees their link too (GET /api/auth/me)
    const agent = api.anonymous();
    await signIn(agent);
    expect((await agent.get('/api/auth/me').expect(200)).body).toMatchObject({ sso: { issuer: issuer.issuer }, password_login: false });

    const res = await api.http().delete(`/api/users/${id}/sso`).expect(200);
    expect(res.body).toMatchObject({ id, email: 'ayse.yilmaz@example.com', sso: null, password_login: false });
    expect(await api.app.get(UsersRepository).findById(id)).toMatchObject({ oidc_issuer: null, oidc_subject: null });
    expect(await lastAudit('user.sso_unlinked')).toMatchObject({
      target: 'ayse.yilmaz@example.com',
      details: { user_id: id, issuer: issuer.issuer, password_login: false },
    });
    expect(JSON.stringify((await lastAudit('user.sso_unlinked')).details)).not.toContain('kc-ayse');
    // sessions stay valid; a second unlink has nothing to remove
    await agent.get('/api/auth/me').expect(200);
    await api.http().delete(`/api/users/${id}/sso`).expect(400);

    // the IdP account was replaced: the new subject with the same verified email links again
    issuer.user = { sub: 'kc-ayse-new', email: 'ayse.yilmaz@example.com', email_verified: true };
    expect((await signIn(api.anonymous())).location).toBe('/');
    expect(await api.app.get(UsersRepository).findById(id)).toMatchObject({ oidc_issuer: issuer.issuer, oidc_subject: 'kc-ayse-new' });
    expect((await lastAudit('auth.login')).details).toMatchObject({ linked: true });

    // back to the original subject for the tests below
    await api.http().delete(`/api/users/${id}/sso`).expect(200);
    issuer.user = { sub: 'kc-ayse', email: 'ayse.yilmaz@example.com', email_verified: true };
    await signIn(api.anonymous());
    expect(await api.app.get(UsersRepository).findById(id)).toMatchObject({ oidc_subject: 'kc-ayse' });
  });

  it('refuses an ID token without email, or with email_verified false', async () => {
    issuer.user = { sub: 'kc-noemail', name: 'No Mail' };
    expect((await signIn(api.anonymous(), '/x')).location).toBe('/login?sso_error=no_email&returnUrl=%2Fx');
    issuer.user = { sub: 'kc-unverified', email: 'unverified@example.com', email_verified: false };
    expect((await signIn(api.anonymous())).location).toBe('/login?sso_error=email_unverified');
    expect(await api.app.get(UsersRepository).findByEmail('unverified@example.com')).toBeUndefined();
  });

  it.each([
    ['a wrong audience', { audience: 'someone-else' }],
    ['an expired ID token', { expired: true }],
    ['a bad signature (another key, same kid)', { badSignature: true }],
    ['a replayed nonce (an ID token from another sign-in)', { nonce: 'nonce-of-an-earlier-sign-in' }],
    ['another issuer', { issuer: 'http://127.0.0.1:1' }],
  ])('refuses %s with token_invalid and audits the reason', async (_what, knobs) => {
    issuer.knobs = knobs;
    issuer.user = { sub: 'kc-tampered', email: 'tampered@example.com', email_verified: true };
    const agent = api.anonymous();
    expect((await signIn(agent)).location).toBe('/login?sso_error=token_invalid');
    await agent.get('/api/auth/me').expect(401);
    expect(await lastAudit('auth.login_failed')).toMatchObject({ details: { via: 'oidc', reason: 'token_invalid' } });
    expect(await api.app.get(UsersRepository).findByEmail('tampered@example.com')).toBeUndefined();
  });

  it('refuses a callback whose state does not match the browser (login CSRF), without calling the token endpoint', async () => {
    const victim = api.anonymous();
    const attacker = api.anonymous();
    const attackerCallback = await startAtIssuer(attacker);
    await startAtIssuer(victim); // the victim has a flow cookie of their own
    const before = issuer.tokenRequests.length;
    expect(await finishAtCallback(victim, attackerCallback)).toBe('/login?sso_error=state_mismatch');
    expect(issuer.tokenRequests.length).toBe(before);
    await victim.get('/api/auth/me').expect(401);
  });

  it('refuses a callback without the flow cookie, and a second use of the same callback (code replay)', async () => {
    const callbackUrl = await startAtIssuer(api.anonymous());
    expect(await finishAtCallback(api.anonymous(), callbackUrl)).toBe('/login?sso_error=flow_expired');

    const agent = api.anonymous();
    const { callbackUrl: used, location } = await signIn(agent);
    expect(location).toBe('/');
    // the flow cookie is gone after one use
    expect(await finishAtCallback(agent, used)).toBe('/login?sso_error=flow_expired');
  });

  it('shows the issuer\'s refusal (access_denied) as idp_error', async () => {
    issuer.authorizeError = 'access_denied';
    expect((await signIn(api.anonymous())).location).toBe('/login?sso_error=idp_error');
  });

  it('never redirects off-site after sign-in (return_to open-redirect attempts become /)', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/login?sso_error=x', 'javascript:alert(1)']) {
      const agent = api.anonymous();
      expect((await signIn(agent, evil)).location).toBe('/');
    }
  });

  it('sends browsers back to the login page when the issuer is down; API clients get 502; the app keeps running', async () => {
    const down = new FakeOidcIssuer({ clientId: CLIENT_ID });
    await down.start();
    const issuerUrl = down.issuer;
    await down.setDown(true);
    const broken = await startTestApp(
      { DATABASE_URL: 'memory://', OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: CLIENT_ID, OIDC_REDIRECT_URL: REDIRECT_URL, OIDC_ACCEPT_BEARER_TOKENS: 'true' },
      { seedUsers: false },
    );
    try {
      await broken.anonymous().get('/api/health/live').expect(200); // started although the issuer is unreachable
      const browser = await broken.anonymous().get('/api/auth/oidc/login').query({ return_to: '/cdrs' }).set('Accept', 'text/html,application/xhtml+xml').expect(302);
      expect(browser.headers['location']).toBe('/login?sso_error=issuer_unreachable&returnUrl=%2Fcdrs');
      const client = await broken.anonymous().get('/api/auth/oidc/login').set('Accept', 'application/json').expect(502);
      expect(client.body.message).toContain(issuerUrl);
      expect(client.body.message).toMatch(/discovery/);
      // a machine client's issuer token cannot be checked either: 502 naming the issuer, not a 401
      const bearer = await broken.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${await down.accessToken({ sub: 'svc' })}`).expect(502);
      expect(bearer.body.message).toContain(issuerUrl);

      // discovery failures are not cached: once the issuer is back, sign-in works
      await down.setDown(false);
      const again = await broken.anonymous().get('/api/auth/oidc/login').expect(302);
      expect(locationOf(again).startsWith(`${issuerUrl}/authorize?`)).toBe(true);
    } finally {
      await broken.close();
      await down.stop();
    }
  });

  it('maps a callback to issuer_unreachable when the token endpoint cannot be reached', async () => {
    const agent = api.anonymous();
    const callbackUrl = await startAtIssuer(agent);
    await issuer.setDown(true);
    expect(await finishAtCallback(agent, callbackUrl)).toBe('/login?sso_error=issuer_unreachable');
    expect(await lastAudit('auth.login_failed')).toMatchObject({ details: { reason: 'issuer_unreachable' } });
  });

  it('never logs or audits the client secret, a code or a token (after all the flows above)', async () => {
    const logs = api.logs.text();
    expect(logs).toContain('discovered the SSO issuer');
    expect(logs).toContain('SSO sign-in refused (token_invalid)');
    expect(logs).not.toContain(CLIENT_SECRET);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(logs).not.toMatch(/code=[A-Za-z0-9_-]{20,}/);
    const audit = await api.http().get('/api/audit-log').query({ limit: 500 }).expect(200);
    expect(audit.text).not.toContain(CLIENT_SECRET);
    expect(audit.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  describe('Bearer access tokens from the issuer (OIDC_ACCEPT_BEARER_TOKENS)', () => {
    it('accepts a valid token for a linked or same-email user, as that user', async () => {
      const token = await issuer.accessToken({ sub: 'kc-ayse', email: 'ayse.yilmaz@example.com' });
      const me = await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body).toMatchObject({ email: 'ayse.yilmaz@example.com', auth: 'oidc' });
      // no CSRF token needed (not a cookie), the role is the user's
      await api.anonymous().post('/api/auth/tokens').set('Authorization', `Bearer ${token}`).send({ name: 'ci' }).expect(201);
    });

    it.each([
      ['expired', { expired: true }],
      ['signed with another key', { badSignature: true }],
      ['for another audience', { audience: 'another-api' }],
    ])('refuses a token that is %s', async (_what, options) => {
      const token = await issuer.accessToken({ sub: 'kc-ayse', email: 'ayse.yilmaz@example.com' }, options);
      const res = await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(res.body.message).toMatch(/access token/);
    });

    it('refuses a token for nobody Velora knows, and an ID token used as an access token', async () => {
      const stranger = await issuer.accessToken({ sub: 'kc-stranger', email: 'stranger@example.com' });
      await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${stranger}`).expect(401);
      const idTokenLike = await issuer.accessToken({ sub: 'kc-ayse', email: 'ayse.yilmaz@example.com', nonce: 'n' });
      await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${idTokenLike}`).expect(401);
    });
  });
});

describe('OIDC single sign-on switched off (e2e)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: 'memory://' }, { seedUsers: false });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  it('says enabled:false and answers 404 on the sign-in endpoints', async () => {
    expect((await api.anonymous().get('/api/auth/oidc/config').expect(200)).body).toEqual({ enabled: false, display_name: null });
    await api.anonymous().get('/api/auth/oidc/login').expect(404);
    await api.anonymous().get('/api/auth/oidc/callback?code=x&state=y').expect(404);
  });
});

describe('OIDC with a public client and auto-create off (e2e)', () => {
  const issuer = new FakeOidcIssuer({ clientId: 'velora-public', redirectUris: [REDIRECT_URL] });
  let api: TestApp;

  beforeAll(async () => {
    await issuer.start();
    api = await startTestApp({ DATABASE_URL: 'memory://', OIDC_ISSUER_URL: issuer.issuer, OIDC_CLIENT_ID: 'velora-public', OIDC_REDIRECT_URL: REDIRECT_URL });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await issuer.stop();
  });

  it('refuses users Velora does not know (no account is created)', async () => {
    issuer.user = { sub: 'kc-new', email: 'new.person@example.com', email_verified: true };
    expect((await signIn(api.anonymous())).location).toBe('/login?sso_error=not_allowed');
    expect(await api.app.get(UsersRepository).findByEmail('new.person@example.com')).toBeUndefined();
    const failed = await api.http().get('/api/audit-log').query({ action: 'auth.login_failed', limit: 1 }).expect(200);
    expect((failed.body as AuditEntry[])[0]).toMatchObject({ target: 'new.person@example.com', details: { reason: 'not_allowed' } });
  });

  it('signs in a user an admin created, with PKCE only (no client secret); without a roles claim their role stays', async () => {
    issuer.user = { sub: 'kc-admin', email: api.users.admin?.email, email_verified: true, roles: [] };
    const agent = api.anonymous();
    expect((await signIn(agent)).location).toBe('/');
    expect((await agent.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'admin' });
    const token = issuer.tokenRequests.at(-1);
    expect(token?.authorization).toBeUndefined();
    expect(token?.params.get('client_id')).toBe('velora-public');
    expect(token?.params.get('client_secret')).toBeNull();
  });

  it('does not accept issuer access tokens unless OIDC_ACCEPT_BEARER_TOKENS is on', async () => {
    const token = await issuer.accessToken({ sub: 'kc-admin', email: api.users.admin?.email ?? '' }, { audience: 'velora-public' });
    const res = await api.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.message).toMatch(/Invalid, expired or revoked API token/);
  });
});

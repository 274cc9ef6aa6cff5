import type { BrowserContext, Page } from 'playwright-core';
import { FakeOidcIssuer } from '../support/fake-oidc-issuer';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';
import { cleanUp } from '../support/clean-up';

/**
 * Single sign-on in a real Chromium: the login page offers "Keycloak ile giriş yap", the browser goes to the
 * (fake) issuer on `localhost` — another site than the app on 127.0.0.1, as a real IdP is — comes back through
 * the callback and lands on the live view with a Velora session. A refused sign-in comes back to the login
 * page with a translated message.
 */
describe('Single sign-on (browser)', () => {
  const issuer = new FakeOidcIssuer({ clientId: 'velora-browser', clientSecret: 'browser-oidc-secret-8e2a', host: 'localhost' });
  let stack: VeloraStack;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await issuer.start();
    stack = new VeloraStack({
      apiEnv: {
        OIDC_ISSUER_URL: issuer.issuer,
        OIDC_CLIENT_ID: 'velora-browser',
        OIDC_CLIENT_SECRET: 'browser-oidc-secret-8e2a',
        OIDC_DISPLAY_NAME: 'Keycloak',
        OIDC_ROLES_CLAIM: 'roles',
        OIDC_ADMIN_ROLES: 'velora-admin',
        OIDC_AUTO_CREATE_USERS: 'true',
      },
    });
    await stack.start();
  });

  afterAll(async () => {
    await cleanUp(stack, (r) => r.stop());
    await issuer.stop();
  });

  afterEach(async () => {
    await cleanUp(context, (r) => r.close());
  });

  async function open(): Promise<void> {
    context = await newContext(stack.browser, stack.api.baseUrl, { signedIn: false });
    page = await context.newPage();
    consoleErrors = watchConsole(page).errors;
  }

  it('signs in through the identity provider and lands on the live view as the SSO user', async () => {
    issuer.user = { sub: 'kc-elif', email: 'elif.kaya@example.com', email_verified: true, name: 'Elif Kaya', roles: ['velora-agent'] };
    await open();
    await page.goto('/');
    await page.waitForURL(/\/login\?returnUrl=%2Fvoip-crm$/);
    const button = page.locator('[data-testid="sso-login"]');
    await button.waitFor();
    expect((await button.innerText()).trim()).toBe('Keycloak ile giriş yap');
    await screenshot(page, 'login-sso');

    await button.click();
    await page.waitForURL('**/voip-crm');
    await page.locator('mat-card-title', { hasText: 'Gerçek Zamanlı Çağrı Görünümü (Live)' }).waitFor();
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    expect(await page.locator('[data-testid="user-menu"]').innerText()).toContain('Elif Kaya');
    // an agent: no administration section
    expect(await page.locator('[data-testid="nav-admin"]').count()).toBe(0);
    // the issuer really was visited (authorize by the browser, token by the API)
    expect(issuer.requests).toEqual(expect.arrayContaining(['/.well-known/openid-configuration', '/authorize', '/token', '/jwks']));
    // the session is the normal httpOnly cookie; no token ever reaches the page
    const cookies = await context.cookies(stack.api.baseUrl);
    expect(cookies.find((c) => c.name === 'velora_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'velora_oidc_flow')).toBeUndefined();
    expect(page.url()).not.toMatch(/code=|state=|token/);
    expect(consoleErrors.filter((e) => !/status of (401|503)/.test(e))).toEqual([]);
  });

  it('comes back to the login page with a translated message when the identity provider refuses', async () => {
    issuer.authorizeError = 'access_denied';
    try {
      await open();
      await page.goto('/login');
      await page.locator('[data-testid="sso-login"]').click();
      await page.waitForURL(/\/login\?sso_error=idp_error/);
      const message = page.locator('[data-testid="sso-error"]');
      await message.waitFor();
      expect(await message.innerText()).toContain('Kimlik sağlayıcı girişe izin vermedi.');
      expect(await page.locator('[data-testid="login-form"]').count()).toBe(1);
    } finally {
      issuer.authorizeError = undefined;
    }
  });
});

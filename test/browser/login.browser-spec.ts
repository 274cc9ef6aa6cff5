import type { BrowserContext, Page } from 'playwright-core';
import { E2E_ADMIN } from './support/api-process';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';
import { cleanUp } from '../support/clean-up';

const AGENT = { email: 'agent@velora.e2e', initialPassword: 'agent-Initial-Pa55', newPassword: 'agent-Changed-Pa55-2026' } as const;

/**
 * Sign-in in a real Chromium: the guard, the login page and its errors, the forced password change,
 * sign-out, the agent's view (no Test Connection, no user admin), and the admin's user and API token
 * screens. Login attempts are limited to 4 per minute and email here so the 429 is reachable.
 */
describe('Sign in (browser)', () => {
  const stack = new VeloraStack({ apiEnv: { AUTH_LOGIN_RATE_LIMIT: '4' } });
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await stack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  afterEach(async () => {
    await cleanUp(context, (r) => r.close());
  });

  async function open(signedIn: boolean): Promise<void> {
    context = await newContext(stack.browser, stack.api.baseUrl, { signedIn });
    page = await context.newPage();
    // 401s are the point of some of these steps; Chromium logs every failed response as an error
    consoleErrors = watchConsole(page).errors;
  }

  // 401/429 are what some steps test; 503 is the Issabel/ElevenLabs health of an unconfigured API (data, shown as "not configured")
  const unexpectedConsoleErrors = (): string[] =>
    consoleErrors.filter((e) => !/status of (401|429|503)/.test(e));

  async function signIn(email: string, password: string): Promise<void> {
    await page.locator('[data-testid="login-email"]').fill(email);
    await page.locator('[data-testid="login-password"]').fill(password);
    await page.locator('[data-testid="login-submit"]').click();
  }

  /** POST/PATCH as the harness admin: the session cookie plus the double-submit CSRF header. */
  async function asAdmin(method: string, path: string, body: unknown): Promise<Response> {
    const csrf = stack.api.sessionCookies.find((c) => c.name === 'velora_csrf')?.value ?? '';
    return stack.api.fetch(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
  }

  it('sends a visitor to /login, rejects a wrong password, signs in to the live view and out again', async () => {
    await open(false);
    await page.goto('/');
    await page.waitForURL(/\/login\?returnUrl=%2Fvoip-crm$/);
    await page.locator('[data-testid="login-form"]').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Giriş yap');
    await screenshot(page, 'login');

    await signIn(E2E_ADMIN.email, 'definitely-not-the-password');
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor();
    expect(await error.getAttribute('data-kind')).toBe('invalid');
    expect(await error.innerText()).toContain('E-posta veya şifre hatalı.');
    expect(await page.locator('[data-testid="login-password"]').inputValue()).toBe('');

    await signIn(E2E_ADMIN.email, E2E_ADMIN.password);
    await page.waitForURL('**/voip-crm');
    await page.locator('mat-card-title', { hasText: 'Gerçek Zamanlı Çağrı Görünümü (Live)' }).waitFor();
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    // the admin sees the administration section
    expect(await page.locator('[data-testid="nav-admin"]').innerText()).toBe('Yönetim');

    await page.locator('[data-testid="user-menu"]').click();
    expect(await page.locator('[data-testid="user-email"]').innerText()).toBe(E2E_ADMIN.email);
    expect(await page.locator('[data-testid="user-role"]').innerText()).toBe('Yönetici');
    await page.locator('[data-testid="menu-sign-out"]').click();
    await page.waitForURL(/\/login$/);

    // the server ended the session: the pages are closed again
    await page.goto('/integrations');
    await page.waitForURL(/\/login\?returnUrl=%2Fintegrations$/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'velora_session')).toBeUndefined();
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('says how long to wait after too many attempts', async () => {
    await open(false);
    await page.goto('/login');
    const error = page.locator('[data-testid="login-error"]');
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn('nobody@velora.e2e', `wrong-${attempt}`);
      await page.locator(`[data-testid="login-error"]`).waitFor();
      if ((await error.getAttribute('data-kind')) === 'throttled') break;
      await page.locator('[data-testid="login-submit"]:not([disabled])').waitFor();
    }
    expect(await error.getAttribute('data-kind')).toBe('throttled');
    expect(await error.innerText()).toMatch(/Çok fazla giriş denemesi\. (\d+ saniye sonra tekrar deneyin|Biraz bekleyip)/);
  });

  it('an agent must change the initial password, then sees no Test Connection form and no user admin', async () => {
    const created = await asAdmin('POST', '/api/users', {
      email: AGENT.email,
      password: AGENT.initialPassword,
      role: 'agent',
      display_name: 'Ajan Ayşe',
      must_change_password: true,
    });
    expect(created.status).toBe(201);

    await open(false);
    await page.goto('/integrations');
    await page.waitForURL(/\/login\?returnUrl=%2Fintegrations$/);
    await signIn(AGENT.email, AGENT.initialPassword);
    await page.waitForURL('**/integrations');

    // forced password change: no way around it but signing out
    const dialog = page.locator('[data-testid="change-password-form"]');
    await dialog.waitFor();
    expect(await page.locator('[data-testid="change-password-forced"]').isVisible()).toBe(true);
    await page.locator('[data-testid="cp-current"]').fill(AGENT.initialPassword);
    await page.locator('[data-testid="cp-next"]').fill(AGENT.newPassword);
    await page.locator('[data-testid="cp-confirm"]').fill(AGENT.newPassword);
    await page.locator('[data-testid="cp-submit"]').click();
    await dialog.waitFor({ state: 'detached' });

    const sippy = page.locator('[data-testid="integration-sippy"]');
    await sippy.waitFor();
    await page.locator('[data-testid="tc-admin-only"]').waitFor();
    expect(await page.locator('[data-testid="tc-admin-only"]').innerText()).toContain('yalnızca yöneticiler');
    expect(await page.locator('[data-testid="tc-url"]').count()).toBe(0);
    expect(await page.locator('[data-testid="nav-admin"]').count()).toBe(0);
    await page.locator('[data-testid="user-menu"]').click();
    expect(await page.locator('[data-testid="user-role"]').innerText()).toBe('Temsilci');
    await page.keyboard.press('Escape');

    // an agent who types the admin URL lands on the start page
    await page.goto('/admin/users');
    await page.waitForURL('**/voip-crm');

    // the new password works, the old one does not
    const oldLogin = await fetch(`${stack.api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: AGENT.email, password: AGENT.initialPassword }),
    });
    expect(oldLogin.status).toBe(401);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('the admin manages users and creates an API token that is shown once', async () => {
    await open(true);
    await page.goto('/admin/users');
    const table = page.locator('[data-testid="users-table"]');
    await table.locator(`tr[data-email="${E2E_ADMIN.email}"]`).waitFor();

    // create a user through the form (a POST from the page: CSRF header included)
    await page.locator('[data-testid="users-new"]').click();
    await page.locator('[data-testid="uc-email"]').fill('operator@velora.e2e');
    await page.locator('[data-testid="uc-name"]').fill('Operatör Osman');
    await page.locator('[data-testid="uc-password"]').fill('operator-Initial-Pa55');
    await page.locator('[data-testid="uc-submit"]').click();
    const operator = table.locator('tr[data-email="operator@velora.e2e"]');
    await operator.waitFor();
    expect(await operator.innerText()).toContain('Operatör Osman');
    await page.locator('[data-testid="user-create-form"]').waitFor({ state: 'detached' });
    await page.locator('mat-snack-bar-container').waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'admin-users');

    await page.goto('/account');
    await page.locator('[data-testid="token-name"]').fill('e2e-script');
    await page.locator('[data-testid="token-days"]').fill('30');
    await page.locator('[data-testid="token-create"]').click();
    const value = page.locator('[data-testid="token-value"]');
    await value.waitFor();
    const token = await value.innerText();
    expect(token).toMatch(/^vlr_[A-Za-z0-9_-]{20,}$/);

    // the token works for a machine client
    const me = await fetch(`${stack.api.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(E2E_ADMIN.email);

    await page.locator('[data-testid="token-dismiss"]').click();
    await value.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await page.locator('[data-testid="token-row"][data-name="e2e-script"]').waitFor();
    expect(await page.content()).not.toContain(token);

    // revoke: the token stops working
    await page.locator('[data-testid="token-row"][data-name="e2e-script"] [data-testid="token-revoke"]').click();
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="token-row"][data-name="e2e-script"] [data-testid="token-state"]').waitFor();
    const after = await fetch(`${stack.api.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

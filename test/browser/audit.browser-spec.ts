import type { BrowserContext, Page } from 'playwright-core';
import { E2E_ADMIN } from './support/api-process';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';
import { cleanUp } from '../support/clean-up';

const AGENT = { email: 'auditee@velora.e2e', password: 'auditee-Agent-Pa55-2026' } as const;
const INTRUDER = 'intruder@velora.e2e';

/**
 * The audit log page in a real Chromium: an admin finds a failed sign-in made through the API,
 * filters by action (the filter lands in the URL and survives a reload), opens the details; an
 * agent has no link to the page and is sent away from its URL.
 */
describe('Audit log (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await stack.start();
    // a failed sign-in (unknown email) and an agent without a forced password change
    const failed = await fetch(`${stack.api.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: INTRUDER, password: 'guessing-the-password' }),
    });
    expect(failed.status).toBe(401);
    const csrf = stack.api.sessionCookies.find((c) => c.name === 'velora_csrf')?.value ?? '';
    const created = await stack.api.fetch('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ email: AGENT.email, password: AGENT.password, role: 'agent', must_change_password: false }),
    });
    expect(created.status).toBe(201);
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
    consoleErrors = watchConsole(page).errors;
  }

  // 401: the session check of a signed-out visitor on /login; 503: the Issabel/ElevenLabs health of an
  // unconfigured API (shown as "not configured")
  const unexpectedConsoleErrors = (): string[] => consoleErrors.filter((e) => !/status of (401|503)/.test(e));

  it('the admin sees the failed sign-in, filters by action in the URL and opens the details', async () => {
    await open(true);
    await page.goto('/voip-crm');
    const navLink = page.locator('a[href="/admin/audit"]');
    await navLink.waitFor();
    expect((await navLink.innerText()).trim()).toBe('Denetim kaydı');
    await navLink.click();
    await page.waitForURL(/\/admin\/audit$/);

    const failedRow = page.locator('[data-testid="audit-row"][data-action="auth.login_failed"]').filter({ hasText: INTRUDER });
    await failedRow.waitFor();
    expect((await failedRow.locator('[data-testid="audit-action"]').innerText()).trim()).toBe('Başarısız giriş');
    expect((await failedRow.locator('[data-testid="audit-actor"]').innerText()).trim()).toBe('anonim');
    expect(await failedRow.locator('[data-testid="audit-details"]').innerText()).toBe('reason=unknown_email');
    // other actions are listed too before filtering (the admin's own sign-in, the agent's creation)
    await page.locator('[data-testid="audit-row"][data-action="user.created"]').first().waitFor();

    await page.locator('[data-testid="audit-filter-action"]').click();
    await page.locator('mat-option[data-value="auth.login_failed"]').click();
    await page.locator('[data-testid="audit-filter-apply"]').click();
    await page.waitForURL(/\/admin\/audit\?action=auth\.login_failed$/);
    // the unfiltered list may hold several user.created rows: wait until none is left (a locator would be ambiguous)
    // (a string: this file is compiled without the DOM library, the code runs in the page)
    await page.waitForFunction(`document.querySelectorAll('[data-testid="audit-row"][data-action="user.created"]').length === 0`);
    const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['auth.login_failed']));

    await failedRow.locator('[data-testid="audit-expand"]').click();
    const json = page.locator('[data-testid="audit-json"]');
    await json.waitFor();
    expect(JSON.parse(await json.innerText())).toEqual({ reason: 'unknown_email' });
    await screenshot(page, 'admin-audit');

    // the filter survives a reload
    await page.reload();
    await failedRow.waitFor();
    expect(await page.locator('[data-testid="audit-filter-action"]').innerText()).toContain('Başarısız giriş');
    expect(await page.locator('[data-testid="audit-row"][data-action="user.created"]').count()).toBe(0);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('an agent has no link to the audit log and is sent to the start page from its URL', async () => {
    await open(false);
    await page.goto('/login');
    await page.locator('[data-testid="login-email"]').fill(AGENT.email);
    await page.locator('[data-testid="login-password"]').fill(AGENT.password);
    await page.locator('[data-testid="login-submit"]').click();
    await page.waitForURL('**/voip-crm');
    await page.locator('[data-testid="cdr-table"]').waitFor();
    expect(await page.locator('a[href="/admin/audit"]').count()).toBe(0);
    expect(await page.locator('[data-testid="nav-admin"]').count()).toBe(0);

    await page.goto('/admin/audit?action=auth.login_failed');
    await page.waitForURL('**/voip-crm');
    expect(await page.locator('[data-testid="audit-table"]').count()).toBe(0);
    // and the API refuses the agent as well
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'velora_session');
    const direct = await fetch(`${stack.api.baseUrl}/api/audit-log`, { headers: { cookie: `velora_session=${session?.value ?? ''}` } });
    expect(direct.status).toBe(403);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('the API never logged the test passwords', () => {
    const output = stack.api.output();
    for (const secret of [E2E_ADMIN.password, AGENT.password, 'guessing-the-password']) {
      expect(output).not.toContain(secret);
    }
  });
});

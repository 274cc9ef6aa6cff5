import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';
import { cleanUp } from '../support/clean-up';

const AGENT = { email: 'masked-agent@velora.e2e', password: 'masked-Agent-Pa55-2026' } as const;
/** A phone number in clear: 7 or more digits in a row, or the `+90 532 123 45 67` display format. */
const FULL_NUMBER = /\d{7,}|\+\d{1,3} \d{3} \d{3} \d/;
const MASKED = /\+\d{1,3} [\d*]* ?\*{2,}/;

/**
 * KVKK/GDPR number masking in a real Chromium: the admin turns it on in Yönetim → Gizlilik; an agent then sees
 * masked numbers in the live view (table and phone cards), reveals one, and the reveal lands in the audit log.
 */
describe('Number masking (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  const adminFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const csrf = stack.api.sessionCookies.find((c) => c.name === 'velora_csrf')?.value ?? '';
    return stack.api.fetch(path, { ...init, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
  };

  beforeAll(async () => {
    await stack.start();
    const created = await adminFetch('/api/users', {
      method: 'POST',
      body: JSON.stringify({ email: AGENT.email, password: AGENT.password, role: 'agent', must_change_password: false }),
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await adminFetch('/api/privacy/settings', {
      method: 'PUT',
      body: JSON.stringify({ masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] }),
    });
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

  async function signInAsAgent(): Promise<void> {
    await open(false);
    await page.goto('/login');
    await page.locator('[data-testid="login-email"]').fill(AGENT.email);
    await page.locator('[data-testid="login-password"]').fill(AGENT.password);
    await page.locator('[data-testid="login-submit"]').click();
    await page.waitForURL('**/voip-crm');
  }

  // 401: the session check on /login; 503: the Issabel/ElevenLabs health of an unconfigured API
  const unexpectedConsoleErrors = (): string[] => consoleErrors.filter((e) => !/status of (401|503)/.test(e));

  it('the admin turns masking on in Yönetim → Gizlilik', async () => {
    await open(true);
    await page.goto('/voip-crm');
    const navLink = page.locator('a[href="/admin/privacy"]');
    await navLink.waitFor();
    expect((await navLink.innerText()).trim()).toBe('Gizlilik');
    await navLink.click();
    await page.waitForURL(/\/admin\/privacy$/);
    await page.locator('[data-testid="privacy-settings"]').waitFor();
    const toggle = page.locator('[data-testid="privacy-enabled"] button[role="switch"]');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    expect(await page.locator('[data-testid="privacy-masked-agent"] input').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="privacy-masked-admin"] input').isChecked()).toBe(false);
    await screenshot(page, 'admin-privacy');
    await page.locator('[data-testid="privacy-save"]').click();
    await page.locator('simple-snack-bar', { hasText: 'Gizlilik ayarları kaydedildi.' }).waitFor();

    const settings = (await (await adminFetch('/api/privacy/settings')).json()) as { masking_enabled: boolean };
    expect(settings.masking_enabled).toBe(true);
    // the admin is not masked: the table shows full numbers and no reveal button
    await page.goto('/voip-crm');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    expect(await page.locator('[data-testid="cdr-table"]').innerText()).toMatch(FULL_NUMBER);
    expect(await page.locator('[data-testid="reveal-number"]').count()).toBe(0);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('an agent sees masked numbers in the live table and reveals one (audited)', async () => {
    await signInAsAgent();
    const table = page.locator('[data-testid="cdr-table"]');
    const firstRow = table.locator('tr[mat-row]').first();
    await firstRow.waitFor();
    const numbers = page.locator('[data-testid="cdr-table"] vl-masked-number [data-testid="number-value"]');
    const texts = await numbers.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => MASKED.test(t))).toBe(true);
    for (const text of texts) expect(text).not.toMatch(FULL_NUMBER);

    // a stable locator (rows move down as new calls arrive; a revealed cell loses its button): the row's id and the column
    const withButton = table.locator('tr[mat-row]').filter({ has: page.locator('[data-testid="reveal-number"]') }).first();
    const cdrId = await withButton.getAttribute('data-cdr-id');
    expect(cdrId).not.toBeNull();
    const row = table.locator(`tr[data-cdr-id="${cdrId ?? ''}"]`);
    const field = (await row.locator('td.mat-column-caller [data-testid="reveal-number"]').count()) > 0 ? 'caller' : 'callee';
    const cell = row.locator(`td.mat-column-${field} vl-masked-number`);
    const masked = await cell.locator('[data-testid="number-value"]').innerText();
    expect(masked).toMatch(MASKED);
    const revealButton = cell.locator('[data-testid="reveal-number"]');
    expect(await revealButton.getAttribute('aria-label')).toBe('Numarayı göster (denetim kaydına yazılır)');
    await screenshot(page, 'voip-crm-masked');
    const revealed = page.waitForResponse((r) => r.url().endsWith('/api/privacy/reveal') && r.status() === 200);
    await revealButton.click();
    await revealed;
    await cell.locator('[data-testid="reveal-number"]').waitFor({ state: 'detached' });
    const shown = await cell.locator('[data-testid="number-value"]').innerText();
    expect(shown).not.toContain('*');
    expect(shown).toMatch(/\d{3}/);
    // the same last two digits as the mask
    expect(shown.replace(/\D/g, '').slice(-2)).toBe(masked.replace(/\D/g, '').slice(-2));

    const audit = (await (await adminFetch('/api/audit-log?action=privacy.number_revealed')).json()) as { actor_email: string; target: string; details: unknown }[];
    expect(audit[0]?.actor_email).toBe(AGENT.email);
    expect(audit[0]).toMatchObject({ target: `cdr:${cdrId ?? ''}`, details: { field } });
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('on a phone the call cards are masked too, with the reveal button', async () => {
    await signInAsAgent();
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.locator('[data-testid="cdr-cards"] li');
    await cards.first().waitFor();
    const first = await cards.first().innerText();
    expect(first).toMatch(MASKED);
    expect(first).not.toMatch(FULL_NUMBER);
    const cardId = await cards.filter({ has: page.locator('[data-testid="reveal-number"]') }).first().getAttribute('data-cdr-id');
    const numbers = page.locator(`[data-testid="cdr-cards"] li[data-cdr-id="${cardId ?? ''}"] vl-masked-number`);
    const index = (await numbers.nth(0).locator('[data-testid="reveal-number"]').count()) > 0 ? 0 : 1;
    const cell = numbers.nth(index);
    await cell.locator('[data-testid="reveal-number"]').click();
    await cell.locator('[data-testid="reveal-number"]').waitFor({ state: 'detached' });
    expect(await cell.locator('[data-testid="number-value"]').innerText()).not.toContain('*');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

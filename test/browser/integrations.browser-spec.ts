import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { SIM_PASS, SIM_USER, VeloraStack } from './support/velora-stack';

/** The Integrations page: health cards and the SippySoft "Test Connection" form. */
describe('Integrations (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await stack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  beforeEach(async () => {
    context = await newContext(stack.browser, stack.api.baseUrl);
    page = await context.newPage();
    consoleErrors = watchConsole(page).errors;
    await page.goto('/integrations');
  });

  afterEach(async () => {
    await context.close();
  });

  async function fillTestConnection(url: string, user: string, pass: string): Promise<void> {
    await page.locator('[data-testid="tc-url"]').fill(url);
    await page.locator('[data-testid="tc-username"]').fill(user);
    await page.locator('[data-testid="tc-password"]').fill(pass);
    await page.locator('[data-testid="tc-submit"]').click();
  }

  it('shows live health: Sippy up with latency and sync state, the others not available yet', async () => {
    const sippyBadge = page.locator('[data-testid="integration-sippy"] [data-testid="health-badge"]');
    await sippyBadge.locator('text=Çalışıyor').waitFor();
    expect(await sippyBadge.getAttribute('data-state')).toBe('up');
    expect(await page.locator('[data-testid="integration-sippy"] [data-testid="latency"]').innerText()).toMatch(/^\d+ ms$/);
    expect(await page.locator('[data-testid="integration-sippy"] [data-testid="sync-state"]').innerText()).toContain(
      'Son başarılı',
    );
    for (const id of ['issabel', 'elevenlabs']) {
      const badge = page.locator(`[data-testid="integration-${id}"] [data-testid="health-badge"]`);
      await badge.locator('text=Henüz mevcut değil').waitFor();
    }
    await screenshot(page, 'integrations-tr');
    // 404s of the not-yet-available integrations are data, not console errors worth failing for
    expect(consoleErrors.filter((e) => !/404|503/.test(e))).toEqual([]);
  });

  it('Test Connection succeeds with good credentials and clears the password', async () => {
    await fillTestConnection(stack.simulator.url, SIM_USER, SIM_PASS);
    const result = page.locator('[data-testid="tc-result"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('Bağlantı başarılı');
    expect(await page.locator('[data-testid="tc-password"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(SIM_PASS);
    await screenshot(page, 'integrations-test-connection-ok');
  });

  it('Test Connection fails clearly with a wrong password', async () => {
    await fillTestConnection(stack.simulator.url, SIM_USER, 'definitely-wrong');
    const result = page.locator('[data-testid="tc-result"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok')).toBe('false');
    expect(await result.innerText()).toContain('Bağlantı başarısız');
    expect(await page.locator('[data-testid="tc-cause"]').innerText()).toContain('Kimlik doğrulama başarısız');
    expect(await page.locator('[data-testid="tc-password"]').inputValue()).toBe('');
    await screenshot(page, 'integrations-test-connection-failed');
  });

  it('validates the URL before sending anything', async () => {
    let posted = false;
    page.on('request', (r) => {
      if (r.url().includes('/api/sippy/test-connection')) posted = true;
    });
    await fillTestConnection('sippy.example.com', SIM_USER, 'x');
    await page.locator('text=http:// veya https:// ile başlayan geçerli bir adres girin.').waitFor();
    expect(posted).toBe(false);
  });
});

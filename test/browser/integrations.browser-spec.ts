import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { DEMO_MODE_ENV, SIM_PASS, SIM_USER, VeloraStack } from './support/velora-stack';

/**
 * The Integrations page: health cards and the SippySoft "Test Connection" form. Sippy is the spec's
 * simulator; Issabel and ElevenLabs are the API's own demo-mode fakes (no configuration, not production).
 */
describe('Integrations (browser)', () => {
  const stack = new VeloraStack({ apiEnv: DEMO_MODE_ENV });
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

  it('shows live health: Sippy up with latency and sync state, Issabel and ElevenLabs up in demo mode', async () => {
    const sippyBadge = page.locator('[data-testid="integration-sippy"] [data-testid="health-badge"]');
    await sippyBadge.locator('text=Çalışıyor').waitFor();
    expect(await sippyBadge.getAttribute('data-state')).toBe('up');
    expect(await page.locator('[data-testid="integration-sippy"] [data-testid="latency"]').innerText()).toMatch(/^\d+ ms$/);
    expect(await page.locator('[data-testid="integration-sippy"] [data-testid="sync-state"]').innerText()).toContain('Son başarılı');
    for (const id of ['issabel', 'elevenlabs']) {
      const card = page.locator(`[data-testid="integration-${id}"]`);
      await card.locator('[data-testid="health-badge"][data-state="up"]').waitFor();
      expect(await card.innerText()).toContain('Simülatör');
      expect(await card.locator('[data-testid="latency"]').innerText()).toMatch(/^\d+ ms$/);
    }
    const issabel = page.locator('[data-testid="integration-issabel"]');
    expect(await issabel.locator('[data-testid="asterisk-version"]').innerText()).toMatch(/^\d+\.\d+/);
    expect(await issabel.locator('[data-testid="current-calls"]').innerText()).toMatch(/^\d+$/);
    // the live PBX section from GET /api/issabel/status
    await issabel.locator('[data-testid="active-calls"]').waitFor();
    expect(await issabel.locator('[data-testid="active-channels"]').innerText()).toMatch(/^\d+$/);
    expect(await issabel.locator('[data-testid="issabel-status"]').innerText()).toMatch(/\d+ \/ \d+ çevrim içi/);
    const elevenlabs = page.locator('[data-testid="integration-elevenlabs"]');
    expect(await elevenlabs.locator('[data-testid="quota-text"]').innerText()).toMatch(/^[\d.]+ \/ [\d.]+ kullanıldı \(%[\d,]+\)$/);
    expect(await elevenlabs.locator('[data-testid="tier"]').innerText()).not.toBe('');
    await screenshot(page, 'integrations-tr');
    expect(consoleErrors).toEqual([]);
  });

  it('shows the switch of the environment read-only, with its variable', async () => {
    const settings = page.locator('[data-testid="sippy-settings"]');
    await settings.locator('[data-testid="settings-read-only"]').waitFor();
    expect(await settings.locator('[data-testid="settings-read-only"]').innerText()).toContain('SIPPY_RPC_URL');
    expect(await settings.locator('[data-testid="settings-url"]').innerText()).toContain('Ortam değişkeni');
    expect(await settings.locator('[data-testid="settings-password"]').innerText()).toContain(`ayarlı (…${SIM_PASS.slice(-2)})`);
    expect(await page.locator('[data-testid="tc-save"]').count()).toBe(0);
    expect(await page.content()).not.toContain(SIM_PASS);
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
      if (r.method() !== 'GET' && r.url().includes('/api/sippy/settings')) posted = true;
    });
    await fillTestConnection('sippy.example.com', SIM_USER, 'x');
    await page.locator('text=http:// veya https:// ile başlayan geçerli bir adres girin.').waitFor();
    expect(posted).toBe(false);
  });
});

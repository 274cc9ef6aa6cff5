import { SippySimulator } from '@velora/sippy/simulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiProcess, E2E_ADMIN, eventually } from './support/api-process';
import { launchChromium, newContext, screenshot, watchConsole } from './support/chromium';
import { findLeaks, type NamedSecret } from './support/leak-check';

const PASS_A = 'browser-Switch-A-pw-61';
const PASS_B = 'browser-Switch-B-pw-72';
const WRONG = 'browser-Wrong-pw-0000';

/**
 * Connection settings saved from the Integrations page: the built API runs in production mode with no switch in its
 * environment, the admin enters one in the form (test before save, a refused save, a saved one), the sync imports
 * its CDRs without a restart, then the admin moves it to a second switch and the sync follows.
 */
describe('Integrations: connection settings (browser)', () => {
  const simA = new SippySimulator({
    username: 'api-a',
    password: PASS_A,
    seed: 'browser-a',
    idStart: 100_000_000,
    historyHours: 1,
    callsPerMinute: 3,
  });
  const simB = new SippySimulator({
    username: 'api-b',
    password: PASS_B,
    seed: 'browser-b',
    idStart: 900_000_000,
    historyHours: 1,
    callsPerMinute: 3,
  });
  let api: ApiProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  /** What beforeAll got to start (it may fail half-way): afterAll stops exactly that. */
  const started: { api?: ApiProcess; browser?: Browser; context?: BrowserContext } = {};

  beforeAll(async () => {
    await Promise.all([simA.start(), simB.start()]);
    api = new ApiProcess({
      sippyUrl: simA.url,
      sippyUser: 'api-a',
      sippyPass: PASS_A,
      // blank = unset: no switch in the environment, it is entered in the web app
      env: { SIPPY_RPC_URL: '', SIPPY_RPC_USER: '', SIPPY_RPC_PASS: '' },
    });
    started.api = api;
    await api.start();
    browser = await launchChromium();
    started.browser = browser;
    context = await newContext(browser, api.baseUrl);
    started.context = context;
    page = await context.newPage();
    pageErrors = watchConsole(page).errors;
  });

  afterAll(async () => {
    await started.context?.close().catch(() => undefined);
    await started.browser?.close().catch(() => undefined);
    await started.api?.stop();
    await Promise.all([simA.stop(), simB.stop()]);
    const secrets: NamedSecret[] = [
      { name: 'switch A password', value: PASS_A },
      { name: 'switch B password', value: PASS_B },
      { name: 'the wrong password typed', value: WRONG },
      { name: 'ADMIN_PASSWORD', value: E2E_ADMIN.password },
      ...(started.api ? [{ name: 'AUTH_JWT_SECRET', value: started.api.jwtSecret }] : []),
    ];
    const { leaks, responses } = await findLeaks(secrets, started.api?.output() ?? '');
    if (responses === 0) throw new Error('the leak check saw no browser response');
    if (leaks.length > 0) throw new Error(`Secrets leaked in this browser run:\n- ${leaks.join('\n- ')}`);
  });

  const settings = () => page.locator('[data-testid="sippy-settings"]');
  const storedIdsFrom = async (low: number, high: number): Promise<number> => {
    const response = await api.fetch('/api/sippy/cdrs?limit=200');
    const rows = (await response.json()) as Array<{ id: string }>;
    return rows.filter((row) => Number(row.id) >= low && Number(row.id) < high).length;
  };

  async function fill(url: string, user: string, password: string): Promise<void> {
    await page.locator('[data-testid="tc-url"]').fill(url);
    await page.locator('[data-testid="tc-username"]').fill(user);
    await page.locator('[data-testid="tc-password"]').fill(password);
  }

  it('starts not configured, refuses a save whose test fails, saves a working switch and syncs it at once', async () => {
    await page.goto('/integrations');
    await settings().locator('[data-testid="settings-mode"]', { hasText: 'Yapılandırılmamış' }).waitFor();
    expect(await settings().locator('[data-testid="settings-password"]').innerText()).toContain('ayarlı değil');
    await page.locator('[data-testid="integration-sippy"] [data-testid="health-badge"][data-state="not_configured"]').waitFor();

    // the test before saving fails: nothing is saved, the password field is emptied
    await fill(simA.url, 'api-a', WRONG);
    await page.locator('[data-testid="tc-save"]').click();
    const result = page.locator('[data-testid="tc-result"]');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-kind')).toBe('rejected');
    expect(await result.innerText()).toContain('Kaydedilmedi: bağlantı testi başarısız');
    expect(await page.locator('[data-testid="tc-cause"]').innerText()).toContain('Kimlik doğrulama başarısız');
    expect(await page.locator('[data-testid="tc-password"]').inputValue()).toBe('');
    expect(await settings().locator('[data-testid="settings-mode"]').innerText()).toContain('Yapılandırılmamış');

    // the right password: tested, saved, in force
    await page.locator('[data-testid="tc-password"]').fill(PASS_A);
    await page.locator('[data-testid="tc-save"]').click();
    await page.locator('[data-testid="tc-result"][data-kind="saved"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="tc-result"]').innerText()).toContain('Kaydedildi ve kullanımda');
    expect(await settings().locator('[data-testid="settings-password"]').innerText()).toContain(`ayarlı (…${PASS_A.slice(-2)})`);
    expect(await settings().locator('[data-testid="settings-url"]').innerText()).toContain('Burada kaydedildi');
    expect(await page.locator('[data-testid="tc-password"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(PASS_A);

    // no restart: the health card turns up and the sync imports switch A's CDRs
    await page.locator('[data-testid="integration-sippy"] [data-testid="health-badge"][data-state="up"]').waitFor({ timeout: 30_000 });
    await eventually('CDRs of switch A', async () => ((await storedIdsFrom(100_000_000, 200_000_000)) > 0 ? true : undefined), 30_000);
    await screenshot(page, 'integrations-settings-saved');
  });

  it('keeps the saved password for the same switch, and moves the sync to another switch', async () => {
    await page.reload();
    // the form shows what is saved; the password stays empty and is not needed for the same URL and user
    await page.locator('[data-testid="tc-password-kept"]').waitFor();
    expect(await page.locator('[data-testid="tc-url"]').inputValue()).toBe(simA.url);
    expect(await page.locator('[data-testid="tc-password"]').inputValue()).toBe('');
    await page.locator('[data-testid="tc-submit"]').click();
    await page.locator('[data-testid="tc-result"][data-kind="tested"][data-ok="true"]').waitFor({ timeout: 20_000 });

    // another switch needs its own password (a saved one never goes elsewhere)
    await page.locator('[data-testid="tc-url"]').fill(simB.url);
    await page.locator('[data-testid="tc-username"]').fill('api-b');
    await page.locator('[data-testid="tc-save"]').click();
    await page.locator('text=Parola gerekli.').waitFor();
    await page.locator('[data-testid="tc-password"]').fill(PASS_B);
    await page.locator('[data-testid="tc-save"]').click();
    await page.locator('[data-testid="tc-result"][data-kind="saved"]').waitFor({ timeout: 20_000 });
    expect(await settings().locator('[data-testid="settings-url"]').innerText()).toContain(simB.url);
    expect(await settings().locator('[data-testid="settings-saved-meta"]').innerText()).toContain(E2E_ADMIN.email);

    await eventually('CDRs of switch B', async () => ((await storedIdsFrom(900_000_000, 1_000_000_000)) > 0 ? true : undefined), 30_000);
    const sync = (await (await api.fetch('/api/sippy/sync')).json()) as { enabled: boolean; consecutive_failures: number };
    expect(sync).toMatchObject({ enabled: true, consecutive_failures: 0 });
    expect(await page.content()).not.toContain(PASS_B);
    expect(pageErrors.filter((error) => !error.includes('Failed to load resource'))).toEqual([]);
  });
});

import type { BrowserContext, Page } from 'playwright-core';
import { eventually } from './support/api-process';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

const DIALLER = '905556660000';

/**
 * Spam and fraud detection in a real Chromium against the real API and a SippySimulator: a dialler burst on the
 * switch is synced, the detection runner raises findings, the live view badges the rows and unfolds the reasons in
 * the UI language, the Uyarılar page lists the finding, and the number page shows the number's calls and findings.
 */
describe('Detection (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    await stack.start();
    // 70 short calls to distinct numbers from one number, the newest calls on the switch
    const now = Date.now();
    for (let i = 0; i < 70; i += 1) {
      stack.simulator.addCdr({
        cli: DIALLER,
        cld: `9021244${String(1000 + i * 17).padStart(5, '0')}`,
        connect_time: now - 100_000 + i * 1400,
        duration: 2,
        result: 0,
      });
    }
  });

  afterAll(async () => {
    await stack.stop();
  });

  beforeEach(async () => {
    context = await newContext(stack.browser, stack.api.baseUrl);
    page = await context.newPage();
    consoleErrors = watchConsole(page).errors;
  });

  afterEach(async () => {
    await context.close();
  });

  // 503: the Issabel/ElevenLabs health of an unconfigured API
  const unexpectedConsoleErrors = (): string[] => consoleErrors.filter((e) => !/status of 503/.test(e));

  async function waitForFindings(): Promise<void> {
    await eventually(
      'the fan_out finding of the dialler',
      async () => {
        const res = await page.request.get(`/api/detection/findings?subject=${DIALLER}`);
        const body = (await res.json()) as { items: Array<{ rule: string }> };
        return body.items.some((f) => f.rule === 'fan_out') ? body : undefined;
      },
      60_000,
    );
  }

  it('badges the dialler’s rows in the live view and unfolds the reasons in Turkish, then English', async () => {
    await page.goto('/voip-crm');
    await waitForFindings();
    await page.locator('[data-testid="refresh-button"]').click();
    const row = page
      .locator(`[data-testid="cdr-table"] tr[mat-row]`, { has: page.locator(`a.number-link[href="/numbers/${DIALLER}"]`) })
      .first();
    const badge = row.locator('[data-testid="finding-badge"]');
    await badge.waitFor({ timeout: 30_000 });
    expect(Number((await badge.innerText()).trim())).toBeGreaterThanOrEqual(2); // fan_out and short_calls
    await badge.click();
    const reasons = row.locator('[data-testid="finding-reasons"]');
    await reasons.waitFor();
    const text = await reasons.innerText();
    expect(text).toMatch(new RegExp(`${DIALLER} 1 sa içinde \\d+ farklı numarayı aradı`));
    expect(text).toContain('sn’den kısa');
    await screenshot(page, 'detection-badge-tr');

    await page.locator('[data-testid="lang-en"] button').click();
    await reasons
      .getByText(/called \d+ distinct numbers in 1 h/)
      .first()
      .waitFor();
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('lists the finding on the Uyarılar page and opens the number page from it', async () => {
    await waitForFindings();
    await page.goto('/voip-crm');
    await page.locator('a[href="/alerts"]').click();
    await page.waitForURL('**/alerts');
    const item = page
      .locator('[data-testid="alert-item"][data-rule="fan_out"]', { has: page.locator(`a[href="/numbers/${DIALLER}"]`) })
      .first();
    await item.waitFor();
    expect(await item.locator('[data-testid="alert-reason"]').innerText()).toContain('farklı numarayı aradı');
    expect(await page.locator('h1').innerText()).toBe('Uyarılar');

    await item.locator('[data-testid="alert-subject"]').click();
    await page.waitForURL(`**/numbers/${DIALLER}`);
    await page.locator('[data-testid="number-findings"] li', { hasText: 'Çok sayıda farklı aranan' }).waitFor();
    expect(Number(await page.locator('[data-testid="number-calls-from"]').innerText())).toBeGreaterThanOrEqual(70);
    expect(await page.locator('[data-testid="number-asr"]').innerText()).toBe('100 %');
    expect(await page.locator('[data-testid="number-calls"] tbody tr').count()).toBeGreaterThanOrEqual(70);
    await screenshot(page, 'number-page-tr');

    // the admin marks it as spam from its page
    await page.locator('[data-testid="number-mark-spam"]').click();
    await page.locator('[data-testid="number-spam"]').waitFor();
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

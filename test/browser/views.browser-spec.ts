import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

/** `YYYY-MM-DD` of `instant` in Istanbul (UTC+3 all year). */
function istanbulDay(instant: number): string {
  return new Date(instant + 3 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Saved views and the completeness report in a real Chromium against the real API and a SippySimulator: a view
 * saved from the live view opens again from its link with its filters, and an admin reconciles a day from the
 * reports' completeness tab.
 */
describe('Saved views and completeness (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  // 503: the Issabel/ElevenLabs health of an unconfigured API
  const unexpectedConsoleErrors = (): string[] => consoleErrors.filter((e) => !/status of 503/.test(e));

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
  });

  afterEach(async () => {
    await context.close();
  });

  it('saves the live view’s filters as a view, and its link restores them after a reload', async () => {
    await page.goto('/voip-crm');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();

    // filter: failed calls, a date range
    await page.locator('[data-testid="filter-status"]').click();
    await page.locator('mat-option', { hasText: 'Başarısız' }).click();
    await page.locator('[data-testid="apply-filters"]').click();
    await page.waitForURL(/status=failed/);

    // Views → save current view…
    await page.locator('[data-testid="views-button"]').click();
    await page.locator('[data-testid="views-save"]').click();
    await page.locator('[data-testid="view-name"]').fill('Başarısız çağrılar');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/views') && r.request().method() === 'POST');
    await page.locator('[data-testid="view-submit"]').click();
    const response = await created;
    expect(response.status()).toBe(201);
    const view = (await response.json()) as { id: string; url: string; filters: Record<string, string>; time_zone: string };
    expect(view.filters).toEqual({ status: 'failed' });
    expect(view.time_zone).toBe('Europe/Istanbul'); // the browser's zone
    expect(view.url).toBe(`/voip-crm?view=${view.id}`);
    await page.locator('[data-testid="views-selected"]', { hasText: 'Başarısız çağrılar' }).waitFor();
    await screenshot(page, 'saved-views-tr');

    // somewhere else, then the view's link in a fresh page load
    await page.goto('/voip-crm');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/sippy/cdrs?') && new URL(r.url()).searchParams.get('status') === 'failed',
    );
    await page.goto(view.url);
    await page.waitForURL((url) => url.searchParams.get('status') === 'failed' && !url.searchParams.has('view'));
    expect((await filtered).status()).toBe(200);
    await page.locator('[data-testid="filter-status"]', { hasText: 'Başarısız' }).waitFor();
    await page.locator('[data-testid="views-selected"]', { hasText: 'Başarısız çağrılar' }).waitFor();
    const statuses = await page
      .locator('[data-testid="cdr-table"] tr[mat-row] vl-status-chip .chip')
      .evaluateAll((chips) => chips.map((c) => c.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(statuses.length > 0 ? ['failed'] : []));

    // the reload itself (the restored URL is the shareable URL of the current filters)
    await page.reload();
    await page.locator('[data-testid="filter-status"]', { hasText: 'Başarısız' }).waitFor();
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('lets an admin reconcile a day from the completeness tab and shows it as checked', async () => {
    // the day of the last closed hour, which holds simulator traffic
    const day = istanbulDay(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 1);
    await page.goto(`/reports/completeness?from=${day}&to=${day}&tz=Europe/Istanbul`);
    const row = page.locator(`[data-testid="completeness-day"][data-day="${day}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="day-verdict"]').innerText()).toBe('Denetlenmedi');
    expect(await page.locator('a[mat-tab-link]', { hasText: 'Eksiksizlik' }).getAttribute('aria-selected')).toBe('true');

    const run = page.waitForResponse((r) => r.url().endsWith('/api/sippy/reconcile') && r.request().method() === 'POST');
    await row.locator('[data-testid="reconcile-day"]').click();
    const result = (await (await run).json()) as { status: string; switch_count: number; failed_windows: number };
    expect(result.failed_windows).toBe(0);
    expect(result.switch_count).toBeGreaterThan(0);
    await page.locator('[data-testid="reconcile-result"]').waitFor();
    await row.locator('[data-testid="day-checked-at"]').waitFor();
    expect(await row.locator('[data-testid="day-verdict"]').innerText()).toMatch(/^(Eksiksiz|\d+ onarıldı)$/);
    expect(await row.getAttribute('data-status')).toBe(result.status === 'healed' ? 'healed' : 'complete');
    await screenshot(page, 'completeness-tr');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

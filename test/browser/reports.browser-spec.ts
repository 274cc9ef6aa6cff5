import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

/**
 * The reports screen in a real Chromium against the real API and a SippySimulator: KPIs, a chart
 * with its table, and a number that opens the live view with exactly its filter.
 */
describe('Reports (browser)', () => {
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
    await page.setViewportSize({ width: 1440, height: 900 });
    consoleErrors = watchConsole(page).errors;
  });

  afterEach(async () => {
    await context.close();
  });

  // 503: the Issabel/ElevenLabs health of an unconfigured API
  const unexpectedConsoleErrors = (): string[] => consoleErrors.filter((e) => !/status of 503/.test(e));

  it('opens from the menu, shows KPIs and charts with their tables, and a number opens the live view with its filter', async () => {
    await page.goto('/voip-crm');
    const navLink = page.locator('a[href="/reports"]');
    await navLink.waitFor();
    expect((await navLink.innerText()).trim()).toBe('Raporlar');
    const compareResponse = page.waitForResponse((r) => r.url().includes('/api/reports/compare'));
    await navLink.click();
    await page.waitForURL(/\/reports$/);
    const compare = (await (await compareResponse).json()) as { current: { calls: number }; period: { tz: string } };
    expect(compare.period.tz).toBe('Europe/Istanbul');
    expect(compare.current.calls).toBeGreaterThan(0);

    const calls = page.locator('[data-testid="kpi-calls"] .kpi-value');
    await calls.waitFor();
    expect((await calls.innerText()).replace(/\D/g, '')).toBe(String(compare.current.calls));
    expect(await page.locator('[data-testid="kpi-asr"]').innerText()).toMatch(/ASR\s+[\d,]+ %/);

    // ECharts (SVG renderer, loaded lazily) draws the chart; its table holds the same numbers
    await page.locator('[data-testid="chart-calls"] svg').first().waitFor();
    const tableCalls = await page.locator('[data-testid="table-calls"] tbody tr td:nth-child(2)').allInnerTexts();
    expect(tableCalls.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0)).toBe(compare.current.calls);
    await page.locator('[data-testid="chart-causes"] svg').first().waitFor();
    await page.locator('[data-testid="table-causes"] tbody tr').first().waitFor();
    await screenshot(page, 'reports-tr');

    // the first failure cause: its count opens the live view with result=<code>&answered=false
    const causeLink = page.locator('[data-testid="table-causes"] tbody tr a').first();
    const clicked = Number((await causeLink.innerText()).replace(/\D/g, ''));
    const listResponse = page.waitForResponse((r) => r.url().includes('/api/sippy/cdrs?') && r.url().includes('result='));
    await causeLink.click();
    await page.waitForURL(/\/voip-crm\?.*result=-?\d+.*answered=false/);
    const list = await listResponse;
    expect(Number(list.headers()['x-total-count'])).toBe(clicked);
    expect(new URL(list.url()).searchParams.get('answered')).toBe('false');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    const statuses = await page.locator('[data-testid="cdr-table"] tr[mat-row] vl-status-chip .chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses).size).toBe(1);
    expect(statuses).not.toContain('completed');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('reads in English and in the dark theme, and a time zone choice is remembered', async () => {
    await page.goto('/reports?bucket=hour');
    await page.locator('[data-testid="kpi-calls"] .kpi-value').waitFor();
    await page.locator('[data-testid="lang-en"] button').click();
    await page.locator('h1', { hasText: 'Reports' }).waitFor();
    await page.locator('[data-testid="theme-toggle"]').click();
    await page.locator('[data-testid="chart-calls"] svg').first().waitFor();
    // the chart legend follows the language too
    await page.locator('[data-testid="chart-calls"] svg text', { hasText: /^Calls$/ }).first().waitFor();
    await screenshot(page, 'reports-en-dark');

    await page.locator('[data-testid="reports-tz"]').click();
    await page.locator('mat-option', { hasText: 'Asia/Kolkata' }).click();
    const series = page.waitForResponse((r) => r.url().includes('/api/reports/timeseries') && r.url().includes('Kolkata'));
    await page.locator('[data-testid="reports-apply"]').click();
    await page.waitForURL(/tz=Asia%2FKolkata/);
    expect(((await (await series).json()) as { points: { from: string }[] }).points[0]?.from).toMatch(/T\d\d:30:00\.000Z$/);
    await page.goto('/reports');
    await page.locator('[data-testid="kpi-calls"] .kpi-value').waitFor();
    expect(await page.locator('[data-testid="reports-tz"]').innerText()).toContain('Asia/Kolkata');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

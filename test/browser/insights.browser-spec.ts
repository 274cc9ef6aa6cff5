import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './support/api-process';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

const HOUR = 3_600_000;

/**
 * The Insights panel of the VoIP CRM page in a real Chromium. The API starts on an embedded PGlite folder seeded
 * through the real CdrRepository with six weeks of history and an anomalous hour three hours ago (before the
 * simulator's two hours of traffic): its first analysis at start-up raises the insights the panel shows.
 */
describe('Insights (browser)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'velora-insights-browser-'));
  const target = new Date(Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR);
  // DATABASE_URL blank = unset: PGlite in DATA_DIR
  const stack = new VeloraStack({ apiEnv: { DATABASE_URL: '', DATA_DIR: dataDir } });
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    const seed = spawnSync(
      process.execPath,
      [resolve(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/browser/support/seed-insights.ts', dataDir, target.toISOString()],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    if (seed.status !== 0) throw new Error(`seeding failed (${String(seed.status)}):\n${seed.stdout}\n${seed.stderr}`);
    await stack.start();
  }, 240_000);

  afterAll(async () => {
    try {
      await stack.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
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

  it('shows the insights of the last 24 hours; an insight opens the live view with exactly its calls', async () => {
    const listResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/insights');
    await page.goto('/voip-crm');
    const list = (await (await listResponse).json()) as {
      items: Array<{ kind: string; subject: { country_code: string | null }; evidence: { calls: number } }>;
    };
    expect(list.items.length).toBeGreaterThanOrEqual(8);

    const panel = page.locator('[data-testid="insights-panel"]');
    await panel.locator('[data-testid="insight"]').first().waitFor();
    expect(await panel.locator('h2').innerText()).toBe('İçgörüler');
    await panel.locator('[data-testid="insights-more"]').click();
    expect(await panel.locator('[data-testid="insight"]').count()).toBe(list.items.length);

    const spike = panel.locator('[data-testid="insight"][data-kind="traffic_spike"][data-subject="DE"]');
    expect(await spike.getAttribute('data-severity')).toBe('critical');
    expect(await spike.locator('.message').innerText()).toContain('Almanya (DE) yönünde trafik artışı');
    const link = spike.locator('[data-testid="insight-calls"]');
    expect((await link.innerText()).trim()).toBe('60 çağrıyı göster');
    await screenshot(page, 'insights-tr');

    const cdrs = page.waitForResponse((r) => r.url().includes('/api/sippy/cdrs?') && r.url().includes('country=DE'));
    await link.click();
    await page.waitForURL(/\/voip-crm\?.*country=DE/);
    const response = await cdrs;
    expect(Number(response.headers()['x-total-count'])).toBe(60);
    const query = new URL(response.url()).searchParams;
    expect([query.get('from'), query.get('to')]).toEqual([target.toISOString(), new Date(target.getTime() + HOUR).toISOString()]);
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('reads in English and opens yesterday’s narrative on demand', async () => {
    await page.goto('/voip-crm');
    await page.locator('[data-testid="insights-panel"] [data-testid="insight"]').first().waitFor();
    await page.locator('[data-testid="lang-en"] button').click();
    const panel = page.locator('[data-testid="insights-panel"]');
    await panel.locator('h2', { hasText: 'Insights' }).waitFor();
    await panel.locator('[data-testid="insights-more"]', { hasText: 'Show all' }).click();
    expect(await panel.locator('[data-testid="insight"][data-kind="new_destination"][data-subject="NG"] .message').innerText()).toContain(
      'New destination Nigeria (NG)',
    );

    const narrativeResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/insights/narrative');
    await panel.locator('[data-testid="narrative-toggle"]').click();
    const narrative = (await (await narrativeResponse).json()) as { lang: string; source: string; text: string };
    expect(narrative).toMatchObject({ lang: 'en', source: 'builtin' });
    await panel.locator('[data-testid="narrative-text"]').waitFor();
    expect(await panel.locator('[data-testid="narrative-text"]').innerText()).toBe(narrative.text);
    expect(await panel.locator('[data-testid="narrative-source"]').innerText()).toContain('built-in summary');
    await screenshot(page, 'insights-en');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

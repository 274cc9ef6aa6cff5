import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

/**
 * Exports and the CDR detail sheet in a real Chromium against the real API and a SippySimulator: the live view's
 * Export menu downloads the filtered rows in the columns chosen with the column picker, and `?cdr=<id>` opens the
 * detail sheet, which closes back to the list.
 */
describe('Exports and CDR details (browser)', () => {
  const stack = new VeloraStack();
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

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

  async function download(testId: string): Promise<Download> {
    await page.locator('[data-testid="cdr-export"]').click();
    const pending = page.waitForEvent('download');
    await page.locator(`[data-testid="${testId}"]`).click();
    return pending;
  }

  it('downloads the filtered live view as CSV and Excel in the columns chosen on screen', async () => {
    await page.goto('/voip-crm?status=completed');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();

    // add the trunk column and move it before the duration
    await page.locator('[data-testid="column-picker"]').click();
    await page.locator('[data-testid="column-trunk"] input').check();
    await page.waitForURL((url) => (url.searchParams.get('cols') ?? '').endsWith(',trunk'));
    await page.locator('li[data-column="trunk"] button').first().click(); // up
    await page.waitForURL((url) => url.searchParams.get('cols') === 'start_time,caller,callee,direction,status,location,trunk,duration');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="cdr-table"] th', { hasText: 'Trunk / sağlayıcı' }).waitFor();
    await screenshot(page, 'live-view-columns-tr');

    const csv = await download('cdr-export-csv');
    expect(csv.suggestedFilename()).toBe('velora-cdrs_start_now.csv');
    const text = await readFile(await csv.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('start_time;caller;callee;direction;status;country;city;trunk;duration');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line.split(';')[4]).toBe('completed');
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/); // times in the view's zone, Excel-readable

    const xlsx = await download('cdr-export-xlsx');
    expect(xlsx.suggestedFilename()).toBe('velora-cdrs_start_now.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(await xlsx.path())) as unknown as ArrayBuffer);
    const header = workbook.getWorksheet('CDRs')?.getRow(1).values;
    expect(Array.isArray(header) ? header.slice(1) : header).toEqual(['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'trunk', 'duration']);

    // the choice is remembered: a plain /voip-crm gets the same columns back
    await page.goto('/voip-crm');
    await page.waitForURL((url) => url.searchParams.get('cols') === 'start_time,caller,callee,direction,status,location,trunk,duration');
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('opens the detail sheet of a CDR by URL and by clicking a row; closing restores the list', async () => {
    await page.goto('/voip-crm');
    const row = page.locator('[data-testid="cdr-table"] tr[mat-row]').first();
    await row.waitFor();
    const id = await row.getAttribute('data-cdr-id');
    expect(id).not.toBeNull();

    await page.goto(`/voip-crm?cdr=${encodeURIComponent(id ?? '')}`);
    const sheet = page.locator('[data-testid="cdr-detail"]');
    await sheet.locator('[data-field="id"] dd', { hasText: id ?? '' }).waitFor();
    expect(await sheet.locator('[data-field="caller"] dt').innerText()).toBe('Arayan');
    expect(await sheet.locator('[data-field="pdd"] dt').innerText()).toBe('Arama sonrası gecikme (PDD)');
    // the admin sees the switch's raw record, folded
    const raw = page.locator('[data-testid="cdr-detail-raw"]');
    await raw.waitFor();
    expect(await raw.getAttribute('open')).toBeNull();
    await raw.locator('summary').click();
    expect(await raw.locator('pre').innerText()).toContain('i_cdr');
    await screenshot(page, 'cdr-detail-tr');

    await page.locator('[data-testid="cdr-detail-close"]').click();
    await page.waitForURL((url) => !url.searchParams.has('cdr'));
    await sheet.waitFor({ state: 'detached' });
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();

    // a click on a row opens it too, and Back closes it
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').nth(1).click();
    await page.waitForURL((url) => url.searchParams.has('cdr'));
    await sheet.waitFor();
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('cdr'));
    await sheet.waitFor({ state: 'detached' });
    expect(unexpectedConsoleErrors()).toEqual([]);
  });
});

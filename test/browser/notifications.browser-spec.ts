import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { VeloraStack } from './support/velora-stack';

/**
 * Live notifications in a real Chromium against the built API: the switch goes down and the bell in the top bar
 * receives the outage pushed over GET /api/events (no reload, no polling of the notification list), with a toast;
 * it comes back up and the recovery arrives the same way; "mark all read" empties the badge. A CDR the switch
 * returns shows up in the live card long before its 30 s refresh.
 */
describe('Notifications (browser)', () => {
  // the API probes the switch every second in the background, so an outage is noticed with nobody asking; the
  // detection is off: its findings on the simulator's random traffic would be notifications this spec does not
  // expect (the detection's own browser spec covers those)
  const stack = new VeloraStack({
    apiEnv: { EVENTS_INTEGRATION_CHECK_SECONDS: '1', SIPPY_HEALTH_CACHE_SECONDS: '0', DETECTION_ENABLED: 'false' },
  });
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];
  let listRequests: string[];

  beforeAll(async () => {
    await stack.start();
    await stack.waitForSwitch('up');
  });

  afterAll(async () => {
    await stack.stop();
  });

  afterEach(async () => {
    await context.close();
  });

  async function open(path: string): Promise<void> {
    context = await newContext(stack.browser, stack.api.baseUrl);
    page = await context.newPage();
    consoleErrors = watchConsole(page).errors;
    listRequests = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/notifications') listRequests.push(request.url());
    });
    await page.goto(path);
    await page.locator('[data-testid="notification-bell"]').waitFor();
  }

  const bellItem = (text: string) => page.locator('[data-testid="bell-item"]', { hasText: text });

  it('the bell receives a pushed outage and its recovery, with toasts, and marks them read', async () => {
    await open('/voip-crm');
    await page.locator('[data-testid="cdr-table"] tr[mat-row]').first().waitFor();
    expect(await page.locator('[data-testid="notification-badge"]').count()).toBe(0);
    const listsBefore = listRequests.length;

    await stack.simulator.down();
    try {
      // pushed: the badge and the toast appear without any reload
      await page.locator('[data-testid="notification-badge"]').waitFor({ timeout: 20_000 });
      await page.locator('mat-snack-bar-container', { hasText: 'SippySoft erişilemiyor' }).waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="notification-bell"]').click();
      await bellItem('SippySoft erişilemiyor').waitFor();
      expect(await bellItem('SippySoft erişilemiyor').getAttribute('class')).toContain('unread');
      expect(await bellItem('SippySoft erişilemiyor').getAttribute('data-level')).toBe('crit');
      await screenshot(page, 'notifications-bell');
      await page.keyboard.press('Escape');
    } finally {
      await stack.simulator.up();
    }

    await page.locator('mat-snack-bar-container', { hasText: 'SippySoft yeniden çalışıyor' }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="notification-bell"]').click();
    await bellItem('SippySoft yeniden çalışıyor').waitFor();
    // everything arrived over the event stream: the list was loaded once, when the page opened
    expect(listRequests.length).toBe(listsBefore);

    await page.locator('[data-testid="bell-mark-all-read"]').click();
    await page.locator('[data-testid="notification-badge"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="bell-item"].unread').count()).toBe(0);
    await page.keyboard.press('Escape');

    // the read state is stored on the server: a new page shows it read
    await page.goto('/notifications');
    await page.locator('[data-testid="notification-item"]', { hasText: 'SippySoft erişilemiyor' }).first().waitFor();
    expect(await page.locator('[data-testid="notification-item"].unread').count()).toBe(0);
    expect(await page.locator('[data-testid="notification-badge"]').count()).toBe(0);
    // admins see the outbound channels (none configured here)
    expect(await page.locator('[data-testid="notification-channel"]').count()).toBe(3);
    expect(consoleErrors.filter((e) => !/status of (401|503)/.test(e))).toEqual([]);
  }, 90_000);

  it('the live card shows a new CDR as soon as the sync stores it, long before the 30 s refresh', async () => {
    await open('/voip-crm');
    const rows = page.locator('[data-testid="cdr-table"] tr[mat-row]');
    await rows.first().waitFor();
    const caller = '905559998877';
    stack.simulator.addCdr({ cli: caller, cld: '902161234567', duration: 42 });
    const row = rows.filter({ hasText: '+90 555 999 88 77' }).first();
    const shown = row.waitFor({ timeout: 25_000 }).then(() => Date.now());
    await stack.waitForStoredCaller(caller);
    const stored = Date.now();
    // the 30 s timer would take up to 30 s; the pushed `cdrs` event reloads the card at once
    expect((await shown) - stored).toBeLessThan(5000);
    expect(await row.getAttribute('data-new')).toBe('true');
  }, 60_000);
});

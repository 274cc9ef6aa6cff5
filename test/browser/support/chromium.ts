import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { REPO_ROOT, signedInSessions } from './api-process';
import { recordResponses } from './leak-check';

export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'docs/screenshots');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** `CHROME_BIN`, else Debian's Chromium. Fails with the install command when there is none. */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROME_BIN'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      'Chromium not found. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) or set CHROME_BIN.',
    );
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A desktop-sized context in Istanbul's time zone, Turkish browser locale, fresh storage, signed in as the
 * harness admin (the API's session cookies) unless `signedIn: false` (e.g. to test the login page).
 */
export async function newContext(browser: Browser, baseURL: string, options: { signedIn?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'tr-TR',
    timezoneId: 'Europe/Istanbul',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  recordResponses(context);
  const cookies = signedInSessions.get(baseURL);
  if ((options.signedIn ?? true) && cookies !== undefined) {
    await context.addCookies(cookies.map((c) => ({ name: c.name, value: c.value, url: baseURL, sameSite: 'Strict' as const, httpOnly: c.name === 'velora_session' })));
  }
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // let the highlight/progress animations settle so screenshots are stable
  await page.waitForTimeout(300);
  // The page scrolls inside mat-sidenav-content, not the document: grow the viewport to the content.
  const original = page.viewportSize();
  const contentHeight = Number(
    await page.evaluate("document.querySelector('mat-sidenav-content')?.scrollHeight ?? 0"),
  );
  if (original && contentHeight > original.height) {
    await page.setViewportSize({ width: original.width, height: Math.min(contentHeight, 2400) });
    await page.waitForTimeout(100);
  }
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) });
  if (original && contentHeight > original.height) {
    await page.setViewportSize(original);
  }
}

/** Collects uncaught page errors and console errors so a spec can assert a clean console. */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { errors };
}

import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchConsole } from './support/chromium';
import { DEMO_MODE_ENV, VeloraStack } from './support/velora-stack';

const TURKISH_TEXT = 'Merhaba, Velora santraline hoş geldiniz. Görüşmeniz kalite için kayıt altına alınabilir; lütfen hatta kalın.';

/**
 * Text to speech against the API's demo-mode fake ElevenLabs (real SDK calls over HTTP, real MP3
 * frames streamed back through POST /api/elevenlabs/tts).
 */
describe('Text to speech (browser)', () => {
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
  });

  afterEach(async () => {
    await context.close();
  });

  it('is in the navigation', async () => {
    await page.goto('/voip-crm');
    await page.locator('a[href="/tts"]', { hasText: 'Metinden Sese' }).click();
    await page.locator('h1', { hasText: 'Metinden Sese' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/tts');
  });

  it('synthesizes Turkish text with a chosen voice; the audio element gets a playable blob: source', async () => {
    await page.goto('/tts');
    // pick a voice from the list the API got from (fake) ElevenLabs
    const voice = page.locator('[data-testid="tts-voice"]');
    // the voices have loaded once a Turkish voice is preselected; a click before that opens nothing
    await voice.filter({ hasText: 'Velora IVR (Türkçe)' }).waitFor();
    const options = page.locator('mat-option');
    for (let attempt = 0; attempt < 3 && !(await options.first().isVisible()); attempt += 1) {
      await voice.click();
      await options.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThanOrEqual(2);
    await page.locator('mat-option', { hasText: 'Velora IVR (Türkçe)' }).click();
    await page.locator('[data-testid="tts-voice"]', { hasText: 'Velora IVR (Türkçe)' }).waitFor();

    await page.locator('[data-testid="tts-text"]').fill(TURKISH_TEXT);
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points on purpose: the counter counts them
    expect(await page.locator('[data-testid="tts-counter"]').innerText()).toBe(`${[...TURKISH_TEXT].length} / 5000`);

    const response = page.waitForResponse((r) => r.url().endsWith('/api/elevenlabs/tts'));
    await page.locator('[data-testid="tts-submit"]').click();
    const tts = await response;
    expect(tts.status()).toBe(200);
    expect(tts.headers()['content-type']).toBe('audio/mpeg');
    expect(JSON.parse(tts.request().postData() ?? '{}')).toEqual({
      text: TURKISH_TEXT,
      voice_id: 'VeloraIvrTr0000000001',
      output_format: 'mp3_44100_128',
    });

    const audio = page.locator('[data-testid="tts-audio"]');
    await audio.waitFor();
    const src = await audio.getAttribute('src');
    expect(src).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    // playable: Chromium decoded the metadata of the MP3 (readyState >= HAVE_METADATA, a real duration)
    // (strings: this file is compiled without the DOM library, the code runs in the page)
    await page.waitForFunction(
      `(() => {
        const el = document.querySelector('[data-testid="tts-audio"]');
        return !!el && el.readyState >= 1 && Number.isFinite(el.duration) && el.duration > 0;
      })()`,
      undefined,
      { timeout: 10_000 },
    );
    const media = await page.evaluate<{ duration: number; error: number | null }>(
      `(() => {
        const el = document.querySelector('[data-testid="tts-audio"]');
        return { duration: el.duration, error: el.error ? el.error.code : null };
      })()`,
    );
    expect(media.error).toBeNull();
    // the fake speaks 60 ms per character
    expect(media.duration).toBeGreaterThan(1);

    // the blob is the MP3 the API streamed (frame sync or ID3 at the start)
    const head = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      return { size: bytes.length, b0: bytes[0], b1: bytes[1] };
    }, src as string);
    expect(head.size).toBeGreaterThan(1000);
    expect(head.b0 === 0xff && (head.b1 & 0xe0) === 0xe0).toBe(true);

    const download = page.locator('[data-testid="tts-download"]');
    expect(await download.getAttribute('href')).toBe(src);
    expect(await download.getAttribute('download')).toMatch(/^velora-tts-velora-ivr-turkce-\d{8}-\d{6}\.mp3$/);
    expect(await page.locator('[data-testid="tts-cost"]').innerText()).toBe(String(TURKISH_TEXT.length));

    // the download link really saves the file
    const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(saved.suggestedFilename()).toMatch(/\.mp3$/);

    await page.locator('[data-testid="tts-text"]').blur();
    await screenshot(page, 'tts');
    expect(consoleErrors).toEqual([]);
  });

  it('a second synthesis replaces the audio and frees the old object URL', async () => {
    await page.goto('/tts');
    await page.locator('[data-testid="tts-voice"]', { hasText: /\S/ }).waitFor();
    const text = page.locator('[data-testid="tts-text"]');
    await text.fill('Birinci anons.');
    await page.locator('[data-testid="tts-submit"]').click();
    const audio = page.locator('[data-testid="tts-audio"]');
    await audio.waitFor();
    const first = (await audio.getAttribute('src')) as string;

    await text.fill('İkinci, biraz daha uzun bir anons metni.');
    await page.locator('[data-testid="tts-submit"]').click();
    // a locator, not page.waitForFunction(string): that is eval()ed in the page, which the API's CSP forbids
    await page.locator(`[data-testid="tts-audio"][src]:not([src=${JSON.stringify(first)}])`).waitFor({ state: 'attached' });
    const revoked = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return false;
      } catch {
        return true;
      }
    }, first);
    expect(revoked).toBe(true);
  });

  it('refuses text over the API limit before sending anything', async () => {
    let posted = false;
    page.on('request', (r) => {
      if (r.url().includes('/api/elevenlabs/tts')) posted = true;
    });
    await page.goto('/tts');
    await page.locator('[data-testid="tts-text"]').fill('a'.repeat(5001));
    await page.locator('[data-testid="tts-text"]').blur();
    await page.locator('[data-testid="tts-too-long"]').waitFor();
    expect(await page.locator('[data-testid="tts-submit"]').isDisabled()).toBe(true);
    expect(posted).toBe(false);
  });
});

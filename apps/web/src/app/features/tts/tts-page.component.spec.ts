import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import type { HarnessLoader } from '@angular/cdk/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import type { VoiceList } from '../../core/api/api.models';
import { OBJECT_URLS, type ObjectUrls } from './object-urls';
import { TtsPageComponent } from './tts-page.component';

const VOICES: VoiceList = {
  voices: [
    { voice_id: 'rachel01', name: 'Rachel', category: 'premade', labels: { accent: 'american', gender: 'female' }, preview_url: 'http://cdn.test/rachel.mp3', description: null },
    { voice_id: 'ivrTr01', name: 'Velora IVR (Türkçe)', category: 'cloned', labels: { accent: 'turkish', use_case: 'ivr' }, preview_url: null, description: 'Santral karşılama anonsu' },
  ],
  total_count: 2,
  truncated: false,
};

const jsonBlob = (body: unknown): Blob => new Blob([JSON.stringify(body)], { type: 'application/json' });

describe('TtsPageComponent', () => {
  let fixture: ComponentFixture<TtsPageComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let loader: HarnessLoader;
  let created: Blob[];
  let revoked: string[];

  const q = (testId: string): Element | null => element.querySelector(`[data-testid="${testId}"]`);
  /** The element with `testId`, checked to be a `type`. */
  const the = <T extends Element>(testId: string, type: new () => T): T => {
    const found = q(testId);
    if (!(found instanceof type)) throw new Error(`no ${type.name} ${testId}`);
    return found;
  };
  const text = (testId: string): string => q(testId)?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  const submitButton = (): HTMLButtonElement => the('tts-submit', HTMLButtonElement);
  async function type(value: string): Promise<void> {
    const area = the('tts-text', HTMLTextAreaElement);
    area.value = value;
    area.dispatchEvent(new Event('input'));
    area.dispatchEvent(new Event('blur'));
    await fixture.whenStable();
  }
  async function submit(): Promise<void> {
    submitButton().click();
    await fixture.whenStable();
  }
  async function flushAudio(format = 'audio/mpeg'): Promise<void> {
    backend.expectOne('/api/elevenlabs/tts').flush(new Blob([new Uint8Array(1200)], { type: format }), {
      headers: { 'Content-Type': format, 'X-Character-Cost': '12' },
    });
    await fixture.whenStable();
  }
  async function flushError(status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
    backend.expectOne('/api/elevenlabs/tts').flush(jsonBlob(body), { status, statusText: 'x', headers });
    // the Blob body is read asynchronously (FileReader in jsdom)
    for (let i = 0; i < 50 && !q('tts-error'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await fixture.whenStable();
    }
  }

  beforeEach(async () => {
    created = [];
    revoked = [];
    const urls: ObjectUrls = {
      create: (blob) => {
        created.push(blob);
        return `blob:http://localhost/audio-${created.length}`;
      },
      revoke: (url) => revoked.push(url),
    };
    TestBed.configureTestingModule({
      imports: [TtsPageComponent],
      providers: [provideTestHttp(), provideTestTransloco('tr'), provideTestIcons(), { provide: OBJECT_URLS, useValue: urls }],
    });
    fixture = TestBed.createComponent(TtsPageComponent);
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
  });

  afterEach(() => { backend.verify(); });

  async function loadVoices(): Promise<void> {
    backend.expectOne('/api/elevenlabs/voices').flush(VOICES);
    await fixture.whenStable();
  }

  it('loads the voices and preselects the Turkish one; nothing to play yet', async () => {
    expect(text('tts-counter')).toBe('0 / 5000');
    await loadVoices();
    const voice = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="tts-voice"]' }));
    expect(await voice.getValueText()).toBe('Velora IVR (Türkçe)');
    expect(element.textContent).toContain('Santral karşılama anonsu');
    expect(text('tts-empty')).toContain('Henüz ses yok');
    expect(submitButton().disabled).toBe(true);
    expect(submitButton().textContent).toContain('Seslendir');
  });

  it('validates the text: counter, blank and the API length limit', async () => {
    await loadVoices();
    await type('Merhaba 😀');
    expect(text('tts-counter')).toBe('9 / 5000');
    expect(submitButton().disabled).toBe(false);

    await type('   ');
    expect(element.textContent).toContain('Metin yalnızca boşluktan oluşamaz.');
    expect(submitButton().disabled).toBe(true);

    await type('a'.repeat(5001));
    expect(text('tts-counter')).toBe('5001 / 5000');
    expect(text('tts-too-long')).toBe('Metin en fazla 5000 karakter olabilir (şu an 5001).');
    expect(submitButton().disabled).toBe(true);
    backend.expectNone('/api/elevenlabs/tts');
  });

  it('synthesizes with the chosen voice, model and format and plays the result from an object URL', async () => {
    await loadVoices();
    const voice = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="tts-voice"]' }));
    await voice.open();
    await voice.clickOptions({ text: /Rachel/ });
    const model = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="tts-model"]' }));
    await model.open();
    await model.clickOptions({ text: /Flash v2.5/ });
    await type('Velora santraline hoş geldiniz.');
    await submit();

    const req = backend.expectOne('/api/elevenlabs/tts');
    expect(req.request.body).toEqual({
      text: 'Velora santraline hoş geldiniz.',
      voice_id: 'rachel01',
      model_id: 'eleven_flash_v2_5',
      output_format: 'mp3_44100_128',
    });
    expect(submitButton().disabled).toBe(true);
    expect(submitButton().textContent).toContain('Seslendiriliyor…');
    expect(q('tts-cancel')).not.toBeNull();
    req.flush(new Blob([new Uint8Array(1200)], { type: 'audio/mpeg' }), { headers: { 'Content-Type': 'audio/mpeg', 'X-Character-Cost': '31' } });
    await fixture.whenStable();

    const audio = q('tts-audio');
    expect(audio?.getAttribute('src')).toBe('blob:http://localhost/audio-1');
    expect(created[0]?.type).toBe('audio/mpeg');
    const download = q('tts-download');
    expect(download?.getAttribute('href')).toBe('blob:http://localhost/audio-1');
    expect(download?.getAttribute('download')).toMatch(/^velora-tts-rachel-\d{8}-\d{6}\.mp3$/);
    expect(text('tts-cost')).toBe('31');
    expect(text('tts-size')).toBe('1,2 KB');
    expect(submitButton().disabled).toBe(false);
  });

  it('sends no model_id for the server default, and replaces the old URL with the new one', async () => {
    await loadVoices();
    await type('Bir');
    await submit();
    const first = backend.expectOne('/api/elevenlabs/tts');
    expect(first.request.body).toEqual({ text: 'Bir', voice_id: 'ivrTr01', output_format: 'mp3_44100_128' });
    first.flush(new Blob([new Uint8Array(10)], { type: 'audio/mpeg' }), { headers: { 'Content-Type': 'audio/mpeg' } });
    await fixture.whenStable();
    await submit();
    await flushAudio();
    expect(q('tts-audio')?.getAttribute('src')).toBe('blob:http://localhost/audio-2');
    expect(revoked).toEqual(['blob:http://localhost/audio-1']);
    fixture.destroy();
    expect(revoked).toEqual(['blob:http://localhost/audio-1', 'blob:http://localhost/audio-2']);
  });

  it('offers download only for formats a browser cannot play', async () => {
    await loadVoices();
    const format = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="tts-format"]' }));
    await format.open();
    await format.clickOptions({ text: 'G.711 μ-law · 8 kHz' });
    expect(text('tts-format-hint')).toContain('Tarayıcı bu biçimi çalamaz');
    await type('Lütfen bekleyiniz');
    await submit();
    const req = backend.expectOne('/api/elevenlabs/tts');
    expect(req.request.body).toMatchObject({ output_format: 'ulaw_8000' });
    req.flush(new Blob([new Uint8Array(10)], { type: 'audio/basic' }), { headers: { 'Content-Type': 'audio/basic' } });
    await fixture.whenStable();
    expect(q('tts-audio')).toBeNull();
    expect(text('tts-not-playable')).toContain('tarayıcıda çalınamaz');
    expect(q('tts-download')?.getAttribute('download')).toMatch(/\.ulaw$/);
  });

  it.each([
    [400, {}, { statusCode: 400, message: 'ElevenLabs refused the request: Text contains unsupported characters', cause: 'validation' }, 'İstek reddedildi.', 'unsupported characters'],
    [429, { 'Retry-After': '4' }, { statusCode: 429, message: "ElevenLabs is busy or the plan's concurrency limit is reached", cause: 'rate_limited' }, 'eşzamanlı istek sınırı', '4 saniye sonra tekrar deneyin.'],
    [502, {}, { statusCode: 502, message: 'ElevenLabs character quota is used up: This request exceeds your quota', cause: 'quota', request_id: 'req-9' }, 'karakter kotası doldu', 'req-9'],
    [502, {}, { statusCode: 502, message: 'ElevenLabs rejected the API key (invalid_api_key)', cause: 'auth' }, 'API anahtarını reddetti', 'invalid_api_key'],
    [503, {}, { statusCode: 503, message: 'ElevenLabs is not configured: set ELEVENLABS_API_KEY', cause: 'config' }, 'yapılandırılmamış', 'set ELEVENLABS_API_KEY'],
  ])('shows a %i clearly, with the API reason, and keeps the last audio', async (status, headers, body, title, detail) => {
    await loadVoices();
    await type('Merhaba');
    await submit();
    await flushAudio();
    await submit();
    await flushError(status, body, headers);
    const banner = q('tts-error');
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(banner?.getAttribute('data-status')).toBe(String(status));
    expect(text('tts-error')).toContain(title);
    expect(text('tts-error')).toContain(detail);
    expect(text('tts-error')).toContain('Önceki ses aşağıda duruyor.');
    expect(q('tts-audio')?.getAttribute('src')).toBe('blob:http://localhost/audio-1');
    expect(revoked).toEqual([]);
  });

  it('explains a voice list that cannot load and retries', async () => {
    backend
      .expectOne('/api/elevenlabs/voices')
      .flush({ statusCode: 503, message: 'ElevenLabs is not configured: set ELEVENLABS_API_KEY' }, { status: 503, statusText: 'x' });
    await fixture.whenStable();
    expect(text('tts-voices-error')).toContain('Metinden sese yapılandırılmamış');
    expect(text('tts-voices-error')).toContain('set ELEVENLABS_API_KEY');
    the('tts-voices-retry', HTMLButtonElement).click();
    await loadVoices();
    expect(q('tts-voices-error')).toBeNull();
  });

  it('plays a voice sample when the voice has one', async () => {
    const play = jest.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
    const pause = jest.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
    try {
      await loadVoices();
      expect(the('tts-preview', HTMLButtonElement).disabled).toBe(true); // the Turkish voice has no sample
      const voice = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="tts-voice"]' }));
      await voice.open();
      await voice.clickOptions({ text: /Rachel/ });
      const button = the('tts-preview', HTMLButtonElement);
      expect(button.disabled).toBe(false);
      button.click();
      await fixture.whenStable();
      const preview = element.querySelector<HTMLAudioElement>('audio[hidden]');
      expect(preview?.getAttribute('src')).toBe('http://cdn.test/rachel.mp3');
      expect(play).toHaveBeenCalledTimes(1);
      expect(button.getAttribute('aria-label')).toBe('Örneği durdur');
      preview?.dispatchEvent(new Event('error'));
      await fixture.whenStable();
      expect(text('tts-preview-error')).toBe('Ses örneği çalınamadı.');
    } finally {
      play.mockRestore();
      pause.mockRestore();
    }
  });
});

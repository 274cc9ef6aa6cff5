import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { IntegrationHealth, IntegrationId } from '../../../core/api/api.models';
import { ApiError } from '../../../core/http/api-error';
import { provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { IntegrationCardComponent } from './integration-card.component';

describe('IntegrationCardComponent (Issabel, ElevenLabs)', () => {
  let fixture: ComponentFixture<IntegrationCardComponent>;
  let element: HTMLElement;

  const text = (selector = ':scope'): string =>
    (selector === ':scope' ? element : element.querySelector(selector))?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  const badge = (): string | null => element.querySelector('[data-testid="health-badge"]')?.getAttribute('data-state') ?? null;

  async function render(integration: IntegrationId, health: IntegrationHealth | null, locale = 'tr-TR'): Promise<void> {
    fixture.componentRef.setInput('integration', integration);
    fixture.componentRef.setInput('entry', { health, checking: false, checkedAt: null });
    fixture.componentRef.setInput('locale', locale);
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [IntegrationCardComponent],
      providers: [provideTestTransloco('tr'), provideTestIcons()],
    });
    fixture = TestBed.createComponent(IntegrationCardComponent);
    element = fixture.nativeElement as HTMLElement;
  });

  it('Issabel up: latency, Asterisk version, current calls and the simulator mode', async () => {
    await render('issabel', {
      state: 'up',
      details: {
        status: 'up',
        mode: 'simulator',
        latency_ms: 7,
        endpoint: 'tcp://127.0.0.1:40000',
        ami_version: '5.0.2',
        asterisk_version: '18.9.0',
        current_calls: 1234,
        denied_actions: [],
      },
    });
    expect(badge()).toBe('up');
    expect(text('[data-testid="health-badge"]')).toBe('Çalışıyor');
    expect(text('[data-testid="latency"]')).toBe('7 ms');
    expect(text('[data-testid="asterisk-version"]')).toBe('18.9.0');
    expect(text('[data-testid="current-calls"]')).toBe('1.234');
    expect(text()).toContain('Simülatör');
    // the endpoint is only worth showing for a real PBX
    expect(text()).not.toContain('tcp://');
    expect(element.querySelector('[data-testid="denied-actions"]')).toBeNull();
  });

  it('Issabel up with limited AMI rights names the denied actions', async () => {
    await render('issabel', {
      state: 'up',
      details: { status: 'up', mode: 'live', latency_ms: 9, endpoint: 'tcp://pbx:5038', asterisk_version: null, current_calls: null, denied_actions: ['CoreStatus'] },
    });
    expect(text('[data-testid="denied-actions"]')).toContain('CoreStatus');
    expect(text()).toContain('tcp://pbx:5038');
    expect(element.querySelector('[data-testid="current-calls"]')).toBeNull();
  });

  it.each([
    ['auth', 'Kimlik doğrulama başarısız'],
    ['refused', 'Bağlantı reddedildi'],
    ['timeout', 'Zaman aşımı'],
    ['something_new', 'Diğer hata'],
  ])('Issabel down (%s): translated cause and the API message', async (cause, expected) => {
    await render('issabel', {
      state: 'down',
      details: { status: 'down', mode: 'live', latency_ms: null, cause, message: 'Issabel refused the AMI connection' },
    });
    expect(badge()).toBe('down');
    expect(text('[data-testid="last-error"]')).toContain(expected);
    expect(text('[data-testid="last-error"]')).toContain('Issabel refused the AMI connection');
  });

  it('Issabel not configured', async () => {
    await render('issabel', {
      state: 'not_configured',
      details: { status: 'down', mode: 'unconfigured', cause: 'not_configured', latency_ms: null, message: 'set ISSABEL_AMI_HOST' },
    });
    expect(badge()).toBe('not_configured');
    expect(text('[data-testid="health-badge"]')).toBe('Yapılandırılmamış');
  });

  it('ElevenLabs up: plan and quota with a progress bar', async () => {
    await render('elevenlabs', {
      state: 'up',
      details: {
        status: 'up',
        mode: 'simulator',
        latency_ms: 12,
        tier: 'creator',
        character_count: 1234,
        character_limit: 100000,
        characters_remaining: 98766,
        next_reset_at: '2026-12-01T00:00:00.000Z',
      },
    });
    expect(badge()).toBe('up');
    expect(text('[data-testid="tier"]')).toBe('creator');
    expect(text('[data-testid="quota-text"]')).toBe('1.234 / 100.000 kullanıldı (%1,2)');
    expect(text('[data-testid="quota"]')).toContain('Kalan: 98.766 karakter');
    const bar = element.querySelector('[data-testid="quota"] mat-progress-bar');
    expect(bar?.getAttribute('aria-valuenow')).toBe('1.2');
    expect(bar?.classList.contains('quota-high')).toBe(false);
  });

  it('ElevenLabs quota used up: down, cause quota, red bar', async () => {
    await render('elevenlabs', {
      state: 'down',
      details: { status: 'down', mode: 'live', latency_ms: 20, cause: 'quota', message: 'ElevenLabs character quota is used up', character_count: 10000, character_limit: 10000, characters_remaining: 0 },
    }, 'en-US');
    expect(text('[data-testid="last-error"]')).toContain('Karakter kotası doldu');
    expect(text('[data-testid="quota-text"]')).toBe('10,000 / 10,000 kullanıldı (100%)');
    expect(element.querySelector('[data-testid="quota"] mat-progress-bar')?.classList.contains('quota-high')).toBe(true);
  });

  it('ElevenLabs auth failure talks about the API key, not a password', async () => {
    await render('elevenlabs', {
      state: 'down',
      details: { status: 'down', mode: 'live', latency_ms: null, cause: 'auth', message: 'ElevenLabs rejected the API key (invalid_api_key)' },
    });
    expect(text('[data-testid="last-error"]')).toContain('API anahtarı reddedildi');
    expect(text('[data-testid="last-error"]')).not.toContain('parola');
    expect(element.querySelector('[data-testid="quota"]')).toBeNull();
  });

  it('ElevenLabs not configured, and an API that cannot be asked', async () => {
    await render('elevenlabs', { state: 'not_configured', details: null });
    expect(badge()).toBe('not_configured');
    await render('elevenlabs', { state: 'unreachable', error: new ApiError('network', 0, 'errors.network', 'x') });
    expect(badge()).toBe('unreachable');
    expect(text()).toContain('Sunucuya ulaşılamıyor');
  });
});

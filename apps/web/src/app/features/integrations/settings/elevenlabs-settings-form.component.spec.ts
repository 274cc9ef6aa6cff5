import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { defaultElevenLabsView } from '../../../../testing/settings.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { ElevenLabsSettingsFormComponent } from './elevenlabs-settings-form.component';

const SETTINGS = '/api/elevenlabs/settings';

describe('ElevenLabsSettingsFormComponent', () => {
  let fixture: ComponentFixture<ElevenLabsSettingsFormComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const byTestId = (testId: string): HTMLElement => {
    const found = element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!found) throw new Error(`no ${testId}`);
    return found;
  };
  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const typeKey = (value: string): void => {
    const field = byTestId('el-api-key') as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ElevenLabsSettingsFormComponent],
      providers: [
        provideTestHttp(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ElevenLabsSettingsFormComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    backend.expectOne(SETTINGS).flush(defaultElevenLabsView());
    await settle();
  });

  afterEach(() => {
    backend.verify();
  });

  it('shows the base URL as set by the environment or the default, never editable here', () => {
    expect(byTestId('settings-base-url').textContent).toContain('https://api.elevenlabs.io');
    expect(byTestId('settings-base-url').textContent).toContain('Varsayılan');
    expect(byTestId('settings-api-key').textContent).toContain('ayarlı değil');
  });

  it('requires a key without spaces', async () => {
    byTestId('el-save').click();
    await settle();
    expect(element.textContent).toContain('API anahtarı gerekli.');
    typeKey('has a space');
    byTestId('el-save').click();
    await settle();
    expect(element.textContent).toContain('API anahtarı boşluk veya özel karakter içermez.');
    backend.expectNone(SETTINGS);
  });

  it('shows a rejected key as "API key rejected" and keeps nothing of it', async () => {
    typeKey('sk_wrong_key_000');
    byTestId('el-save').click();
    await settle();
    const call = backend.expectOne(SETTINGS);
    expect(call.request.body).toEqual({ api_key: 'sk_wrong_key_000' });
    expect((byTestId('el-api-key') as HTMLInputElement).value).toBe('');
    call.flush(
      {
        statusCode: 422,
        message: 'not saved',
        test: {
          ok: false,
          message: 'ElevenLabs rejected the API key (invalid_api_key)',
          details: { endpoint: 'https://api.elevenlabs.io', latency_ms: null, cause: 'auth' },
        },
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle();
    expect(byTestId('el-result').textContent).toContain('Kaydedilmedi');
    expect(byTestId('el-cause').textContent).toContain('API anahtarı reddedildi');
    expect(element.innerHTML).not.toContain('sk_wrong_key_000');
  });

  it('saves a key and shows it set with its last two characters', async () => {
    typeKey('sk_right_key_0042');
    byTestId('el-save').click();
    await settle();
    backend.expectOne(SETTINGS).flush({
      settings: defaultElevenLabsView({
        mode: 'live',
        saved: { version: 1, updated_at: '2026-12-01T09:00:00.000Z', updated_by: 'admin@example.com' },
        api_key: { set: true, last2: '42', source: 'saved', locked: false, env: 'ELEVENLABS_API_KEY' },
      }),
      test: {
        ok: true,
        message: 'ElevenLabs accepted the key',
        details: { endpoint: 'https://api.elevenlabs.io', latency_ms: 80, tier: 'creator' },
      },
    });
    await settle();
    expect(byTestId('el-result').textContent).toContain('Kaydedildi ve kullanımda');
    expect(byTestId('el-result').textContent).toContain('creator');
    expect(byTestId('settings-api-key').textContent).toContain('ayarlı (…42)');
    expect(byTestId('el-clear')).toBeTruthy();
  });
});

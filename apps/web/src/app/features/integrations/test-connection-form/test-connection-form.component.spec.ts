import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { SippySettingsView } from '@velora/contracts';
import { defaultSippyView, envSippyView, savedSippyView } from '../../../../testing/settings.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { TestConnectionFormComponent, httpUrlValidator, pemCertificateValidator } from './test-connection-form.component';

const SETTINGS = '/api/sippy/settings';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';

describe('httpUrlValidator', () => {
  it.each(['https://sippy.example.com/xmlapi/xmlapi', 'http://10.0.0.5:8080/xmlapi', ''])('accepts %j', (value) => {
    expect(httpUrlValidator(new FormControl(value, { nonNullable: true }))).toBeNull();
  });

  it.each(['sippy.example.com', 'ftp://sippy.example.com', 'javascript:alert(1)', 'https://'])('rejects %j', (value) => {
    expect(httpUrlValidator(new FormControl(value, { nonNullable: true }))).toEqual({ httpUrl: true });
  });

  it('rejects credentials in the URL', () => {
    expect(httpUrlValidator(new FormControl('https://u:p@sippy.example', { nonNullable: true }))).toEqual({
      credentialsInUrl: true,
    });
  });
});

describe('pemCertificateValidator', () => {
  it('accepts nothing or a certificate block, and rejects anything else', () => {
    expect(pemCertificateValidator(new FormControl('', { nonNullable: true }))).toBeNull();
    expect(pemCertificateValidator(new FormControl(` ${PEM}\n`, { nonNullable: true }))).toBeNull();
    expect(pemCertificateValidator(new FormControl('-----BEGIN PRIVATE KEY-----', { nonNullable: true }))).toEqual({ pem: true });
  });
});

describe('TestConnectionFormComponent (SippySoft connection settings)', () => {
  let fixture: ComponentFixture<TestConnectionFormComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let changes: number;

  const byTestId = (testId: string, root: ParentNode = element): HTMLElement => {
    const found = root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!found) throw new Error(`no ${testId}`);
    return found;
  };
  const input = (testId: string): HTMLInputElement => byTestId(testId) as HTMLInputElement;
  const type = (testId: string, value: string): void => {
    const field = input(testId);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const click = async (testId: string, root: ParentNode = element): Promise<void> => {
    byTestId(testId, root).click();
    await settle();
  };
  const text = (): string => element.textContent.replace(/\s+/g, ' ');

  async function start(view: SippySettingsView): Promise<void> {
    fixture = TestBed.createComponent(TestConnectionFormComponent);
    element = fixture.nativeElement as HTMLElement;
    changes = 0;
    fixture.componentInstance.changed.subscribe(() => {
      changes += 1;
    });
    await fixture.whenStable();
    backend.expectOne(SETTINGS).flush(view);
    await settle();
  }

  async function fillValid(): Promise<void> {
    type('tc-url', 'https://sippy.example.com/xmlapi/xmlapi');
    type('tc-username', 'ops');
    type('tc-password', 'hunter2');
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [TestConnectionFormComponent],
      providers: [
        provideTestHttp(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  describe('with nothing saved', () => {
    beforeEach(async () => {
      await start(defaultSippyView());
    });

    it('shows what is in force and where it comes from, and offers no "forget" without saved settings', () => {
      expect(byTestId('settings-mode').textContent).toContain('Yapılandırılmamış');
      expect(byTestId('settings-url').textContent).toContain('Varsayılan');
      expect(byTestId('settings-password').textContent).toContain('ayarlı değil');
      expect(byTestId('settings-cdr-type').textContent).toContain('Tümü (başarısız denemeler dahil)');
      expect(element.querySelector('[data-testid="settings-read-only"]')).toBeNull();
      expect(element.querySelector('[data-testid="tc-save"]')).not.toBeNull();
      expect(element.querySelector('[data-testid="tc-clear"]')).toBeNull();
    });

    it('shows validation messages and sends nothing when the form is invalid', async () => {
      type('tc-url', 'sippy.example.com');
      await click('tc-submit');
      expect(text()).toContain('http:// veya https:// ile başlayan geçerli bir adres girin.');
      expect(text()).toContain('Kullanıcı adı gerekli.');
      expect(text()).toContain('Parola gerekli.');
      await click('tc-save');
      backend.expectNone(`${SETTINGS}/test`);
      backend.expectNone(SETTINGS);
    });

    it('tests the settings with TLS verification on, clears the password and shows success', async () => {
      await fillValid();
      await click('tc-submit');

      const call = backend.expectOne(`${SETTINGS}/test`);
      expect(call.request.method).toBe('POST');
      expect(call.request.body).toEqual({
        url: 'https://sippy.example.com/xmlapi/xmlapi',
        username: 'ops',
        password: 'hunter2',
        tls_verify: true,
        ca_pem: null,
        cdr_type: 'all',
      });
      expect(input('tc-password').value).toBe('');
      expect(text()).toContain('Test ediliyor…');

      call.flush({
        ok: true,
        message: 'Connected to Sippy 2023',
        details: {
          endpoint: 'https://sippy.example.com/xmlapi/xmlapi',
          latency_ms: 18,
          methods: ['getAccountInfo', 'getCDRs'],
          tls_verify: true,
          // a misbehaving server echoing a secret must not reach the form
          password: 'hunter2',
        },
      });
      await settle();

      const result = byTestId('tc-result');
      expect(result.getAttribute('data-ok')).toBe('true');
      expect(result.textContent).toContain('Bağlantı başarılı');
      expect(result.textContent).not.toContain('Connected to Sippy 2023'); // on success the translated headline and facts say it all
      expect(result.textContent).toContain('18 ms');
      expect(result.textContent).toContain('getCDRs');
      expect(input('tc-password').value).toBe('');
      expect(element.innerHTML).not.toContain('hunter2');
      // the untouched, empty password does not shout "required" (or turn red) right after a test
      expect(text()).not.toContain('Parola gerekli.');
      expect(element.querySelectorAll('mat-form-field.mat-form-field-invalid')).toHaveLength(0);
      expect(changes).toBe(0); // a test changes nothing
    });

    it('shows a failed test with its translated cause', async () => {
      await fillValid();
      element.querySelector<HTMLElement>('[data-testid="tc-tls-verify"] button')?.click();
      await settle();
      await click('tc-submit');
      const call = backend.expectOne(`${SETTINGS}/test`);
      expect(call.request.body).toMatchObject({ tls_verify: false });
      call.flush({
        ok: false,
        message: 'Digest authentication failed (401)',
        details: { endpoint: 'https://sippy.example.com/xmlapi/xmlapi', latency_ms: 30, methods: null, cause: 'auth', tls_verify: false },
      });
      await settle();
      const result = byTestId('tc-result');
      expect(result.getAttribute('data-ok')).toBe('false');
      expect(result.textContent).toContain('Bağlantı başarısız');
      expect(result.textContent).toContain('Digest authentication failed (401)');
      expect(byTestId('tc-cause').textContent).toContain('Kimlik doğrulama başarısız');
    });

    it('shows an API error (400 with field messages) and still clears the password', async () => {
      await fillValid();
      await click('tc-submit');
      backend.expectOne(`${SETTINGS}/test`).flush(
        {
          statusCode: 400,
          error: 'Bad Request',
          message: ['url host 169.254.169.254 is a link-local or cloud-metadata address: refused'],
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle();
      const error = byTestId('tc-error');
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.textContent).toContain('İstek geçersiz.');
      expect(error.textContent).toContain('cloud-metadata address');
      expect(input('tc-password').value).toBe('');
    });

    it('requires the password again for the next test', async () => {
      await fillValid();
      await click('tc-submit');
      backend
        .expectOne(`${SETTINGS}/test`)
        .flush({ ok: true, message: 'ok', details: { endpoint: 'x', latency_ms: 1, methods: null, tls_verify: true } });
      await settle();
      await click('tc-submit');
      backend.expectNone(`${SETTINGS}/test`);
      expect(text()).toContain('Parola gerekli.');
    });

    it('sends the CA certificate and the CDR type it was given, and refuses text that is no certificate', async () => {
      await fillValid();
      type('tc-ca', 'not a certificate');
      await click('tc-submit');
      backend.expectNone(`${SETTINGS}/test`);
      expect(text()).toContain('Bir PEM sertifikası yapıştırın');

      type('tc-ca', PEM);
      type('tc-password', 'hunter2');
      byTestId('tc-cdr-type').click();
      await settle();
      Array.from(document.querySelectorAll<HTMLElement>('mat-option'))
        .find((option) => option.textContent.includes('Yalnızca tamamlanan'))
        ?.click();
      await settle();
      await click('tc-submit');
      const call = backend.expectOne(`${SETTINGS}/test`);
      expect(call.request.body).toMatchObject({ ca_pem: PEM, cdr_type: 'complete' });
      call.flush({ ok: true, message: 'ok', details: { endpoint: 'x', latency_ms: 1, methods: null, tls_verify: true } });
    });

    it('saves: the API tests and saves, the form shows what is now in force and tells the page', async () => {
      await fillValid();
      await click('tc-save');
      const call = backend.expectOne(SETTINGS);
      expect(call.request.method).toBe('PUT');
      expect(call.request.body).toMatchObject({ url: 'https://sippy.example.com/xmlapi/xmlapi', username: 'ops', password: 'hunter2' });
      expect(input('tc-password').value).toBe('');
      expect(text()).toContain('Test ediliyor ve kaydediliyor…');
      call.flush({
        settings: savedSippyView('https://sippy.example.com/xmlapi/xmlapi', 'ops'),
        test: {
          ok: true,
          message: 'Connected',
          details: { endpoint: 'https://sippy.example.com/xmlapi/xmlapi', latency_ms: 12, methods: null, tls_verify: true },
        },
      });
      await settle();
      expect(byTestId('tc-result').getAttribute('data-kind')).toBe('saved');
      expect(byTestId('tc-result').textContent).toContain('Kaydedildi ve kullanımda');
      expect(byTestId('settings-password').textContent).toContain('ayarlı (…x9)');
      expect(byTestId('settings-url').textContent).toContain('Burada kaydedildi');
      expect(byTestId('settings-saved-meta').textContent).toContain('admin@example.com');
      expect(changes).toBe(1);
      expect(element.querySelector('[data-testid="tc-clear"]')).not.toBeNull();
      // the password just saved is kept for the same URL and user: the next save needs none
      expect(byTestId('tc-password-kept').textContent).toContain('…x9');
    });

    it('shows a refused save (422): the failed test and that nothing was saved', async () => {
      await fillValid();
      await click('tc-save');
      backend.expectOne(SETTINGS).flush(
        {
          statusCode: 422,
          message: 'The connection test failed, the SippySoft settings were not saved',
          test: {
            ok: false,
            message: 'SippySoft rejected the credentials (HTTP 401)',
            details: { endpoint: 'https://sippy.example.com/xmlapi/xmlapi', latency_ms: null, cause: 'auth', tls_verify: true },
          },
        },
        { status: 422, statusText: 'Unprocessable Entity' },
      );
      await settle();
      const result = byTestId('tc-result');
      expect(result.getAttribute('data-kind')).toBe('rejected');
      expect(result.getAttribute('role')).toBe('alert');
      expect(result.textContent).toContain('Kaydedilmedi: bağlantı testi başarısız');
      expect(result.textContent).toContain('SippySoft rejected the credentials (HTTP 401)');
      expect(byTestId('tc-cause').textContent).toContain('Kimlik doğrulama başarısız');
      expect(byTestId('settings-password').textContent).toContain('ayarlı değil');
      expect(changes).toBe(0);
    });
  });

  describe('with saved settings', () => {
    beforeEach(async () => {
      await start(savedSippyView());
    });

    it('fills the form with them and keeps the saved password for the same URL and user', async () => {
      expect(input('tc-url').value).toBe('https://sw.example.net/xmlapi/xmlapi');
      expect(input('tc-username').value).toBe('ops');
      expect(input('tc-password').value).toBe('');
      expect(byTestId('tc-password-kept').textContent).toContain('…x9');
      await click('tc-save');
      const call = backend.expectOne(SETTINGS);
      expect(call.request.body).toEqual({
        url: 'https://sw.example.net/xmlapi/xmlapi',
        username: 'ops',
        tls_verify: true,
        ca_pem: null,
        cdr_type: 'complete',
      });
      expect(Object.keys(call.request.body as object)).not.toContain('password');
      call.flush({ settings: savedSippyView(), test: { ok: true, message: 'ok', details: { endpoint: 'x', latency_ms: 3 } } });
      await settle();
    });

    it('asks for the password again when the URL changes (a saved password never goes to another switch)', async () => {
      type('tc-url', 'https://other.example.net/xmlapi/xmlapi');
      await settle();
      expect(element.querySelector('[data-testid="tc-password-kept"]')).toBeNull();
      await click('tc-submit');
      backend.expectNone(`${SETTINGS}/test`);
      expect(text()).toContain('Parola gerekli.');
    });

    it('forgets them after a confirmation', async () => {
      await click('tc-clear');
      expect(byTestId('confirm-message', document).textContent).toContain('Ortam değişkenleri ve varsayılanlar');
      await click('confirm-ok', document);
      const call = backend.expectOne(SETTINGS);
      expect(call.request.method).toBe('DELETE');
      call.flush(defaultSippyView());
      await settle();
      expect(byTestId('tc-cleared').textContent).toContain('Kayıtlı ayarlar silindi');
      expect(input('tc-url').value).toBe('');
      expect(changes).toBe(1);
    });

    it('sends nothing when forgetting is cancelled', async () => {
      await click('tc-clear');
      await click('confirm-cancel', document);
      backend.expectNone(SETTINGS);
    });
  });

  it('set by environment variables: read-only note, no save, sources named, testing still possible', async () => {
    await start(envSippyView());
    expect(byTestId('settings-read-only').textContent).toContain('SIPPY_RPC_URL');
    expect(byTestId('settings-url').textContent).toContain('Ortam değişkeni');
    expect(byTestId('settings-url').textContent).toContain('SIPPY_RPC_URL');
    expect(byTestId('settings-password').textContent).toContain('ayarlı (…z7)');
    expect(element.querySelector('[data-testid="tc-save"]')).toBeNull();
    expect(element.querySelector('[data-testid="tc-clear"]')).toBeNull();
    expect(input('tc-url').value).toBe('https://env.example.net/xmlapi/xmlapi');
    type('tc-password', 'typed-for-a-test');
    await click('tc-submit');
    backend.expectOne(`${SETTINGS}/test`).flush({ ok: true, message: 'ok', details: { endpoint: 'x', latency_ms: 1 } });
    await settle();
  });

  it('still tests when the settings cannot be read, and says so', async () => {
    fixture = TestBed.createComponent(TestConnectionFormComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    backend.expectOne(SETTINGS).flush({ statusCode: 500, message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await settle();
    expect(byTestId('settings-load-error').textContent).toContain('Geçerli ayarlar okunamadı.');
    await fillValid();
    await click('tc-submit');
    backend.expectOne(`${SETTINGS}/test`).flush({ ok: true, message: 'ok', details: { endpoint: 'x', latency_ms: 1 } });
    await settle();
  });
});

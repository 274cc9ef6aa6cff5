import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { TestConnectionFormComponent, httpUrlValidator } from './test-connection-form.component';

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

describe('TestConnectionFormComponent', () => {
  let fixture: ComponentFixture<TestConnectionFormComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const input = (testId: string): HTMLInputElement => {
    const found = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!found) throw new Error(`no ${testId}`);
    return found;
  };
  const type = (testId: string, value: string): void => {
    const field = input(testId);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const submit = async (): Promise<void> => {
    element.querySelector<HTMLButtonElement>('[data-testid="tc-submit"]')?.click();
    await fixture.whenStable();
  };
  const text = (): string => element.textContent?.replace(/\s+/g, ' ') ?? '';

  async function fillValid(): Promise<void> {
    type('tc-url', 'https://sippy.example.com/xmlapi/xmlapi');
    type('tc-username', 'ops');
    type('tc-password', 'hunter2');
    await fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [TestConnectionFormComponent],
      providers: [provideTestHttp(), provideTestTransloco('tr'), provideTestIcons()],
    });
    fixture = TestBed.createComponent(TestConnectionFormComponent);
    element = fixture.nativeElement as HTMLElement;
    backend = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
  });

  afterEach(() => { backend.verify(); });

  it('shows validation messages and sends nothing when the form is invalid', async () => {
    type('tc-url', 'sippy.example.com');
    await submit();
    expect(text()).toContain('http:// veya https:// ile başlayan geçerli bir adres girin.');
    expect(text()).toContain('Kullanıcı adı gerekli.');
    expect(text()).toContain('Parola gerekli.');
    backend.expectNone('/api/sippy/test-connection');
  });

  it('posts the credentials with TLS verification on, clears the password and shows success', async () => {
    await fillValid();
    await submit();

    const call = backend.expectOne('/api/sippy/test-connection');
    expect(call.request.body).toEqual({
      api_url: 'https://sippy.example.com/xmlapi/xmlapi',
      username: 'ops',
      password: 'hunter2',
      tls_verify: true,
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
        cdr_sample_count: 5,
        // a misbehaving server echoing a secret must not reach the form
        password: 'hunter2',
      },
    });
    await fixture.whenStable();

    const result = element.querySelector('[data-testid="tc-result"]');
    expect(result?.getAttribute('data-ok')).toBe('true');
    expect(result?.textContent).toContain('Bağlantı başarılı');
    expect(result?.textContent).not.toContain('Connected to Sippy 2023'); // on success the translated headline and facts say it all
    expect(result?.textContent).toContain('18 ms');
    expect(result?.textContent).toContain('getCDRs');
    expect(input('tc-password').value).toBe('');
    expect(element.innerHTML).not.toContain('hunter2');
    // the untouched, empty password does not shout "required" (or turn red) right after a test
    expect(text()).not.toContain('Parola gerekli.');
    expect(element.querySelectorAll('mat-form-field.mat-form-field-invalid')).toHaveLength(0);
  });

  it('shows a failed test with its translated cause', async () => {
    await fillValid();
    element.querySelector<HTMLElement>('[data-testid="tc-tls-verify"] button')?.click();
    await fixture.whenStable();
    await submit();
    const call = backend.expectOne('/api/sippy/test-connection');
    expect(call.request.body).toMatchObject({ tls_verify: false });
    call.flush({
      ok: false,
      message: 'Digest authentication failed (401)',
      details: { endpoint: 'https://sippy.example.com/xmlapi/xmlapi', latency_ms: 30, methods: null, cause: 'auth', tls_verify: false },
    });
    await fixture.whenStable();
    const result = element.querySelector('[data-testid="tc-result"]');
    expect(result?.getAttribute('data-ok')).toBe('false');
    expect(result?.textContent).toContain('Bağlantı başarısız');
    expect(result?.textContent).toContain('Digest authentication failed (401)');
    expect(element.querySelector('[data-testid="tc-cause"]')?.textContent).toContain('Kimlik doğrulama başarısız');
  });

  it('shows an API error (400 with field messages) and still clears the password', async () => {
    await fillValid();
    await submit();
    backend
      .expectOne('/api/sippy/test-connection')
      .flush(
        { statusCode: 400, error: 'Bad Request', message: ['api_url must be a URL address'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    const error = element.querySelector('[data-testid="tc-error"]');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(error?.textContent).toContain('İstek geçersiz.');
    expect(error?.textContent).toContain('api_url must be a URL address');
    expect(input('tc-password').value).toBe('');
  });

  it('requires the password again for the next test', async () => {
    await fillValid();
    await submit();
    backend.expectOne('/api/sippy/test-connection').flush({
      ok: true,
      message: 'ok',
      details: { endpoint: 'x', latency_ms: 1, methods: null, tls_verify: true },
    });
    await fixture.whenStable();
    await submit();
    backend.expectNone('/api/sippy/test-connection');
    expect(text()).toContain('Parola gerekli.');
  });
});

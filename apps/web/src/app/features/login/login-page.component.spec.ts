import { HttpTestingController } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { makeSession, makeUser } from '../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import type { SsoConfig } from '../../core/auth/auth.models';
import { AuthService } from '../../core/auth/auth.service';
import { LoginPageComponent } from './login-page.component';

@Component({ template: '' })
class StubPage {}

describe('LoginPageComponent', () => {
  let fixture: ComponentFixture<LoginPageComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let router: Router;

  async function render(returnUrl?: string, lang: 'tr' | 'en' = 'tr', options: { sso?: SsoConfig | 'error'; ssoError?: string } = {}): Promise<void> {
    TestBed.configureTestingModule({
      imports: [LoginPageComponent],
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco(lang),
        provideTestIcons(),
        provideRouter([{ path: '**', component: StubPage }], withComponentInputBinding()),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPageComponent);
    if (returnUrl !== undefined) fixture.componentRef.setInput('returnUrl', returnUrl);
    if (options.ssoError !== undefined) fixture.componentRef.setInput('sso_error', options.ssoError);
    element = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    const config = backend.expectOne('/api/auth/oidc/config');
    if (options.sso === 'error') config.flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    else config.flush(options.sso ?? { enabled: false, display_name: null });
    await fixture.whenStable();
  }

  const type = (testId: string, value: string): void => {
    const field = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
    if (!field) throw new Error(`no ${testId}`);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const submit = async (): Promise<void> => {
    element.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')?.click();
    await fixture.whenStable();
  };
  const text = (): string => element.textContent.replace(/\s+/g, ' ');
  const errorBox = (): HTMLElement | null => element.querySelector('[data-testid="login-error"]');

  async function signInWith(email: string, password: string): Promise<ReturnType<HttpTestingController['expectOne']>> {
    type('login-email', email);
    type('login-password', password);
    await submit();
    return backend.expectOne('/api/auth/login');
  }

  afterEach(() => { backend.verify(); });

  it('validates before sending anything', async () => {
    await render();
    await submit();
    expect(text()).toContain('E-posta gerekli.');
    expect(text()).toContain('Şifre gerekli.');
    type('login-email', 'not-an-email');
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="login-email-error"]')?.textContent).toContain('Geçerli bir e-posta adresi girin.');
    backend.expectNone('/api/auth/login');
  });

  it('signs in and goes to the returnUrl', async () => {
    await render('/integrations?x=1');
    const call = await signInWith('  ayse@example.com ', 'correct horse battery');
    expect(call.request.body).toEqual({ email: 'ayse@example.com', password: 'correct horse battery' });
    call.flush(makeSession(makeUser({ email: 'ayse@example.com', role: 'admin' })));
    await fixture.whenStable();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/integrations?x=1');
    expect(TestBed.inject(AuthService).user()?.role).toBe('admin');
    expect(errorBox()).toBeNull();
  });

  it('never follows a returnUrl to another site', async () => {
    await render('//evil.example/phish');
    (await signInWith('a@example.com', 'pw')).flush(makeSession(makeUser()));
    await fixture.whenStable();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/');
  });

  it('says "wrong email or password" on 401, clears the password and stays', async () => {
    await render();
    (await signInWith('a@example.com', 'wrong')).flush({ message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(errorBox()?.getAttribute('data-kind')).toBe('invalid');
    expect(errorBox()?.textContent).toContain('E-posta veya şifre hatalı.');
    expect(element.querySelector<HTMLInputElement>('[data-testid="login-password"]')?.value).toBe('');
    expect(router.navigateByUrl).not.toHaveBeenCalled();
    expect(TestBed.inject(AuthService).user()).toBeNull();
  });

  it('shows the wait of a 429 (Retry-After) in English', async () => {
    await render(undefined, 'en');
    (await signInWith('a@example.com', 'x')).flush(
      { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
      { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '42' } },
    );
    await fixture.whenStable();
    expect(errorBox()?.getAttribute('data-kind')).toBe('throttled');
    expect(errorBox()?.textContent).toContain('Too many sign-in attempts. Try again in 42 seconds.');
  });

  it('says the server is unreachable when there is no response', async () => {
    await render();
    (await signInWith('a@example.com', 'x')).error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(errorBox()?.getAttribute('data-kind')).toBe('unreachable');
    expect(errorBox()?.textContent).toContain('Sunucuya ulaşılamıyor');
  });

  it("shows the server's field messages on a 400", async () => {
    await render();
    (await signInWith('a@b', 'x')).flush(
      { statusCode: 400, message: ['email must be an email address'] },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(errorBox()?.textContent).toContain('İstek geçersiz.');
    expect(errorBox()?.textContent).toContain('email must be an email address');
  });

  describe('single sign-on', () => {
    const ssoLink = (): HTMLAnchorElement | null => element.querySelector<HTMLAnchorElement>('[data-testid="sso-login"]');
    const ssoErrorBox = (): HTMLElement | null => element.querySelector('[data-testid="sso-error"]');

    it('shows no SSO button when the API says SSO is off, or cannot say', async () => {
      await render();
      expect(ssoLink()).toBeNull();
      TestBed.resetTestingModule();
      await render(undefined, 'tr', { sso: 'error' });
      expect(ssoLink()).toBeNull();
      expect(element.querySelector('[data-testid="login-form"]')).not.toBeNull();
    });

    it('offers "<name> ile giriş yap", a link to the API that keeps the returnUrl', async () => {
      await render('/integrations?tab=issabel', 'tr', { sso: { enabled: true, display_name: 'Keycloak' } });
      expect(ssoLink()?.textContent.trim()).toBe('Keycloak ile giriş yap');
      // a plain link: the browser itself navigates to the API, which redirects to the identity provider
      expect(ssoLink()?.getAttribute('href')).toBe('/api/auth/oidc/login?return_to=%2Fintegrations%3Ftab%3Dissabel');
      backend.expectNone('/api/auth/oidc/login');
    });

    it('says "Sign in with <name>" in English and drops an off-site returnUrl', async () => {
      await render('//evil.example/x', 'en', { sso: { enabled: true, display_name: 'Azure AD' } });
      expect(ssoLink()?.textContent.trim()).toBe('Sign in with Azure AD');
      expect(ssoLink()?.getAttribute('href')).toBe('/api/auth/oidc/login');
    });

    it('explains a failed SSO sign-in (?sso_error=) in Turkish and English', async () => {
      await render(undefined, 'tr', { sso: { enabled: true, display_name: 'Keycloak' }, ssoError: 'not_allowed' });
      expect(ssoErrorBox()?.getAttribute('data-code')).toBe('not_allowed');
      expect(ssoErrorBox()?.textContent).toContain('Bir yöneticiden Velora hesabınızı açmasını isteyin.');
      TestBed.resetTestingModule();
      await render(undefined, 'en', { ssoError: 'issuer_unreachable' });
      expect(ssoErrorBox()?.textContent).toContain('Cannot reach the identity provider.');
    });

    it('shows a generic message for an unknown code, never the code text itself', async () => {
      await render(undefined, 'en', { ssoError: '<script>x</script>' });
      expect(ssoErrorBox()?.textContent).toContain('Single sign-on failed. Try again, or sign in with your password.');
      expect(ssoErrorBox()?.textContent).not.toContain('script');
    });

    it('replaces the SSO message with the result of a password sign-in', async () => {
      await render(undefined, 'tr', { ssoError: 'disabled' });
      expect(ssoErrorBox()).not.toBeNull();
      (await signInWith('a@example.com', 'wrong')).flush({ message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
      await fixture.whenStable();
      expect(ssoErrorBox()).toBeNull();
      expect(errorBox()?.getAttribute('data-kind')).toBe('invalid');
    });
  });
});

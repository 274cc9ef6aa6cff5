import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { MATERIAL_ANIMATIONS, provideNativeDateAdapter } from '@angular/material/core';
import { makeSession, makeUser } from '../../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import type { User } from '../../auth/auth.models';
import { AuthService } from '../../auth/auth.service';
import { LanguageService } from '../../i18n/language.service';
import { ThemeService } from '../../theme/theme.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [provideRouter([]), provideTestTransloco('tr'), provideTestIcons(), provideNativeDateAdapter()],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(ShellComponent);
    TestBed.inject(LanguageService).restore();
    TestBed.inject(ThemeService).restore();
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows the sections, with the upcoming ones disabled', async () => {
    const { element } = await render();
    const links = Array.from(element.querySelectorAll('a[mat-list-item]')).map((a) => [
      a.getAttribute('href'),
      a.textContent?.trim(),
    ]);
    expect(links).toEqual([
      ['/voip-crm', 'VoIP CRM'],
      ['/reports', 'Raporlar'],
      ['/integrations', 'Entegrasyonlar'],
      ['/tts', 'Metinden Sese'],
    ]);
    const upcoming = Array.from(element.querySelectorAll('mat-list-item.upcoming'));
    expect(upcoming.map((i) => i.getAttribute('aria-disabled'))).toEqual(['true']);
    expect(upcoming[0]?.textContent).toContain('Yakında');
  });

  it('switches to English from the toolbar and updates <html lang>', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="lang-en"] button')?.click();
    await fixture.whenStable();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('velora.lang')).toBe('en');
    expect(element.querySelector('a[href="/integrations"]')?.textContent?.trim()).toBe('Integrations');
  });

  it('toggles the dark theme and remembers it', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="theme-toggle"]')?.click();
    await fixture.whenStable();
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(localStorage.getItem('velora.theme')).toBe('dark');
  });
});

describe('ShellComponent with a signed-in user', () => {
  let backend: HttpTestingController;

  async function renderAs(user: User) {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [
        provideRouter([{ path: '**', component: ShellComponent }]),
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        provideNativeDateAdapter(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login(user.email, 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(user));
    const fixture = TestBed.createComponent(ShellComponent);
    TestBed.inject(LanguageService).restore();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('shows the administration section to admins only', async () => {
    const { element } = await renderAs(makeUser({ role: 'admin' }));
    expect(element.querySelector('[data-testid="nav-admin"]')?.textContent).toBe('Yönetim');
    expect(element.querySelector('a[href="/admin/users"]')?.textContent?.trim()).toBe('Kullanıcılar');
    expect(element.querySelector('a[href="/admin/audit"]')?.textContent?.trim()).toBe('Denetim kaydı');
    TestBed.resetTestingModule();
    const agent = await renderAs(makeUser({ role: 'agent' }));
    expect(agent.element.querySelector('[data-testid="nav-admin"]')).toBeNull();
    expect(agent.element.querySelector('a[href="/admin/users"]')).toBeNull();
    expect(agent.element.querySelector('a[href="/admin/audit"]')).toBeNull();
  });

  it('has a user menu with the name, email and role, and signs out through the API', async () => {
    const { fixture, element } = await renderAs(makeUser({ email: 'ayse@example.com', display_name: 'Ayşe Yılmaz', role: 'agent' }));
    expect(element.querySelector('[data-testid="user-menu"]')?.textContent).toContain('Ayşe Yılmaz');
    element.querySelector<HTMLButtonElement>('[data-testid="user-menu"]')?.click();
    await fixture.whenStable();
    expect(document.querySelector('[data-testid="user-email"]')?.textContent).toBe('ayse@example.com');
    expect(document.querySelector('[data-testid="user-role"]')?.textContent).toBe('Temsilci');

    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    document.querySelector<HTMLButtonElement>('[data-testid="menu-sign-out"]')?.click();
    const logout = backend.expectOne('/api/auth/logout');
    expect(logout.request.method).toBe('POST');
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(TestBed.inject(AuthService).user()).toBeNull();
    expect(navigate).toHaveBeenCalledWith('/login');
  });

  it('forces the change-password dialog when the account must change its password', async () => {
    const { fixture, element } = await renderAs(makeUser({ must_change_password: true }));
    // no page (and so no data request the API would refuse) behind the dialog
    expect(element.querySelector('router-outlet')).toBeNull();
    expect(element.querySelector('[data-testid="password-change-pending"]')).not.toBeNull();
    for (let i = 0; i < 20 && !document.querySelector('[data-testid="change-password-forced"]'); i++) {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    }
    expect(document.querySelector('[data-testid="change-password-forced"]')?.textContent).toContain('şifrenizi değiştirmeniz gerekiyor');
    // Escape does not close it
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await fixture.whenStable();
    expect(document.querySelector('[data-testid="change-password-form"]')).not.toBeNull();
  });
});

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
import { EVENT_SOURCE_FACTORY } from '../../events/live-events.service';
import { FakeEventSources } from '../../../../testing/fake-event-source';
import type { NotificationItem, NotificationPage, UnreadCount } from '@velora/contracts';

const notification = (id: number, overrides: Partial<NotificationItem> = {}): NotificationItem =>
  ({
    id,
    at: new Date().toISOString(),
    type: 'finding',
    level: 'crit',
    data: { id: `f${String(id)}`, rule: 'wangiri', level: 'crit', subject: '+44 20 7946 0000', reason_en: '12 one-ring calls', reason_tr: '12 tek çalan arama' },
    read: false,
    ...overrides,
  }) as NotificationItem;

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

  it('shows the sections (Uyarılar is a real page now)', async () => {
    const { element } = await render();
    const links = Array.from(element.querySelectorAll('a[mat-list-item]')).map((a) => [
      a.getAttribute('href'),
      a.textContent.trim(),
    ]);
    expect(links).toEqual([
      ['/voip-crm', 'VoIP CRM'],
      ['/reports', 'Raporlar'],
      ['/alerts', 'Uyarılar'],
      ['/integrations', 'Entegrasyonlar'],
      ['/tts', 'Metinden Sese'],
    ]);
    expect(element.querySelectorAll('mat-list-item.upcoming')).toHaveLength(0);
  });

  it('switches to English from the toolbar and updates <html lang>', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="lang-en"] button')?.click();
    await fixture.whenStable();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('velora.lang')).toBe('en');
    expect(element.querySelector('a[href="/integrations"]')?.textContent.trim()).toBe('Integrations');
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
  let sources: FakeEventSources;

  /** Answers the bell's first load (the newest notifications and the unread count). */
  function flushBell(page: NotificationPage = { items: [], next_cursor: null }, count: UnreadCount = { unread: 0, capped: false }): void {
    backend.expectOne((r) => r.url === '/api/notifications' && r.params.get('limit') === '10').flush(page);
    backend.expectOne('/api/notifications/unread-count').flush(count);
  }

  async function renderAs(user: User, bell: { page?: NotificationPage; count?: UnreadCount } = {}) {
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
        { provide: EVENT_SOURCE_FACTORY, useValue: sources.factory },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login(user.email, 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(user));
    const fixture = TestBed.createComponent(ShellComponent);
    TestBed.inject(LanguageService).restore();
    await fixture.whenStable();
    if (!user.must_change_password) flushBell(bell.page, bell.count);
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  beforeEach(() => {
    sources = new FakeEventSources();
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('shows the administration section to admins only', async () => {
    const { element } = await renderAs(makeUser({ role: 'admin' }));
    expect(element.querySelector('[data-testid="nav-admin"]')?.textContent).toBe('Yönetim');
    expect(element.querySelector('a[href="/admin/users"]')?.textContent.trim()).toBe('Kullanıcılar');
    expect(element.querySelector('a[href="/admin/audit"]')?.textContent.trim()).toBe('Denetim kaydı');
    TestBed.resetTestingModule();
    sources = new FakeEventSources();
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

  it('shows the unread count on the bell, lists the newest notifications and marks them read', async () => {
    const items = [notification(12), notification(11, { type: 'integration', level: 'crit', data: { integration: 'sippy', up: false, cause: 'timeout', message: 'the switch did not answer' } }), notification(10, { read: true })];
    const { fixture, element } = await renderAs(makeUser({ role: 'agent' }), { page: { items, next_cursor: null }, count: { unread: 2, capped: false } });
    expect(element.querySelector('[data-testid="notification-badge"]')?.textContent).toBe('2');
    expect(element.querySelector('[data-testid="notification-bell"]')?.getAttribute('aria-label')).toBe('Bildirimler: 2 okunmamış');

    element.querySelector<HTMLButtonElement>('[data-testid="notification-bell"]')?.click();
    await fixture.whenStable();
    const rows = Array.from(document.querySelectorAll('[data-testid="bell-item"]'));
    const text = (row: Element, part: string): string | undefined => row.querySelector(`.bell-item-${part}`)?.textContent.trim();
    expect(rows.map((r) => [text(r, 'title'), text(r, 'detail')])).toEqual([
      ['wangiri bulgusu: +44 20 7946 0000', '12 tek çalan arama'],
      ['SippySoft erişilemiyor', 'the switch did not answer'],
      ['wangiri bulgusu: +44 20 7946 0000', '12 tek çalan arama'],
    ]);
    expect(rows.map((r) => r.classList.contains('unread'))).toEqual([true, true, false]);

    (rows[0] as HTMLButtonElement).click();
    const read = backend.expectOne('/api/notifications/read');
    expect(read.request.body).toEqual({ ids: [12] });
    read.flush({ ids: [12] });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="notification-badge"]')?.textContent).toBe('1');

    element.querySelector<HTMLButtonElement>('[data-testid="notification-bell"]')?.click();
    await fixture.whenStable();
    document.querySelector<HTMLButtonElement>('[data-testid="bell-mark-all-read"]')?.click();
    backend.expectOne('/api/notifications/read-all').flush({ up_to: 12 });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="notification-badge"]')).toBeNull();
  });

  it('takes pushed notifications from the live stream: badge, list and a toast for a critical one', async () => {
    const { fixture, element } = await renderAs(makeUser({ role: 'agent' }));
    expect(sources.opened).toHaveLength(1);
    expect(sources.last.url).toBe('/api/events');
    expect(element.querySelector('[data-testid="notification-badge"]')).toBeNull();

    const pushed = notification(21);
    const { read: _read, ...event } = pushed;
    sources.last.emit('finding', event, 21);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="notification-badge"]')?.textContent).toBe('1');
    expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('wangiri bulgusu: +44 20 7946 0000 — 12 tek çalan arama');

    // the user read it in another tab: the bell follows (and asks the server for the true count)
    sources.last.emit('notifications_read', { id: 22, at: event.at, type: 'notifications_read', level: 'info', data: { ids: [21], up_to: null } }, 22);
    backend.expectOne('/api/notifications/unread-count').flush({ unread: 0, capped: false });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="notification-badge"]')).toBeNull();

    // new CDRs are not notifications
    sources.last.emit('cdrs', { id: 23, at: event.at, type: 'cdrs', level: 'info', data: { count: 3, newest_ids: ['1'], newest_start_time: null } }, 23);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="notification-badge"]')).toBeNull();
  });
});

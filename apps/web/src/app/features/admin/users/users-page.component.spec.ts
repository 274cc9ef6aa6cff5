import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS, provideNativeDateAdapter } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { makeSession, makeUser } from '../../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import type { User } from '../../../core/auth/auth.models';
import { AuthService } from '../../../core/auth/auth.service';
import { issuerHost } from '../../../core/auth/auth.models';
import { UsersPageComponent } from './users-page.component';

describe('UsersPageComponent', () => {
  let fixture: ComponentFixture<UsersPageComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;

  const me = makeUser({ email: 'admin@example.com', role: 'admin', display_name: 'Admin' });
  const agent = makeUser({ email: 'agent@example.com', role: 'agent', last_login_at: '2026-11-24T10:00:00.000Z' });
  // signed up through SSO: linked, no password
  const other = makeUser({ email: 'boss@example.com', role: 'admin', sso: { issuer: 'https://login.example.com/realms/velora' }, password_login: false });

  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const byTestId = <T extends HTMLElement>(testId: string, type: new () => T, root: ParentNode = document): T => {
    const found = root.querySelector(`[data-testid="${testId}"]`);
    if (!(found instanceof type)) throw new Error(`no ${type.name} ${testId}`);
    return found;
  };
  const row = (email: string): HTMLElement => byTestId('users-table', HTMLElement, element).querySelector<HTMLElement>(`tr[data-email="${email}"]`) ?? (() => { throw new Error(`no row ${email}`); })();
  const type = (testId: string, value: string): void => {
    const field = byTestId(testId, HTMLInputElement, element);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const emails = (): string[] =>
    Array.from(element.querySelectorAll('tr[data-testid="user-row"]')).map((tr) => tr.getAttribute('data-email') ?? '');

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [UsersPageComponent],
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        provideNativeDateAdapter(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const auth = TestBed.inject(AuthService);
    auth.login('admin@example.com', 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(me));

    fixture = TestBed.createComponent(UsersPageComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    backend.expectOne('/api/users').flush([other, agent, me]);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('lists the users by email with role, status and last sign-in; no actions on your own row', () => {
    expect(emails()).toEqual(['admin@example.com', 'agent@example.com', 'boss@example.com']);
    expect(row('admin@example.com').textContent).toContain('siz');
    expect(row('admin@example.com').querySelector('[data-testid="user-actions"]')).toBeNull();
    expect(row('agent@example.com').querySelector('[data-testid="user-role"]')?.textContent).toContain('Temsilci');
    expect(row('boss@example.com').querySelector('[data-testid="user-role"]')?.textContent).toContain('Yönetici');
    expect(row('agent@example.com').querySelector('[data-testid="user-status"]')?.textContent).toContain('Etkin');
    expect(row('agent@example.com').textContent).toMatch(/24\.11\.2026/);
  });

  it('creates a user after validating the form', async () => {
    byTestId('users-new', HTMLButtonElement, element).click();
    await settle();
    byTestId('uc-submit', HTMLButtonElement, element).click();
    await settle();
    expect(element.textContent).toContain('E-posta gerekli.');
    type('uc-email', 'new@example.com');
    type('uc-name', ' Yeni Kişi ');
    type('uc-password', 'short');
    byTestId('uc-submit', HTMLButtonElement, element).click();
    await settle();
    expect(byTestId('uc-password-short', HTMLElement, element).textContent).toContain('en az 12 karakter');
    backend.expectNone('/api/users');

    type('uc-password', 'a-long-initial-pass');
    byTestId('uc-submit', HTMLButtonElement, element).click();
    await settle();
    const call = backend.expectOne({ method: 'POST', url: '/api/users' });
    expect(call.request.body).toEqual({
      email: 'new@example.com',
      password: 'a-long-initial-pass',
      role: 'agent',
      display_name: 'Yeni Kişi',
      must_change_password: true,
    });
    call.flush(makeUser({ email: 'new@example.com', display_name: 'Yeni Kişi', must_change_password: true }), {
      status: 201,
      statusText: 'Created',
    });
    await settle();
    expect(emails()).toEqual(['admin@example.com', 'agent@example.com', 'boss@example.com', 'new@example.com']);
    expect(element.querySelector('[data-testid="user-create-form"]')).toBeNull();
  });

  it('shows "email taken" on 409 and keeps the form', async () => {
    byTestId('users-new', HTMLButtonElement, element).click();
    await settle();
    type('uc-email', 'agent@example.com');
    type('uc-password', 'a-long-initial-pass');
    byTestId('uc-submit', HTMLButtonElement, element).click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: '/api/users' })
      .flush({ statusCode: 409, message: 'A user with this email exists' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(byTestId('uc-error', HTMLElement, element).textContent).toContain('Bu e-posta adresiyle bir kullanıcı zaten var.');
    expect(byTestId('uc-password', HTMLInputElement, element).value).toBe('');
  });

  async function chooseRole(email: string, label: string): Promise<void> {
    const select = row(email).querySelector<HTMLElement>('[data-testid="user-role"]');
    select?.click();
    await settle();
    const option = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((o) => o.textContent.includes(label));
    if (!option) throw new Error(`no option ${label}`);
    option.click();
    await settle();
  }

  it('changes a role with PATCH and shows the stored role', async () => {
    await chooseRole('agent@example.com', 'Yönetici');
    const call = backend.expectOne(`/api/users/${agent.id}`);
    expect(call.request.method).toBe('PATCH');
    expect(call.request.body).toEqual({ role: 'admin' });
    call.flush({ ...agent, role: 'admin' } satisfies User);
    await settle();
    expect(row('agent@example.com').querySelector('[data-testid="user-role"]')?.textContent).toContain('Yönetici');
  });

  it("shows the API's refusal of a role change and puts the old role back", async () => {
    await chooseRole('boss@example.com', 'Temsilci');
    backend
      .expectOne(`/api/users/${other.id}`)
      .flush({ statusCode: 409, message: 'Would leave no active admin' }, { status: 409, statusText: 'Conflict' });
    await settle();
    const banner = byTestId('users-action-error', HTMLElement, element);
    expect(banner.textContent).toContain('Sunucu bu değişikliği reddetti.');
    expect(banner.textContent).toContain('Would leave no active admin');
    expect(row('boss@example.com').querySelector('[data-testid="user-role"]')?.textContent).toContain('Yönetici');
  });

  async function openActions(email: string, action: string): Promise<void> {
    row(email).querySelector<HTMLButtonElement>('[data-testid="user-actions"]')?.click();
    await settle();
    byTestId(action, HTMLButtonElement).click();
    await settle();
  }

  it('deletes a user after confirmation', async () => {
    await openActions('agent@example.com', 'user-delete');
    expect(byTestId('confirm-message', HTMLElement).textContent).toContain('agent@example.com');
    byTestId('confirm-ok', HTMLButtonElement).click();
    await settle();
    const call = backend.expectOne(`/api/users/${agent.id}`);
    expect(call.request.method).toBe('DELETE');
    call.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(emails()).toEqual(['admin@example.com', 'boss@example.com']);
  });

  it('sends nothing when the deletion is cancelled', async () => {
    await openActions('agent@example.com', 'user-delete');
    byTestId('confirm-cancel', HTMLButtonElement).click();
    await settle();
    backend.expectNone(`/api/users/${agent.id}`);
    expect(emails()).toContain('agent@example.com');
  });

  it("shows the API's message when it refuses to delete the last admin", async () => {
    await openActions('boss@example.com', 'user-delete');
    byTestId('confirm-ok', HTMLButtonElement).click();
    await settle();
    backend
      .expectOne(`/api/users/${other.id}`)
      .flush({ statusCode: 409, message: 'This is the last active admin: make another user admin first' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(byTestId('users-action-error', HTMLElement, element).textContent).toContain('This is the last active admin: make another user admin first');
    expect(emails()).toContain('boss@example.com');
  });

  it('disables a user', async () => {
    await openActions('agent@example.com', 'user-toggle-disabled');
    const call = backend.expectOne(`/api/users/${agent.id}`);
    expect(call.request.body).toEqual({ disabled: true });
    call.flush({ ...agent, disabled: true });
    await settle();
    expect(row('agent@example.com').querySelector('[data-testid="user-status"]')?.textContent).toContain('Devre dışı');
  });

  it('resets a password through the dialog', async () => {
    await openActions('agent@example.com', 'user-reset-password');
    const set = (testId: string, value: string): void => {
      const field = byTestId(testId, HTMLInputElement);
      field.value = value;
      field.dispatchEvent(new Event('input'));
    };
    set('rp-password', 'a-new-long-password');
    set('rp-confirm', 'a-new-long-password');
    byTestId('rp-submit', HTMLButtonElement).click();
    await settle();
    const call = backend.expectOne(`/api/users/${agent.id}`);
    expect(call.request.body).toEqual({ password: 'a-new-long-password' });
    call.flush({ ...agent, must_change_password: true });
    await settle();
  });

  describe('SSO', () => {
    it('shows an SSO chip (issuer host in the tooltip) and an "SSO only" hint; unlinked users have neither', async () => {
      const chip = row('boss@example.com').querySelector<HTMLElement>('[data-testid="user-sso"]');
      expect(chip?.textContent).toContain('SSO');
      expect(chip?.getAttribute('aria-label')).toBe('SSO ile bağlı: login.example.com');
      expect(row('boss@example.com').querySelector('[data-testid="user-sso-only"]')?.textContent).toContain('Yalnızca SSO');
      expect(row('agent@example.com').querySelector('[data-testid="user-sso"]')).toBeNull();
      expect(row('agent@example.com').querySelector('[data-testid="user-sso-only"]')).toBeNull();

      row('agent@example.com').querySelector<HTMLButtonElement>('[data-testid="user-actions"]')?.click();
      await settle();
      expect(document.querySelector('[data-testid="user-unlink-sso"]')).toBeNull();
    });

    it('unlinks SSO after confirmation and shows the updated user', async () => {
      await openActions('boss@example.com', 'user-unlink-sso');
      const message = byTestId('confirm-message', HTMLElement).textContent;
      expect(message).toContain('boss@example.com');
      expect(message).toContain('login.example.com');
      // no password: the dialog says they cannot sign in until SSO links them again or a password is set
      expect(message).toContain('şifre belirleyene kadar');
      byTestId('confirm-ok', HTMLButtonElement).click();
      await settle();
      const call = backend.expectOne(`/api/users/${other.id}/sso`);
      expect(call.request.method).toBe('DELETE');
      call.flush({ ...other, sso: null });
      await settle();
      expect(row('boss@example.com').querySelector('[data-testid="user-sso"]')).toBeNull();
      expect(row('boss@example.com').querySelector('[data-testid="user-sso-only"]')).not.toBeNull();
      expect(document.body.textContent).toContain('boss@example.com için SSO bağlantısı kaldırıldı.');
    });

    it('sends nothing when the unlink is cancelled', async () => {
      await openActions('boss@example.com', 'user-unlink-sso');
      byTestId('confirm-cancel', HTMLButtonElement).click();
      await settle();
      backend.expectNone(`/api/users/${other.id}/sso`);
      expect(row('boss@example.com').querySelector('[data-testid="user-sso"]')).not.toBeNull();
    });

    it("shows the API's refusal and keeps the chip", async () => {
      await openActions('boss@example.com', 'user-unlink-sso');
      byTestId('confirm-ok', HTMLButtonElement).click();
      await settle();
      backend
        .expectOne(`/api/users/${other.id}/sso`)
        .flush({ statusCode: 400, message: 'This user is not linked to an SSO identity' }, { status: 400, statusText: 'Bad Request' });
      await settle();
      expect(byTestId('users-action-error', HTMLElement, element).textContent).toContain('This user is not linked to an SSO identity');
      expect(row('boss@example.com').querySelector('[data-testid="user-sso"]')).not.toBeNull();
    });
  });
});

describe('issuerHost', () => {
  it('is the host of an issuer URL, or the issuer as stored', () => {
    expect(issuerHost('https://login.example.com/realms/velora')).toBe('login.example.com');
    expect(issuerHost('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(issuerHost('not a url')).toBe('not a url');
  });
});

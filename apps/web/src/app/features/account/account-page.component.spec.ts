import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { makeSession, makeToken, makeUser } from '../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import type { CreatedApiToken } from '../../core/auth/auth.models';
import { AuthService } from '../../core/auth/auth.service';
import { AccountPageComponent } from './account-page.component';

describe('AccountPageComponent', () => {
  let fixture: ComponentFixture<AccountPageComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  const copied: string[] = [];

  const me = makeUser({ email: 'ayse@example.com', role: 'agent', display_name: 'Ayşe' });
  const old = makeToken({ name: 'grafana', created_at: '2026-11-01T08:00:00.000Z', last_used_at: '2026-11-24T09:00:00.000Z' });
  const revoked = makeToken({ name: 'old-script', created_at: '2026-11-10T08:00:00.000Z', revoked_at: '2026-11-11T08:00:00.000Z' });
  const SECRET = 'vlr_s3cr3t-token-value-only-shown-once-AAAAAAAAAAAAA';

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
  const type = (testId: string, value: string): void => {
    const field = byTestId(testId, HTMLInputElement, element);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const names = (): string[] =>
    Array.from(element.querySelectorAll('tr[data-testid="token-row"]')).map((tr) => tr.getAttribute('data-name') ?? '');

  beforeEach(async () => {
    copied.length = 0;
    TestBed.configureTestingModule({
      imports: [AccountPageComponent],
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: Clipboard, useValue: { copy: (text: string) => (copied.push(text), true) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login(me.email, 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(me));
    fixture = TestBed.createComponent(AccountPageComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    backend.expectOne('/api/auth/tokens').flush([revoked, old]);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('shows the profile and the tokens, active first, revoked ones without a revoke button', () => {
    expect(byTestId('account-profile', HTMLElement, element).textContent).toContain('ayse@example.com');
    expect(byTestId('account-profile', HTMLElement, element).textContent).toContain('Temsilci');
    expect(names()).toEqual(['grafana', 'old-script']);
    const revokedRow = element.querySelector('tr[data-name="old-script"]');
    expect(revokedRow?.querySelector('[data-testid="token-revoke"]')).toBeNull();
    expect(revokedRow?.textContent).toContain('İptal edildi');
    expect(element.querySelector('tr[data-name="grafana"]')?.textContent).toContain('Süresiz');
  });

  it('says whether the account is linked to single sign-on, and offers the password change only with a password', async () => {
    expect(byTestId('account-sso', HTMLElement, element).textContent.trim()).toBe('Bağlı değil');
    expect(element.querySelector('[data-testid="account-change-password"]')).not.toBeNull();
    expect(element.querySelector('[data-testid="account-sso-only"]')).toBeNull();

    const ssoOnly = makeUser({ email: 'ayse@example.com', sso: { issuer: 'https://login.example.com/realms/velora' }, password_login: false });
    TestBed.inject(AuthService).login(ssoOnly.email, 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(ssoOnly));
    await settle();
    expect(byTestId('account-sso', HTMLElement, element).textContent.trim()).toBe('Bağlı (login.example.com)');
    expect(element.querySelector('[data-testid="account-change-password"]')).toBeNull();
    expect(byTestId('account-sso-only', HTMLElement, element).textContent).toContain('Velora parolası yok');
  });

  it('validates the name and the days before creating', async () => {
    type('token-name', '   ');
    type('token-days', '0');
    byTestId('token-create', HTMLButtonElement, element).click();
    await settle();
    expect(element.textContent).toContain('Bir ad girin');
    expect(byTestId('token-days-error', HTMLElement, element).textContent).toContain('1 ile 3650 arasında');
    backend.expectNone({ method: 'POST', url: '/api/auth/tokens' });
  });

  it('shows a new token once, with copy and a warning, and never again after hiding it', async () => {
    type('token-name', ' ci-export ');
    type('token-days', '30');
    byTestId('token-create', HTMLButtonElement, element).click();
    await settle();
    const call = backend.expectOne({ method: 'POST', url: '/api/auth/tokens' });
    expect(call.request.body).toEqual({ name: 'ci-export', expires_in_days: 30 });
    const created: CreatedApiToken = { ...makeToken({ name: 'ci-export', created_at: '2026-11-25T08:00:00.000Z', expires_at: '2026-12-25T08:00:00.000Z' }), token: SECRET };
    call.flush(created, { status: 201, statusText: 'Created' });
    await settle();

    const box = byTestId('token-created', HTMLElement, element);
    expect(byTestId('token-value', HTMLElement, element).textContent).toBe(SECRET);
    expect(box.textContent).toContain('yalnızca şimdi gösteriliyor');
    expect(names()).toEqual(['ci-export', 'grafana', 'old-script']);
    // the list row shows the prefix only
    expect(element.querySelector('tr[data-name="ci-export"]')?.textContent).not.toContain(SECRET);

    byTestId('token-copy', HTMLButtonElement, element).click();
    await settle();
    expect(copied).toEqual([SECRET]);
    expect(byTestId('token-copy', HTMLElement, element).textContent).toContain('Kopyalandı');

    byTestId('token-dismiss', HTMLButtonElement, element).click();
    await settle();
    expect(element.querySelector('[data-testid="token-created"]')).toBeNull();
    expect(element.textContent).not.toContain(SECRET);
  });

  it('sends no expiry when the days are empty', async () => {
    type('token-name', 'forever');
    byTestId('token-create', HTMLButtonElement, element).click();
    await settle();
    const call = backend.expectOne({ method: 'POST', url: '/api/auth/tokens' });
    expect(call.request.body).toEqual({ name: 'forever' });
    call.flush({ ...makeToken({ name: 'forever' }), token: SECRET });
    await settle();
  });

  it('revokes a token after confirmation', async () => {
    element.querySelector<HTMLButtonElement>('tr[data-name="grafana"] [data-testid="token-revoke"]')?.click();
    await settle();
    byTestId('confirm-ok', HTMLButtonElement).click();
    await settle();
    const call = backend.expectOne(`/api/auth/tokens/${old.id}`);
    expect(call.request.method).toBe('DELETE');
    call.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    const row = element.querySelector('tr[data-name="grafana"]');
    expect(row?.querySelector('[data-testid="token-revoke"]')).toBeNull();
    expect(row?.textContent).toContain('İptal edildi');
  });
});

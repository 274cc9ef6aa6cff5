import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { makeSession, makeUser } from '../../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { provideRouter } from '@angular/router';
import { AuthService } from '../auth.service';
import { ChangePasswordDialogComponent } from './change-password-dialog.component';

describe('ChangePasswordDialogComponent', () => {
  let fixture: ComponentFixture<ChangePasswordDialogComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let closed: unknown[];

  async function render(forced: boolean): Promise<void> {
    closed = [];
    TestBed.configureTestingModule({
      imports: [ChangePasswordDialogComponent],
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        provideRouter([]),
        { provide: MAT_DIALOG_DATA, useValue: { forced } },
        { provide: MatDialogRef, useValue: { close: (value: unknown) => closed.push(value) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login('a@example.com', 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(makeUser({ must_change_password: forced })));
    fixture = TestBed.createComponent(ChangePasswordDialogComponent);
    element = fixture.nativeElement as HTMLElement;
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
    element.querySelector<HTMLButtonElement>('[data-testid="cp-submit"]')?.click();
    await fixture.whenStable();
  };

  afterEach(() => { backend.verify(); });

  it('checks length, confirmation and that the password changes before sending', async () => {
    await render(false);
    type('cp-current', 'old-password-123');
    type('cp-next', 'short');
    type('cp-confirm', 'other');
    await submit();
    expect(element.querySelector('[data-testid="cp-next-short"]')?.textContent).toContain('en az 12 karakter');
    expect(element.querySelector('[data-testid="cp-mismatch"]')?.textContent).toContain('Şifreler eşleşmiyor.');
    type('cp-next', 'old-password-123');
    type('cp-confirm', 'old-password-123');
    await submit();
    expect(element.querySelector('[data-testid="cp-unchanged"]')).not.toBeNull();
    backend.expectNone('/api/auth/change-password');
  });

  it('sends the change, updates the user and closes', async () => {
    await render(true);
    expect(element.querySelector('[data-testid="change-password-forced"]')).not.toBeNull();
    type('cp-current', 'old-password-123');
    type('cp-next', 'a-brand-new-password');
    type('cp-confirm', 'a-brand-new-password');
    await submit();
    const call = backend.expectOne('/api/auth/change-password');
    expect(call.request.body).toEqual({ current_password: 'old-password-123', new_password: 'a-brand-new-password' });
    call.flush(makeSession(makeUser({ must_change_password: false })));
    await fixture.whenStable();
    expect(closed).toEqual(['changed']);
    expect(TestBed.inject(AuthService).mustChangePassword()).toBe(false);
  });

  it("shows the API's reason on 400 and clears the current password", async () => {
    await render(false);
    type('cp-current', 'wrong-current-pw');
    type('cp-next', 'a-brand-new-password');
    type('cp-confirm', 'a-brand-new-password');
    await submit();
    backend
      .expectOne('/api/auth/change-password')
      .flush({ statusCode: 400, message: 'current_password is wrong' }, { status: 400, statusText: 'Bad Request' });
    await fixture.whenStable();
    const error = element.querySelector('[data-testid="cp-error"]');
    expect(error?.textContent).toContain('Şifre değiştirilemedi.');
    expect(error?.textContent).toContain('current_password is wrong');
    expect(element.querySelector<HTMLInputElement>('[data-testid="cp-current"]')?.value).toBe('');
    expect(closed).toEqual([]);
  });

  it('a forced change can only be declined by signing out', async () => {
    await render(true);
    element.querySelector<HTMLButtonElement>('[data-testid="cp-cancel"]')?.click();
    expect(element.querySelector('[data-testid="cp-cancel"]')?.textContent).toContain('Çıkış');
    expect(closed).toEqual(['logout']);
  });
});

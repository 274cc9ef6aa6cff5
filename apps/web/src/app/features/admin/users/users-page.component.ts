import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { Observable, filter, finalize, switchMap } from 'rxjs';
import { UsersApiService } from '../../../core/api/users-api.service';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLES,
  ROLE_LABEL_KEYS,
  type Role,
  type UpdateUserRequest,
  type User,
  isRole,
  issuerHost,
} from '../../../core/auth/auth.models';
import { AuthService } from '../../../core/auth/auth.service';
import { ApiError, isApiError } from '../../../core/http/api-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { SetPasswordDialogComponent, type SetPasswordDialogData } from './set-password-dialog.component';

/** `/admin/users` (admins): list, create, change role, disable/enable, reset password, unlink SSO, delete. */
@Component({
  selector: 'vl-users-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    TranslocoPipe,
    LocalDateTimePipe,
  ],
  templateUrl: './users-page.component.html',
  styleUrl: './users-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersPageComponent implements OnInit {
  private readonly api = inject(UsersApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);
  protected readonly locale = inject(LanguageService).locale;
  protected readonly roles = ROLES;
  protected readonly roleKeys = ROLE_LABEL_KEYS;
  protected readonly minLength = PASSWORD_MIN_LENGTH;

  protected readonly users = signal<readonly User[]>([]);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<ApiError | null>(null);
  /** The last failed change (role, disable, reset, delete), with the API's reason. */
  protected readonly actionError = signal<ApiError | null>(null);
  /** Id of the user a change is being saved for. */
  protected readonly busyId = signal<string | null>(null);

  protected readonly creating = signal(false);
  protected readonly showCreate = signal(false);
  protected readonly createError = signal<ApiError | null>(null);
  protected readonly createForm = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(320)]],
    displayName: ['', [Validators.maxLength(100)]],
    role: ['agent' as Role, [Validators.required]],
    password: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)]],
    mustChangePassword: [true],
  });

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .list()
      .pipe(
        finalize(() => { this.loading.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (users) => { this.users.set(sortUsers(users)); },
        error: (error: unknown) => { this.loadError.set(asApiError(error)); },
      });
  }

  protected isSelf(user: User): boolean {
    return user.id === this.auth.user()?.id;
  }

  protected toggleCreate(): void {
    this.showCreate.update((shown) => !shown);
    this.createError.set(null);
  }

  protected create(): void {
    if (this.creating()) return;
    this.createForm.markAllAsTouched();
    if (this.createForm.invalid) return;
    const value = this.createForm.getRawValue();
    const displayName = value.displayName.trim();
    this.creating.set(true);
    this.createError.set(null);
    this.api
      .create({
        email: value.email.trim(),
        password: value.password,
        role: value.role,
        ...(displayName !== '' ? { display_name: displayName } : {}),
        must_change_password: value.mustChangePassword,
      })
      .pipe(
        finalize(() => { this.creating.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (user) => {
          this.users.update((users) => sortUsers([...users, user]));
          this.createForm.reset();
          this.showCreate.set(false);
          this.notify('users.created', { email: user.email });
        },
        error: (error: unknown) => {
          this.createForm.controls.password.reset('');
          this.createError.set(asApiError(error));
        },
      });
  }

  protected changeRole(user: User, change: MatSelectChange): void {
    const role: unknown = change.value;
    if (!isRole(role) || role === user.role) return;
    // refused: the select shows the stored role again
    this.save(user, { role }, 'users.roleChanged', () => (change.source.value = user.role));
  }

  protected toggleDisabled(user: User): void {
    this.save(user, { disabled: !user.disabled }, user.disabled ? 'users.enabled' : 'users.disabledDone');
  }

  protected resetPassword(user: User): void {
    this.dialog
      .open<SetPasswordDialogComponent, SetPasswordDialogData, string>(SetPasswordDialogComponent, {
        data: { email: user.email },
        width: '420px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(
        filter((password): password is string => typeof password === 'string' && password !== ''),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((password) => { this.save(user, { password }, 'users.passwordReset'); });
  }

  protected remove(user: User): void {
    this.confirm({
      titleKey: 'users.delete.title',
      messageKey: 'users.delete.text',
      params: { email: user.email },
      confirmKey: 'users.delete.confirm',
      destructive: true,
    })
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => this.track(user, this.api.delete(user.id))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.users.update((users) => users.filter((u) => u.id !== user.id));
          this.notify('users.deleted', { email: user.email });
        },
        error: (error: unknown) => { this.actionError.set(asApiError(error)); },
      });
  }

  /** The issuer's host for the SSO chip (`login.example.com`), or the issuer as stored if it is no URL. */
  protected ssoHost(user: User): string {
    return user.sso === null ? '' : issuerHost(user.sso.issuer);
  }

  protected unlinkSso(user: User): void {
    this.confirm({
      titleKey: 'users.sso.unlink.title',
      messageKey: user.password_login ? 'users.sso.unlink.text' : 'users.sso.unlink.textSsoOnly',
      params: { email: user.email, host: this.ssoHost(user) },
      confirmKey: 'users.sso.unlink.confirm',
      destructive: true,
    })
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => this.track(user, this.api.unlinkSso(user.id))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (updated) => {
          this.users.update((users) => users.map((u) => (u.id === updated.id ? updated : u)));
          this.notify('users.sso.unlinked', { email: updated.email });
        },
        error: (error: unknown) => { this.actionError.set(asApiError(error)); },
      });
  }

  private save(user: User, change: UpdateUserRequest, doneKey: string, onRefused?: () => void): void {
    this.track(user, this.api.update(user.id, change))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.users.update((users) => users.map((u) => (u.id === updated.id ? updated : u)));
          this.notify(doneKey, { email: updated.email });
        },
        error: (error: unknown) => {
          onRefused?.();
          this.actionError.set(asApiError(error));
        },
      });
  }

  private track<T>(user: User, request: Observable<T>): Observable<T> {
    this.busyId.set(user.id);
    this.actionError.set(null);
    return request.pipe(finalize(() => { this.busyId.set(null); }));
  }

  private confirm(data: ConfirmDialogData): Observable<boolean | undefined> {
    return this.dialog.open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, { data }).afterClosed();
  }

  private notify(key: string, params: Record<string, string>): void {
    this.snackBar.open(this.transloco.translate(key, params), undefined, { duration: 4000 });
  }
}

function sortUsers(users: readonly User[]): User[] {
  return [...users].sort((a, b) => a.email.localeCompare(b.email));
}

function asApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error));
}

import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { filter, finalize, switchMap } from 'rxjs';
import { ApiTokensApiService } from '../../core/api/api-tokens-api.service';
import { issuerHost, ROLE_LABEL_KEYS, type ApiToken, type CreatedApiToken } from '../../core/auth/auth.models';
import { AuthService } from '../../core/auth/auth.service';
import {
  ChangePasswordDialogComponent,
  type ChangePasswordDialogData,
  type ChangePasswordDialogResult,
} from '../../core/auth/change-password-dialog/change-password-dialog.component';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog.component';
import { LocalDateTimePipe } from '../../shared/pipes/local-date-time.pipe';

/** Same limits as the API's CreateTokenDto. */
export const TOKEN_NAME_MAX_LENGTH = 100;
export const TOKEN_MAX_DAYS = 3650;

/** `/account`: who you are, your password, and your API tokens for machine clients. */
@Component({
  selector: 'vl-account-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
    LocalDateTimePipe,
  ],
  templateUrl: './account-page.component.html',
  styleUrl: './account-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPageComponent implements OnInit {
  private readonly api = inject(ApiTokensApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly clipboard = inject(Clipboard);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);
  protected readonly locale = inject(LanguageService).locale;
  protected readonly issuerHost = issuerHost;
  protected readonly roleKey = computed(() => {
    const role = this.auth.role();
    return role === null ? null : ROLE_LABEL_KEYS[role];
  });

  protected readonly tokens = signal<readonly ApiToken[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly creating = signal(false);
  /** The token just created: shown once, until the user dismisses it or leaves the page. */
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly copied = signal(false);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(TOKEN_NAME_MAX_LENGTH), Validators.pattern(/\S/)]],
    // '' = never expires
    expiresInDays: ['', [Validators.pattern(/^\d*$/), Validators.min(1), Validators.max(TOKEN_MAX_DAYS)]],
  });
  protected readonly maxDays = TOKEN_MAX_DAYS;

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.api
      .list()
      .pipe(
        finalize(() => { this.loading.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (tokens) => { this.tokens.set(sortTokens(tokens)); },
        error: (error: unknown) => { this.error.set(asApiError(error)); },
      });
  }

  protected create(): void {
    if (this.creating()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { name, expiresInDays } = this.form.getRawValue();
    this.creating.set(true);
    this.error.set(null);
    this.created.set(null);
    this.copied.set(false);
    this.api
      .create(name.trim(), expiresInDays === '' ? null : Number(expiresInDays))
      .pipe(
        finalize(() => { this.creating.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (created) => {
          this.created.set(created);
          const { token: _secret, ...view } = created;
          this.tokens.update((tokens) => sortTokens([view, ...tokens]));
          this.form.reset();
        },
        error: (error: unknown) => { this.error.set(asApiError(error)); },
      });
  }

  protected copyToken(): void {
    const created = this.created();
    if (created !== null) {
      this.copied.set(this.clipboard.copy(created.token));
    }
  }

  /** Forget the shown token: it cannot be displayed again. */
  protected dismissToken(): void {
    this.created.set(null);
    this.copied.set(false);
  }

  protected revoke(token: ApiToken): void {
    this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
        data: {
          titleKey: 'account.tokens.revokeTitle',
          messageKey: 'account.tokens.revokeText',
          params: { name: token.name },
          confirmKey: 'account.tokens.revoke',
          destructive: true,
        },
      })
      .afterClosed()
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => this.api.revoke(token.id)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          if (this.created()?.id === token.id) this.dismissToken();
          const now = new Date().toISOString();
          this.tokens.update((tokens) => tokens.map((t) => (t.id === token.id ? { ...t, revoked_at: t.revoked_at ?? now } : t)));
          this.snackBar.open(this.transloco.translate('account.tokens.revoked', { name: token.name }), undefined, { duration: 4000 });
        },
        error: (error: unknown) => { this.error.set(asApiError(error)); },
      });
  }

  protected changePassword(): void {
    this.dialog
      .open<ChangePasswordDialogComponent, ChangePasswordDialogData, ChangePasswordDialogResult>(ChangePasswordDialogComponent, {
        data: { forced: false },
        width: '440px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((result) => {
        if (result === 'changed') {
          this.snackBar.open(this.transloco.translate('auth.changePassword.done'), undefined, { duration: 4000 });
        }
      });
  }

  protected isExpired(token: ApiToken): boolean {
    return token.expires_at !== null && Date.parse(token.expires_at) <= Date.now();
  }
}

/** Active tokens first, newest first. */
function sortTokens(tokens: readonly ApiToken[]): ApiToken[] {
  return [...tokens].sort(
    (a, b) => Number(a.revoked_at !== null) - Number(b.revoked_at !== null) || b.created_at.localeCompare(a.created_at),
  );
}

function asApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error));
}

import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { finalize } from 'rxjs';
import { safeReturnUrl } from '../../core/auth/auth.guards';
import { SSO_ERROR_CODES, type SsoErrorCode } from '../../core/auth/auth.models';
import { AuthService } from '../../core/auth/auth.service';
import { isApiError } from '../../core/http/api-error';
import { LanguageSwitchComponent } from '../../shared/language-switch/language-switch.component';

/** What went wrong with a sign-in, as the page explains it. */
export type LoginFailure =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'throttled'; readonly seconds: number | null }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'other'; readonly messageKey: string; readonly status: number; readonly details: readonly string[] };

/**
 * `/login`: email + password, then back to where the user was going (`?returnUrl=`). When the API has single
 * sign-on configured, a "Sign in with <IdP>" link starts it; a failed SSO sign-in comes back as `?sso_error=`.
 */
@Component({
  selector: 'vl-login-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    LanguageSwitchComponent,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
  ],
  templateUrl: './login-page.component.html',
  styleUrl: './login-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPageComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** `?returnUrl=` (component input binding). */
  readonly returnUrl = input<string | undefined>();
  /** `?sso_error=` (set by the API's SSO callback). */
  // eslint-disable-next-line @angular-eslint/no-input-rename -- router input binding: the alias is the API's query parameter
  readonly ssoError = input<string | undefined>(undefined, { alias: 'sso_error' });

  protected readonly sso = toSignal(this.auth.ssoConfig(), { initialValue: null });
  protected readonly ssoHref = computed(() => this.auth.ssoLoginUrl(safeReturnUrl(this.returnUrl())));
  /** Translation key of the SSO failure to show (unknown codes get a generic message). */
  protected readonly ssoErrorKey = computed(() => {
    const code = this.ssoError();
    if (code === undefined || code === '') return null;
    return `auth.login.sso.errors.${isSsoErrorCode(code) ? code : 'unknown'}`;
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(320)]],
    password: ['', [Validators.required]],
  });
  protected readonly submitting = signal(false);
  protected readonly failure = signal<LoginFailure | null>(null);
  protected readonly showPassword = signal(false);

  protected submit(): void {
    if (this.submitting()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { email, password } = this.form.getRawValue();
    this.submitting.set(true);
    this.failure.set(null);
    this.auth
      .login(email.trim(), password)
      .pipe(
        finalize(() => { this.submitting.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => void this.router.navigateByUrl(safeReturnUrl(this.returnUrl())),
        error: (error: unknown) => {
          this.form.controls.password.reset('');
          this.failure.set(toFailure(error));
        },
      });
  }

  protected togglePasswordVisibility(): void {
    this.showPassword.update((shown) => !shown);
  }

}

function isSsoErrorCode(value: string): value is SsoErrorCode {
  return (SSO_ERROR_CODES as readonly string[]).includes(value);
}

export function toFailure(error: unknown): LoginFailure {
  if (!isApiError(error)) {
    return { kind: 'other', messageKey: 'errors.unexpected', status: 0, details: [] };
  }
  if (error.status === 401) return { kind: 'invalid' };
  if (error.status === 429) return { kind: 'throttled', seconds: error.retryAfterSeconds };
  if (error.status === 0) return { kind: 'unreachable' };
  return { kind: 'other', messageKey: error.messageKey, status: error.status, details: error.details };
}

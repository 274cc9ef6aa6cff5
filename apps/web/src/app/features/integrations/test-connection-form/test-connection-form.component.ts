import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { Subscription } from 'rxjs';
import type { TestConnectionResult } from '../../../core/api/api.models';
import { IntegrationsApiService } from '../../../core/api/integrations-api.service';
import { ApiError, isApiError } from '../../../core/http/api-error';

/** Accepts absolute http:// or https:// URLs with a host. */
export function httpUrlValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = (control.value ?? '').trim();
  if (value === '') {
    return null; // `required` reports emptiness
  }
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') {
      return url.username || url.password ? { credentialsInUrl: true } : null;
    }
    return { httpUrl: true };
  } catch {
    return { httpUrl: true };
  }
}

/**
 * The password is emptied after every submit; it should not turn red because the form was
 * submitted before, only once the user touched it (or pressed submit with it empty).
 */
const touchedOnly: ErrorStateMatcher = {
  isErrorState: (control: AbstractControl | null) => !!control && control.invalid && control.touched,
};

type Outcome =
  | { readonly kind: 'result'; readonly result: TestConnectionResult }
  | { readonly kind: 'error'; readonly error: ApiError };

/**
 * "Test Connection" of the SippySoft card. The password goes out in the request body only: the
 * field is cleared as soon as the request is sent, and nothing from the response is ever written
 * back into the form.
 */
@Component({
  selector: 'vl-test-connection-form',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
  ],
  templateUrl: './test-connection-form.component.html',
  styleUrl: './test-connection-form.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TestConnectionFormComponent {
  private readonly api = inject(IntegrationsApiService);
  private pending: Subscription | null = null;

  protected readonly form = inject(FormBuilder).nonNullable.group({
    apiUrl: ['', [Validators.required, httpUrlValidator]],
    username: ['', [Validators.required, Validators.maxLength(256)]],
    password: ['', [Validators.required, Validators.maxLength(1024)]],
    tlsVerify: [true],
  });
  protected readonly testing = signal(false);
  protected readonly outcome = signal<Outcome | null>(null);
  protected readonly showPassword = signal(false);
  protected readonly passwordErrorState = touchedOnly;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
  }

  protected testConnection(): void {
    if (this.form.invalid || this.testing()) {
      this.form.markAllAsTouched();
      return;
    }
    const { apiUrl, username, password, tlsVerify } = this.form.getRawValue();
    // Clear the secret before anything else happens; keep the field valid-looking until edited again.
    this.form.controls.password.reset('');
    this.showPassword.set(false);
    this.testing.set(true);
    this.outcome.set(null);
    this.pending?.unsubscribe();
    this.pending = this.api
      .testSippyConnection({ api_url: apiUrl.trim(), username: username.trim(), password, tls_verify: tlsVerify })
      .subscribe({
        next: (result) => {
          this.outcome.set({ kind: 'result', result });
          this.testing.set(false);
        },
        error: (error: unknown) => {
          this.outcome.set({
            kind: 'error',
            error: isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)),
          });
          this.testing.set(false);
        },
      });
  }

  protected togglePasswordVisibility(): void {
    this.showPassword.update((shown) => !shown);
  }
}

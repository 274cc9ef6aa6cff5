import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, output, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { SIPPY_CDR_TYPE_NAMES, type SippyCdrTypeName, type SippySettingsInput, type SippySettingsView } from '@velora/contracts';
import { firstValueFrom } from 'rxjs';
import { IntegrationSettingsApiService } from '../../../core/api/integration-settings-api.service';
import { LanguageService } from '../../../core/i18n/language.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { IntegrationSettingsSession } from '../settings/integration-settings-session';
import { booleanRow, fieldRow, type InForceRow, secretRow, SettingsInForceComponent } from '../settings/settings-in-force.component';
import { SettingsOutcomeComponent } from '../settings/settings-outcome.component';

/** Accepts absolute http:// or https:// URLs with a host. */
export function httpUrlValidator(control: AbstractControl<string | null>): ValidationErrors | null {
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

/** Empty, or text holding a PEM certificate block (the API parses it for real). */
export function pemCertificateValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  if (value === '') return null;
  return /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(value) ? null : { pem: true };
}

/**
 * The password is emptied after every request; it should not turn red because the form was
 * submitted before, only once the user touched it (or pressed a button with it empty).
 */
const touchedOnly: ErrorStateMatcher = {
  isErrorState: (control: AbstractControl | null) => !!control && control.invalid && control.touched,
};

/**
 * The SippySoft connection of the Integrations page: what is in force (and where it comes from), "Test Connection"
 * and "Test and save" (the API tests again before it saves, then the sync moves to the switch without a restart).
 * The password goes out in the request body only: the field is cleared as soon as a request is sent, nothing of a
 * response is written back into it, and a saved password is only reused for the URL and user it was saved with.
 */
@Component({
  selector: 'vl-test-connection-form',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
    SettingsInForceComponent,
    SettingsOutcomeComponent,
  ],
  templateUrl: './test-connection-form.component.html',
  styleUrl: './test-connection-form.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TestConnectionFormComponent {
  private readonly dialog = inject(MatDialog);
  /** After a save or a clear: the page refreshes the health cards. */
  readonly changed = output();

  protected readonly session = new IntegrationSettingsSession(inject(IntegrationSettingsApiService), 'sippy', inject(DestroyRef), () => {
    this.changed.emit();
  });
  protected readonly locale = inject(LanguageService).locale;
  protected readonly cdrTypes = SIPPY_CDR_TYPE_NAMES;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    apiUrl: ['', [Validators.required, httpUrlValidator]],
    username: ['', [Validators.required, Validators.maxLength(256)]],
    password: ['', [Validators.maxLength(1024)]], // + passwordRequired (constructor)
    tlsVerify: [true],
    caPem: ['', [Validators.maxLength(65_536), pemCertificateValidator]],
    cdrType: ['all' as SippyCdrTypeName, [Validators.required]],
  });
  /** The saved password applies: same URL and user as saved (the API enforces the same rule). */
  protected readonly keepsSavedPassword = signal(false);
  protected readonly showPassword = signal(false);
  protected readonly passwordErrorState = touchedOnly;
  protected readonly readOnly = computed(() => this.session.view()?.read_only ?? false);
  protected readonly busy = this.session.busy;
  protected readonly rows = computed<InForceRow[]>(() => {
    const view = this.session.view();
    if (view === null) return [];
    const ca = view.ca_certificate;
    return [
      fieldRow('testConnection.apiUrl', view.url, 'settings-url'),
      fieldRow('testConnection.username', view.username, 'settings-username'),
      secretRow('testConnection.password', view.password, 'settings-password'),
      booleanRow('testConnection.tlsVerify', view.tls_verify, 'settings-tls-verify'),
      {
        labelKey: 'settings.fields.caCertificate',
        value: ca.subject ?? ca.file,
        source: ca.source,
        env: ca.env,
        testId: 'settings-ca',
      },
      {
        labelKey: 'settings.fields.cdrType',
        value: null,
        valueKey: `settings.cdrTypes.${view.cdr_type.value}`,
        source: view.cdr_type.source,
        env: view.cdr_type.env,
        testId: 'settings-cdr-type',
      },
    ];
  });

  constructor() {
    // required, unless the saved password applies (same URL and user)
    this.form.controls.password.addValidators((control: AbstractControl<string>) => this.passwordRequired(control));
    this.form.controls.password.updateValueAndValidity();
    this.session.load();
    // fill the form with what is in force, unless the admin already started editing
    effect(() => {
      const view = this.session.view();
      if (view === null) return;
      if (this.form.pristine) this.fill(view);
      else this.form.controls.password.updateValueAndValidity(); // whether the saved one applies may have changed
    });
    // the URL and the user decide whether the saved password applies
    for (const control of [this.form.controls.apiUrl, this.form.controls.username]) {
      control.valueChanges.subscribe(() => {
        this.form.controls.password.updateValueAndValidity();
      });
    }
  }

  protected testConnection(): void {
    const input = this.validInput();
    if (input !== null) this.session.test(input);
  }

  protected saveSettings(): void {
    const input = this.validInput();
    if (input !== null) this.session.save(input);
  }

  protected async clearSettings(): Promise<void> {
    const confirmed: unknown = await firstValueFrom(
      this.dialog
        .open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
          data: { titleKey: 'settings.clearTitle', messageKey: 'settings.clearMessage', confirmKey: 'settings.clear', destructive: true },
        })
        .afterClosed(),
    );
    if (confirmed === true) {
      this.form.markAsPristine(); // let the defaults fill the form
      this.session.clear();
    }
  }

  protected togglePasswordVisibility(): void {
    this.showPassword.update((shown) => !shown);
  }

  /** The request body, or null (and the errors shown) when the form is not ready to send. */
  private validInput(): SippySettingsInput | null {
    const password = this.form.controls.password;
    password.updateValueAndValidity();
    if (this.form.invalid || this.busy() !== null) {
      this.form.markAllAsTouched();
      return null;
    }
    const { apiUrl, username, tlsVerify, caPem, cdrType } = this.form.getRawValue();
    const secret = password.value;
    // Clear the secret before anything else happens; keep the field valid-looking until edited again.
    password.reset('');
    this.showPassword.set(false);
    return {
      url: apiUrl.trim(),
      username: username.trim(),
      ...(secret === '' ? {} : { password: secret }),
      tls_verify: tlsVerify,
      ca_pem: caPem.trim() === '' ? null : caPem.trim(),
      cdr_type: cdrType,
    };
  }

  private passwordRequired(control: AbstractControl<string>): ValidationErrors | null {
    const applies = this.savedPasswordApplies();
    if (this.keepsSavedPassword() !== applies) this.keepsSavedPassword.set(applies);
    return control.value === '' && !applies ? { required: true } : null;
  }

  private savedPasswordApplies(): boolean {
    const view = this.session.view();
    const { apiUrl, username } = this.form.getRawValue();
    return (
      view !== null &&
      view.password.set &&
      view.password.source === 'saved' &&
      view.url.value === apiUrl.trim() &&
      view.username.value === username.trim()
    );
  }

  private fill(view: SippySettingsView): void {
    this.form.reset(
      {
        apiUrl: view.url.value ?? '',
        username: view.username.value ?? '',
        password: '',
        tlsVerify: view.tls_verify.value,
        caPem: view.ca_certificate.pem ?? '',
        cdrType: view.cdr_type.value,
      },
      { emitEvent: true },
    );
    this.form.controls.password.updateValueAndValidity();
  }
}

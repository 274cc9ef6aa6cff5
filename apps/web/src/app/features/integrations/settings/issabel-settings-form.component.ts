import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, output, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import type { IssabelSettingsInput, IssabelSettingsView } from '@velora/contracts';
import { firstValueFrom } from 'rxjs';
import { IntegrationSettingsApiService } from '../../../core/api/integration-settings-api.service';
import { LanguageService } from '../../../core/i18n/language.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { IntegrationSettingsSession } from './integration-settings-session';
import { booleanRow, fieldRow, type InForceRow, secretRow, SettingsInForceComponent } from './settings-in-force.component';
import { SettingsOutcomeComponent } from './settings-outcome.component';

/** Host names and IP addresses (the API checks the same characters). */
const HOST = /^[A-Za-z0-9.:[\]_-]+$/;

/**
 * Issabel's AMI connection (host, port, user, secret, TLS): what is in force, a test (Login, Ping, version) and
 * "Test and save". The secret leaves in the request body only and is cleared as soon as a request is sent; the saved
 * one is reused only for the host and user it was saved with.
 */
@Component({
  selector: 'vl-issabel-settings-form',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
    SettingsInForceComponent,
    SettingsOutcomeComponent,
  ],
  templateUrl: './issabel-settings-form.component.html',
  styleUrl: './settings-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssabelSettingsFormComponent {
  private readonly dialog = inject(MatDialog);
  readonly changed = output();

  protected readonly session = new IntegrationSettingsSession(inject(IntegrationSettingsApiService), 'issabel', inject(DestroyRef), () => {
    this.changed.emit();
  });
  protected readonly locale = inject(LanguageService).locale;
  protected readonly keepsSavedSecret = signal(false);
  protected readonly showSecret = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    host: ['', [Validators.required, Validators.maxLength(253), Validators.pattern(HOST)]],
    port: [5038, [Validators.required, Validators.min(1), Validators.max(65535), Validators.pattern(/^\d+$/)]],
    username: ['', [Validators.required, Validators.maxLength(256)]],
    secret: ['', [Validators.maxLength(1024)]],
    tls: [false],
    tlsVerify: [true],
  });
  protected readonly readOnly = computed(() => this.session.view()?.read_only ?? false);
  protected readonly busy = this.session.busy;
  protected readonly rows = computed<InForceRow[]>(() => {
    const view = this.session.view();
    if (view === null) return [];
    return [
      fieldRow('settings.fields.host', view.host, 'settings-host'),
      fieldRow('settings.fields.port', view.port, 'settings-port'),
      fieldRow('testConnection.username', view.username, 'settings-username'),
      secretRow('settings.fields.secret', view.secret, 'settings-secret'),
      booleanRow('settings.fields.tls', view.tls, 'settings-tls'),
      booleanRow('testConnection.tlsVerify', view.tls_verify, 'settings-tls-verify'),
    ];
  });

  constructor() {
    this.form.controls.secret.addValidators((control: AbstractControl<string>) => this.secretRequired(control));
    this.form.controls.secret.updateValueAndValidity();
    this.session.load();
    effect(() => {
      const view = this.session.view();
      if (view === null) return;
      if (this.form.pristine) this.fill(view);
      else this.form.controls.secret.updateValueAndValidity(); // whether the saved one applies may have changed
    });
    for (const control of [this.form.controls.host, this.form.controls.username]) {
      control.valueChanges.subscribe(() => {
        this.form.controls.secret.updateValueAndValidity();
      });
    }
  }

  protected test(): void {
    const input = this.validInput();
    if (input !== null) this.session.test(input);
  }

  protected save(): void {
    const input = this.validInput();
    if (input !== null) this.session.save(input);
  }

  protected async clear(): Promise<void> {
    const confirmed: unknown = await firstValueFrom(
      this.dialog
        .open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
          data: { titleKey: 'settings.clearTitle', messageKey: 'settings.clearMessage', confirmKey: 'settings.clear', destructive: true },
        })
        .afterClosed(),
    );
    if (confirmed === true) {
      this.form.markAsPristine();
      this.session.clear();
    }
  }

  protected toggleSecretVisibility(): void {
    this.showSecret.update((shown) => !shown);
  }

  private validInput(): IssabelSettingsInput | null {
    const secret = this.form.controls.secret;
    secret.updateValueAndValidity();
    if (this.form.invalid || this.busy() !== null) {
      this.form.markAllAsTouched();
      return null;
    }
    const { host, port, username, tls, tlsVerify } = this.form.getRawValue();
    const value = secret.value;
    secret.reset('');
    this.showSecret.set(false);
    return {
      host: host.trim(),
      port,
      username: username.trim(),
      ...(value === '' ? {} : { secret: value }),
      tls,
      tls_verify: tlsVerify,
    };
  }

  private secretRequired(control: AbstractControl<string>): ValidationErrors | null {
    const view = this.session.view();
    const { host, username } = this.form.getRawValue();
    const applies =
      view !== null &&
      view.secret.set &&
      view.secret.source === 'saved' &&
      view.host.value === host.trim() &&
      view.username.value === username.trim();
    if (this.keepsSavedSecret() !== applies) this.keepsSavedSecret.set(applies);
    return control.value === '' && !applies ? { required: true } : null;
  }

  private fill(view: IssabelSettingsView): void {
    this.form.reset({
      host: view.host.value ?? '',
      port: view.port.value,
      username: view.username.value ?? '',
      secret: '',
      tls: view.tls.value,
      tlsVerify: view.tls_verify.value,
    });
    this.form.controls.secret.updateValueAndValidity();
  }
}

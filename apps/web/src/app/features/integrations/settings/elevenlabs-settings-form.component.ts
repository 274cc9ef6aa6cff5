import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, output, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ElevenLabsSettingsInput } from '@velora/contracts';
import { firstValueFrom } from 'rxjs';
import { IntegrationSettingsApiService } from '../../../core/api/integration-settings-api.service';
import { LanguageService } from '../../../core/i18n/language.service';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { IntegrationSettingsSession } from './integration-settings-session';
import { fieldRow, type InForceRow, secretRow, SettingsInForceComponent } from './settings-in-force.component';
import { SettingsOutcomeComponent } from './settings-outcome.component';

/**
 * The ElevenLabs API key: what is in force (and the base URL, which only ELEVENLABS_BASE_URL sets), a test of a key
 * and "Test and save". The key leaves in the request body only and is cleared as soon as a request is sent.
 */
@Component({
  selector: 'vl-elevenlabs-settings-form',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    TranslocoPipe,
    SettingsInForceComponent,
    SettingsOutcomeComponent,
  ],
  template: `
    <section class="settings" data-testid="elevenlabs-settings">
      <h3 class="title">{{ 'settings.title' | transloco }}</h3>
      @if (session.view(); as view) {
        <vl-settings-in-force [view]="view" [rows]="rows()" lockEnv="ELEVENLABS_API_KEY" [locale]="locale()" />
      } @else if (session.loadError(); as loadError) {
        <p class="load-error" role="alert">
          {{ 'settings.loadFailed' | transloco }} {{ loadError.messageKey | transloco: { status: loadError.status } }}
        </p>
      }
      <form class="form" [formGroup]="form" (ngSubmit)="test()" novalidate>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'settings.fields.apiKey' | transloco }}</mat-label>
          <input
            matInput
            formControlName="apiKey"
            [type]="showKey() ? 'text' : 'password'"
            autocomplete="off"
            spellcheck="false"
            data-testid="el-api-key"
          />
          <button
            mat-icon-button
            matSuffix
            type="button"
            (click)="toggleKeyVisibility()"
            [attr.aria-label]="(showKey() ? 'testConnection.hidePassword' : 'testConnection.showPassword') | transloco"
            [attr.aria-pressed]="showKey()"
          >
            <mat-icon [svgIcon]="showKey() ? 'visibility_off' : 'visibility'" />
          </button>
          @if (form.controls.apiKey.hasError('required') && form.controls.apiKey.touched) {
            <mat-error>{{ 'settings.errors.apiKeyRequired' | transloco }}</mat-error>
          } @else if (form.controls.apiKey.hasError('pattern')) {
            <mat-error>{{ 'settings.errors.apiKeyInvalid' | transloco }}</mat-error>
          }
        </mat-form-field>
        <div class="actions">
          <button mat-stroked-button type="submit" [disabled]="busy() !== null" data-testid="el-test">
            {{ (busy() === 'testing' ? 'testConnection.testing' : 'testConnection.submit') | transloco }}
          </button>
          @if (!readOnly()) {
            <button mat-flat-button type="button" (click)="save()" [disabled]="busy() !== null" data-testid="el-save">
              {{ (busy() === 'saving' ? 'settings.saving' : 'settings.save') | transloco }}
            </button>
            @if (session.view()?.saved) {
              <button mat-button type="button" (click)="clear()" [disabled]="busy() !== null" data-testid="el-clear">
                {{ 'settings.clear' | transloco }}
              </button>
            }
          }
        </div>
        <div class="progress-slot">
          @if (busy() !== null) {
            <mat-progress-bar mode="indeterminate" />
          }
        </div>
        <vl-settings-outcome [outcome]="session.outcome()" integration="elevenlabs" prefix="el" />
      </form>
    </section>
  `,
  styleUrl: './settings-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ElevenLabsSettingsFormComponent {
  private readonly dialog = inject(MatDialog);
  readonly changed = output();

  protected readonly session = new IntegrationSettingsSession(
    inject(IntegrationSettingsApiService),
    'elevenlabs',
    inject(DestroyRef),
    () => {
      this.changed.emit();
    },
  );
  protected readonly locale = inject(LanguageService).locale;
  protected readonly showKey = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    apiKey: ['', [Validators.required, Validators.maxLength(256), Validators.pattern(/^[\x21-\x7E]+$/)]],
  });
  protected readonly readOnly = computed(() => this.session.view()?.read_only ?? false);
  protected readonly busy = this.session.busy;
  protected readonly rows = computed<InForceRow[]>(() => {
    const view = this.session.view();
    if (view === null) return [];
    return [
      secretRow('settings.fields.apiKey', view.api_key, 'settings-api-key'),
      fieldRow('settings.fields.baseUrl', view.base_url, 'settings-base-url'),
    ];
  });

  constructor() {
    this.session.load();
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
    if (confirmed === true) this.session.clear();
  }

  protected toggleKeyVisibility(): void {
    this.showKey.update((shown) => !shown);
  }

  private validInput(): ElevenLabsSettingsInput | null {
    if (this.form.invalid || this.busy() !== null) {
      this.form.markAllAsTouched();
      return null;
    }
    const apiKey = this.form.controls.apiKey.value.trim();
    this.form.controls.apiKey.reset('');
    this.showKey.set(false);
    return { api_key: apiKey };
  }
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { IntegrationSettingsMeta, SecretFieldView, SettingFieldView, SettingSource } from '@velora/contracts';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';

/** One line of "in force": a setting, its value as shown, and where it comes from. */
export interface InForceRow {
  readonly labelKey: string;
  /** Shown as it is; null shows "—". Ignored when `valueKey` is set. */
  readonly value: string | null;
  /** A translation key for the value instead (yes/no, a CDR type, a secret's state). */
  readonly valueKey?: string;
  readonly valueParams?: Readonly<Record<string, string>>;
  readonly source: SettingSource;
  readonly env: string;
  readonly testId: string;
}

/** A plain setting as a row. */
export function fieldRow(labelKey: string, field: SettingFieldView<string | number | null>, testId: string): InForceRow {
  return { labelKey, value: field.value === null ? null : String(field.value), source: field.source, env: field.env, testId };
}

/** A yes/no setting as a row. */
export function booleanRow(labelKey: string, field: SettingFieldView<boolean>, testId: string): InForceRow {
  return { labelKey, value: null, valueKey: field.value ? 'common.yes' : 'common.no', source: field.source, env: field.env, testId };
}

/** A secret as a row: "set (…x9)" / "not set", never more. */
export function secretRow(labelKey: string, secret: SecretFieldView, testId: string): InForceRow {
  const valueKey = !secret.set ? 'settings.secretNotSet' : secret.last2 === null ? 'settings.secretSetNoHint' : 'settings.secretSet';
  return { labelKey, value: null, valueKey, valueParams: { last2: secret.last2 ?? '' }, source: secret.source, env: secret.env, testId };
}

/**
 * What an integration uses right now and where each value comes from (environment variable, saved here, default),
 * who saved it last, and why it cannot be changed here when the environment sets it.
 */
@Component({
  selector: 'vl-settings-in-force',
  imports: [MatIconModule, TranslocoPipe, LocalDateTimePipe],
  template: `
    <section class="in-force" [attr.data-testid]="testId()">
      <h4 class="title">{{ 'settings.inForce' | transloco }}</h4>
      @if (view().read_only) {
        <p class="note" data-testid="settings-read-only">
          <mat-icon svgIcon="lock" aria-hidden="true" />
          <span>{{ 'settings.readOnly' | transloco: { env: lockEnv() } }}</span>
        </p>
      }
      @if (view().saved_error; as savedError) {
        <p class="error" role="alert" data-testid="settings-saved-error">
          {{ 'settings.savedError' | transloco }} <span class="message">{{ savedError }}</span>
        </p>
      }
      <dl class="facts">
        <dt>{{ 'integrations.mode' | transloco }}</dt>
        <dd data-testid="settings-mode">{{ 'integrations.modes.' + view().mode | transloco }}</dd>
        @for (row of rows(); track row.testId) {
          <dt>{{ row.labelKey | transloco }}</dt>
          <dd [attr.data-testid]="row.testId">
            <span class="value" [class.mono]="!row.valueKey">
              @if (row.valueKey) {
                {{ row.valueKey | transloco: row.valueParams }}
              } @else {
                {{ row.value ?? '—' }}
              }
            </span>
            <span class="source" [attr.data-source]="row.source" [attr.title]="row.env">
              {{ 'settings.source.' + row.source | transloco }}
              @if (row.source === 'env') {
                <code>{{ row.env }}</code>
              }
            </span>
          </dd>
        }
      </dl>
      @if (view().saved; as saved) {
        <p class="meta" data-testid="settings-saved-meta">
          {{
            'settings.savedBy'
              | transloco: { by: saved.updated_by ?? '—', at: (saved.updated_at | localDateTime: locale()), version: saved.version }
          }}
        </p>
      }
    </section>
  `,
  styles: `
    .in-force {
      margin: 0 0 12px;
    }
    .title {
      margin: 0 0 8px;
      font: var(--mat-sys-title-small);
    }
    .note,
    .error {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      margin: 0 0 8px;
      padding: 8px 12px;
      border-radius: 8px;
      font: var(--mat-sys-body-small);
    }
    .note {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .error {
      display: block;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      margin: 0;
    }
    dd {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 8px;
      margin: 0;
      overflow-wrap: anywhere;
    }
    .mono {
      font-family: var(--vl-mono, monospace);
      font-size: 13px;
    }
    .source {
      padding: 0 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-small);
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface-variant);
    }
    .source[data-source='env'] {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .source[data-source='saved'] {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .meta {
      margin: 8px 0 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsInForceComponent {
  readonly view = input.required<IntegrationSettingsMeta>();
  readonly rows = input.required<readonly InForceRow[]>();
  /** The variable whose presence makes the connection read-only (SIPPY_RPC_URL…). */
  readonly lockEnv = input.required<string>();
  readonly locale = input.required<string>();
  readonly testId = input('settings-in-force');
}

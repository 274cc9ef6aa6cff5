import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ConfigurableIntegration, IntegrationTestResult } from '@velora/contracts';
import { KNOWN_HEALTH_CAUSES } from '../integration-card/integration-card.component';
import type { SettingsOutcome } from './integration-settings-session';

/**
 * The answer to a test, a save (saved, or refused because the test failed) or a clear. Nothing of the request is
 * shown: only the API's result, which never carries a secret.
 */
@Component({
  selector: 'vl-settings-outcome',
  imports: [MatIconModule, TranslocoPipe],
  template: `
    <div aria-live="polite">
      @if (outcome(); as o) {
        @switch (o.kind) {
          @case ('cleared') {
            <p class="result info" [attr.data-testid]="prefix() + '-cleared'">
              <mat-icon svgIcon="check_circle" aria-hidden="true" />
              {{ 'settings.cleared' | transloco }}
            </p>
          }
          @case ('error') {
            <div class="result fail" role="alert" [attr.data-testid]="prefix() + '-error'">
              <p class="headline">
                <mat-icon svgIcon="error" aria-hidden="true" />
                {{ o.error.messageKey | transloco: { status: o.error.status } }}
              </p>
              @for (detail of o.error.details; track $index) {
                <p class="message">{{ detail }}</p>
              }
            </div>
          }
          @default {
            @if (result(); as r) {
              <div
                class="result"
                [class.ok]="r.ok"
                [class.fail]="!r.ok"
                [attr.data-testid]="prefix() + '-result'"
                [attr.data-ok]="r.ok"
                [attr.data-kind]="o.kind"
                [attr.role]="r.ok ? null : 'alert'"
              >
                <p class="headline">
                  <mat-icon [svgIcon]="r.ok ? 'check_circle' : 'cancel'" aria-hidden="true" />
                  {{ headlineKey() | transloco }}
                </p>
                @if (o.kind === 'saved') {
                  <p class="message" [attr.data-testid]="prefix() + '-saved'">{{ 'settings.savedHint' | transloco }}</p>
                }
                @if (!r.ok) {
                  <!-- the API's advice for the operator (what to check); success needs no prose beyond the facts -->
                  <p class="message" [attr.data-testid]="prefix() + '-message'">{{ r.message }}</p>
                }
                <dl class="facts">
                  <dt>{{ 'testConnection.endpoint' | transloco }}</dt>
                  <dd>{{ r.details.endpoint }}</dd>
                  <dt>{{ 'integrations.latency' | transloco }}</dt>
                  <dd>{{ r.details.latency_ms === null ? '—' : r.details.latency_ms + ' ms' }}</dd>
                  @if (causeKey(); as key) {
                    <dt>{{ 'testConnection.cause' | transloco }}</dt>
                    <dd [attr.data-testid]="prefix() + '-cause'">{{ key | transloco }}</dd>
                  }
                  @if (r.details.tls_verify !== undefined) {
                    <dt>{{ 'testConnection.tlsVerify' | transloco }}</dt>
                    <dd>{{ (r.details.tls_verify ? 'common.yes' : 'common.no') | transloco }}</dd>
                  }
                  @if (r.details.asterisk_version) {
                    <dt>{{ 'integrations.issabel.asteriskVersion' | transloco }}</dt>
                    <dd>{{ r.details.asterisk_version }}</dd>
                  }
                  @if (r.details.tier) {
                    <dt>{{ 'integrations.elevenlabs.tier' | transloco }}</dt>
                    <dd>{{ r.details.tier }}</dd>
                  }
                  @if (r.details.methods; as methods) {
                    <dt>{{ 'testConnection.methods' | transloco: { count: methods.length } }}</dt>
                    <dd class="methods">
                      @for (method of methods; track method) {
                        <code>{{ method }}</code>
                      }
                    </dd>
                  }
                </dl>
              </div>
            }
          }
        }
      }
    </div>
  `,
  styleUrl: './settings-outcome.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsOutcomeComponent {
  readonly outcome = input.required<SettingsOutcome | null>();
  readonly integration = input.required<ConfigurableIntegration>();
  /** Prefix of the data-testids (`tc` keeps the Sippy form's historical ids). */
  readonly prefix = input.required<string>();

  protected readonly result = computed<IntegrationTestResult | null>(() => {
    const o = this.outcome();
    return o !== null && (o.kind === 'tested' || o.kind === 'saved' || o.kind === 'rejected') ? o.result : null;
  });
  protected readonly headlineKey = computed(() => {
    const o = this.outcome();
    if (o?.kind === 'saved') return 'settings.saved';
    if (o?.kind === 'rejected') return 'settings.rejected';
    return this.result()?.ok === true ? 'testConnection.success' : 'testConnection.failure';
  });
  /** ElevenLabs' `auth` is about the API key, not a password. */
  protected readonly causeKey = computed(() => {
    const cause = this.result()?.details.cause;
    if (cause === undefined) return null;
    if (cause === 'auth' && this.integration() === 'elevenlabs') return 'integrations.cause.api_key';
    return KNOWN_HEALTH_CAUSES.includes(cause) ? `integrations.cause.${cause}` : 'integrations.cause.other';
  });
}

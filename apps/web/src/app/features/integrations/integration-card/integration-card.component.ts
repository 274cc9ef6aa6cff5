import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import type { IntegrationId } from '../../../core/api/api.models';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';
import type { IntegrationHealthEntry } from '../integrations-health.service';

type Badge = 'up' | 'down' | 'not_configured' | 'not_available' | 'unreachable' | 'checking';

const BADGE_ICONS: Readonly<Record<Badge, string>> = {
  up: 'check_circle',
  down: 'cancel',
  not_configured: 'help',
  not_available: 'help',
  unreachable: 'error',
  checking: 'schedule',
};

/** Causes with a translation under `integrations.cause` (Sippy, Issabel AMI and ElevenLabs kinds). */
export const KNOWN_HEALTH_CAUSES: readonly string[] = [
  'auth',
  'tls',
  'timeout',
  'unreachable',
  'refused',
  'http',
  'fault',
  'malformed',
  'too_large',
  'protocol',
  'permission',
  'quota',
  'rate_limited',
  'config',
  'not_configured',
];

export interface QuotaView {
  readonly used: string;
  readonly limit: string;
  readonly remaining: string;
  readonly percent: string;
  /** 0–100 for the progress bar. */
  readonly percentValue: number;
}

/** One external system: live health, latency, last error and (for Sippy) the CDR sync state. */
@Component({
  selector: 'vl-integration-card',
  imports: [MatCardModule, MatIconModule, MatProgressBarModule, TranslocoPipe, LocalDateTimePipe],
  templateUrl: './integration-card.component.html',
  styleUrl: './integration-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IntegrationCardComponent {
  readonly integration = input.required<IntegrationId>();
  readonly entry = input.required<IntegrationHealthEntry>();
  readonly locale = input.required<string>();

  protected readonly badge = computed<Badge>(() => this.entry().health?.state ?? 'checking');
  protected readonly badgeIcon = computed(() => BADGE_ICONS[this.badge()]);
  protected readonly details = computed(() => {
    const health = this.entry().health;
    return health && 'details' in health ? health.details : null;
  });
  protected readonly apiError = computed(() => {
    const health = this.entry().health;
    return health?.state === 'unreachable' ? health.error : null;
  });
  /** Translation key of the failure cause; ElevenLabs' `auth` is about the API key, not a password. */
  protected readonly causeKey = computed(() => {
    const cause = this.details()?.cause;
    if (!cause) {
      return null;
    }
    if (cause === 'auth' && this.integration() === 'elevenlabs') {
      return 'integrations.cause.api_key';
    }
    return KNOWN_HEALTH_CAUSES.includes(cause) ? `integrations.cause.${cause}` : 'integrations.cause.other';
  });
  /** ElevenLabs character quota, when the subscription tells it. */
  protected readonly quota = computed<QuotaView | null>(() => {
    const d = this.details();
    const used = d?.character_count;
    const limit = d?.character_limit;
    if (typeof used !== 'number' || typeof limit !== 'number' || limit <= 0) {
      return null;
    }
    const ratio = Math.min(1, Math.max(0, used / limit));
    const remaining = d?.characters_remaining ?? Math.max(0, limit - used);
    return {
      used: this.formatNumber(used),
      limit: this.formatNumber(limit),
      remaining: this.formatNumber(remaining),
      percent: new Intl.NumberFormat(this.locale(), { style: 'percent', maximumFractionDigits: 1 }).format(ratio),
      percentValue: Math.round(ratio * 1000) / 10,
    };
  });
  protected readonly lagLabel = computed(() => {
    const lag = this.details()?.sync?.lag_seconds;
    if (lag === null || lag === undefined) {
      return null;
    }
    return new Intl.NumberFormat(this.locale(), { maximumFractionDigits: 0 }).format(lag);
  });
  protected readonly rowsTotal = computed(() => {
    const rows = this.details()?.sync?.rows_total;
    return rows === undefined ? null : new Intl.NumberFormat(this.locale()).format(rows);
  });

  protected formatNumber(value: number): string {
    return new Intl.NumberFormat(this.locale()).format(value);
  }
}

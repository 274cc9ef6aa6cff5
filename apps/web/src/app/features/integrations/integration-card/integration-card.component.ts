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
}

import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import type { CdrSummary } from '../../../core/api/api.models';
import type { ApiError } from '../../../core/http/api-error';
import { formatDuration } from '../../../shared/pipes/duration.pipe';

interface Metric {
  readonly key: 'calls' | 'answered' | 'avgDuration' | 'cost';
  readonly value: string;
}

/** Today's calls, answered share, average talk time and cost (in the active locale). */
@Component({
  selector: 'vl-today-summary',
  imports: [MatIconModule, MatTooltipModule, TranslocoPipe],
  templateUrl: './today-summary.component.html',
  styleUrl: './today-summary.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TodaySummaryComponent {
  readonly summary = input.required<CdrSummary | null>();
  readonly error = input<ApiError | null>(null);
  readonly locale = input.required<string>();

  protected readonly metrics = computed<readonly Metric[]>(() => {
    const summary = this.summary();
    const locale = this.locale();
    const dash = '—';
    const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    return [
      { key: 'calls', value: summary ? integer.format(summary.calls) : dash },
      {
        key: 'answered',
        value: summary?.answered_pct == null ? dash : percent.format(summary.answered_pct / 100),
      },
      { key: 'avgDuration', value: summary ? formatDuration(summary.avg_duration) : dash },
      { key: 'cost', value: summary ? formatCost(summary.total_cost, summary.currency, locale) : dash },
    ];
  });
}

export function formatCost(amount: number, currency: string | null, locale: string): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
    } catch {
      // unknown ISO code: fall through to a plain number with the code
    }
  }
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount);
  return currency ? `${plain} ${currency}` : plain;
}

import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';
import type { IssabelStatusEntry } from '../integrations-health.service';

/** The Issabel card's live PBX section: calls, channels and SIP/PJSIP peers (`GET /api/issabel/status`). */
@Component({
  selector: 'vl-issabel-status',
  imports: [TranslocoPipe, LocalDateTimePipe],
  templateUrl: './issabel-status.component.html',
  styleUrl: './issabel-status.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssabelStatusComponent {
  readonly entry = input.required<IssabelStatusEntry>();
  readonly locale = input.required<string>();

  protected readonly status = computed(() => this.entry().status);
  /** 503 from the status endpoint: Issabel is not configured (not an error worth red text). */
  protected readonly notConfigured = computed(() => this.entry().error?.status === 503);
  protected readonly error = computed(() => {
    const error = this.entry().error;
    return error && error.status !== 503 ? error : null;
  });

  /** The generic 502/504 texts talk about the switch; these name the PBX. */
  protected readonly errorKey = computed(() => {
    const error = this.error();
    if (!error) {
      return '';
    }
    if (error.status === 502) {
      return 'integrations.issabel.statusFailed';
    }
    if (error.status === 504) {
      return 'integrations.issabel.statusTimeout';
    }
    return error.messageKey;
  });

  protected count(value: number | null): string {
    return value === null ? '—' : new Intl.NumberFormat(this.locale()).format(value);
  }
}

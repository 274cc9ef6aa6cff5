import { RouterLink } from '@angular/router';
import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DetectionCdrFlag } from '@velora/contracts';
import type { Cdr, CdrDirection } from '../../../core/api/api.models';
import { CountryNamePipe } from '../../../shared/pipes/country-name.pipe';
import { DurationPipe } from '../../../shared/pipes/duration.pipe';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';
import { MaskedNumberComponent } from '../../../shared/masked-number/masked-number.component';
import { StatusChipComponent } from '../../../shared/status-chip/status-chip.component';
import type { CdrFeedState } from '../cdr-feed.service';
import { DEFAULT_PAGE_SIZE, EXTRA_LIVE_COLUMNS, LIVE_COLUMNS, PAGE_SIZE_OPTIONS, type LiveColumn } from '../cdr-query';

// Looked up by a value from the API, which may be newer than this build: typed as possibly missing.
const DIRECTION_ICONS: Readonly<Partial<Record<string, string>>> = {
  inbound: 'call_received',
  outbound: 'call_made',
  internal: 'sync_alt',
  unknown: 'help',
} satisfies Record<CdrDirection, string>;

/**
 * "Gerçek Zamanlı Çağrı Görünümü (Live)": the table of the latest CDRs. Presentational: the page
 * feeds it the `CdrFeed` state and handles its `refresh` and `pageChange` outputs.
 */
@Component({
  selector: 'vl-live-cdr-card',
  imports: [
    RouterLink,
    MatCardModule,
    MatTableModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    TranslocoPipe,
    MaskedNumberComponent,
    DurationPipe,
    CountryNamePipe,
    LocalDateTimePipe,
    StatusChipComponent,
  ],
  templateUrl: './live-cdr-card.component.html',
  styleUrl: './live-cdr-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LiveCdrCardComponent {
  readonly state = input.required<CdrFeedState>();
  /** BCP 47 locale for dates. */
  readonly locale = input.required<string>();
  /** The API's count cap as "10.000+" (tr) / "10,000+" (en) when it stopped counting. */
  readonly cappedTotal = computed(() => `${new Intl.NumberFormat(this.locale()).format(this.state().total)}+`);
  readonly pageIndex = input(0);
  readonly pageSize = input(DEFAULT_PAGE_SIZE);
  /** Phone width: each call is a compact card (time, caller → callee, status, country, duration) instead of a table row. */
  readonly compact = input(false);
  readonly refresh = output();
  readonly pageChange = output<PageEvent>();
  /** A row or card was clicked (or Enter pressed on it): show that CDR's details. */
  readonly openCdr = output<string>();

  /** The table's columns in order (the view's `cols`); the phone cards always show the same summary. */
  readonly columns = input<readonly LiveColumn[]>(LIVE_COLUMNS);
  /** IANA zone of the times shown; null = the browser's. */
  readonly timeZone = input<string | null>(null);
  protected readonly pageSizeOptions = PAGE_SIZE_OPTIONS;
  protected readonly extraColumns = EXTRA_LIVE_COLUMNS;
  /** Findings on the rows shown, by CDR id (GET /api/detection/cdr-flags): a badge with the reasons. */
  readonly flags = input<ReadonlyMap<string, DetectionCdrFlag>>(new Map());
  /** UI language of the reasons ('tr' or 'en'). */
  readonly language = input('tr');
  /** Rows whose reasons are unfolded. */
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());

  protected readonly switchProblem = computed(() => {
    const state = this.state();
    const health = state.switchHealth;
    if (state.error || !health) {
      return null;
    }
    if (health.state === 'down') {
      return { kind: 'down' as const, details: health.details };
    }
    if (health.state === 'not_configured') {
      return { kind: 'not_configured' as const, details: health.details };
    }
    return null;
  });
  protected readonly showEmpty = computed(() => {
    const state = this.state();
    return state.rows.length === 0 && state.lastUpdated !== null && !state.loading;
  });

  protected directionIcon(direction: CdrDirection): string {
    return DIRECTION_ICONS[direction] ?? 'help';
  }

  /** An extra column's value: times stay ISO (the template formats them), cost carries its currency. */
  protected extraValue(cdr: Cdr, column: (typeof EXTRA_LIVE_COLUMNS)[number]): string | null {
    if (column === 'cost') {
      return cdr.cost === null ? null : `${new Intl.NumberFormat(this.locale(), { maximumFractionDigits: 6 }).format(cdr.cost)}${cdr.currency === null ? '' : ` ${cdr.currency}`}`;
    }
    const value = cdr[column];
    return value === null ? null : String(value);
  }

  protected isTime(column: string): boolean {
    return column === 'end_time' || column === 'setup_time';
  }

  protected open(cdr: Cdr): void {
    this.openCdr.emit(cdr.id);
  }

  protected trackCdr(_index: number, cdr: Cdr): string {
    return cdr.id;
  }

  /** The reasons of a row's findings in the UI language. */
  protected reasons(flag: DetectionCdrFlag): string[] {
    const tr = this.language() === 'tr';
    return flag.findings.map((f) => (tr ? f.reason_tr : f.reason_en));
  }

  protected reasonsText(flag: DetectionCdrFlag): string {
    return this.reasons(flag).join('\n');
  }

  protected toggleReasons(id: string): void {
    this.expanded.update((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  protected refreshNow(): void {
    this.refresh.emit();
  }
}

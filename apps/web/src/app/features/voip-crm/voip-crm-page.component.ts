import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { map } from 'rxjs';
import { LanguageService } from '../../core/i18n/language.service';
import { CdrFeed } from './cdr-feed.service';
import { CdrFiltersComponent, type CdrFilters } from './cdr-filters/cdr-filters.component';
import { EMPTY_VIEW_QUERY, toQueryParams } from './cdr-query';
import { LiveCdrCardComponent } from './live-cdr-card/live-cdr-card.component';
import { InsightsPanelComponent } from './insights/insights-panel.component';
import { TodaySummaryComponent } from './today-summary/today-summary.component';

/** Below this width (a phone) calls are cards and the filters fold behind a button. */
export const COMPACT_LAYOUT_QUERY = '(max-width: 599.98px)';

/** The filters of a view query that are set (paging is not a filter). */
export function activeFilterCount(query: object): number {
  return Object.entries(query).filter(([key, value]) => key !== 'page' && key !== 'size' && value !== null && value !== undefined && value !== '').length;
}

/** `/voip-crm`, the start page: today's summary, the insights (deferred), filters and the live call view. */
@Component({
  selector: 'vl-voip-crm-page',
  imports: [TranslocoPipe, MatButtonModule, MatIconModule, TodaySummaryComponent, InsightsPanelComponent, CdrFiltersComponent, LiveCdrCardComponent],
  providers: [CdrFeed],
  templateUrl: './voip-crm-page.component.html',
  styleUrl: './voip-crm-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VoipCrmPageComponent {
  protected readonly feed = inject(CdrFeed);
  protected readonly locale = inject(LanguageService).locale;
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly query = toSignal(this.feed.query$, { initialValue: EMPTY_VIEW_QUERY });
  /** Phone width: calls as cards, filters folded behind a button. */
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe(COMPACT_LAYOUT_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly filtersOpen = signal(false);
  protected readonly activeFilters = computed(() => activeFilterCount(this.query()));

  protected toggleFilters(): void {
    this.filtersOpen.update((open) => !open);
  }

  protected applyFilters(filters: CdrFilters): void {
    this.filtersOpen.set(false);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: toQueryParams({ ...this.query(), ...filters, page: 1 }),
    });
  }

  protected changePage(event: PageEvent): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: toQueryParams({ ...this.query(), page: event.pageIndex + 1, size: event.pageSize }),
    });
  }

  protected refreshNow(): void {
    this.feed.refreshNow();
  }
}

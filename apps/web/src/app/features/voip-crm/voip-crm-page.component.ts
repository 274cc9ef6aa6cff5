import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../core/i18n/language.service';
import { CdrFeed } from './cdr-feed.service';
import { CdrFiltersComponent, type CdrFilters } from './cdr-filters/cdr-filters.component';
import { EMPTY_VIEW_QUERY, toQueryParams } from './cdr-query';
import { LiveCdrCardComponent } from './live-cdr-card/live-cdr-card.component';
import { TodaySummaryComponent } from './today-summary/today-summary.component';

/** `/voip-crm`, the start page: today's summary, filters and the live call view. */
@Component({
  selector: 'vl-voip-crm-page',
  imports: [TranslocoPipe, TodaySummaryComponent, CdrFiltersComponent, LiveCdrCardComponent],
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

  protected applyFilters(filters: CdrFilters): void {
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

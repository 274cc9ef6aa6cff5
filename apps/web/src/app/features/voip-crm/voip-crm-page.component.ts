import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router, type Params } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { SAVED_VIEW_QUERY_PARAM, type DetectionCdrFlag, type SavedView } from '@velora/contracts';
import { DetectionApiService } from '../../core/api/detection-api.service';
import { LanguageService } from '../../core/i18n/language.service';
import { SavedViewsMenuComponent } from '../../shared/saved-views/saved-views-menu.component';
import { filterText, type SavedViewState } from '../../shared/saved-views/saved-view-state';
import { CdrFeed } from './cdr-feed.service';
import { CdrFiltersComponent, type CdrFilters } from './cdr-filters/cdr-filters.component';
import {
  DATA_FILTER_KEYS,
  EMPTY_VIEW_QUERY,
  colsOfCdrFields,
  liveColumns,
  toCdrFields,
  toQueryParams,
  type CdrViewQuery,
} from './cdr-query';
import { LiveCdrCardComponent } from './live-cdr-card/live-cdr-card.component';
import { InsightsPanelComponent } from './insights/insights-panel.component';
import { TodaySummaryComponent } from './today-summary/today-summary.component';

/** Below this width (a phone) calls are cards and the filters fold behind a button. */
export const COMPACT_LAYOUT_QUERY = '(max-width: 599.98px)';

/** The filters of a view query that are set (paging, the time zone and the columns are not filters). */
export function activeFilterCount(query: object): number {
  const notFilters = new Set(['page', 'size', 'tz', 'cols']);
  return Object.entries(query).filter(([key, value]) => !notFilters.has(key) && value !== null && value !== undefined && value !== '').length;
}

/** The live view as a saved view keeps it: the data filters, the date range, the columns and the zone. */
export function liveViewState(query: CdrViewQuery, browserZone: string): SavedViewState {
  const filters: Record<string, string> = {};
  for (const key of DATA_FILTER_KEYS) {
    const value = query[key];
    if (key !== 'from' && key !== 'to' && value !== null) filters[key] = value;
  }
  const dates: Record<string, string> = {};
  if (query.from !== null) dates['from'] = query.from;
  if (query.to !== null) dates['to'] = query.to;
  return {
    filters,
    dates: Object.keys(dates).length > 0 ? dates : null,
    columns: toCdrFields(liveColumns(query)),
    timeZone: query.tz ?? browserZone,
  };
}

/** Router query params that show a saved view (paging restarts, the page size stays). */
export function liveViewParams(view: SavedView, current: CdrViewQuery): Params {
  const params: Params = {};
  for (const key of DATA_FILTER_KEYS) params[key] = filterText(view, key);
  return {
    ...toQueryParams({ ...current, page: 1 }),
    ...params,
    tz: view.time_zone,
    cols: colsOfCdrFields(view.columns),
    [SAVED_VIEW_QUERY_PARAM]: null,
  };
}

/** `/voip-crm`, the start page: today's summary, the insights (deferred), filters and the live call view. */
@Component({
  selector: 'vl-voip-crm-page',
  imports: [TranslocoPipe, MatButtonModule, MatIconModule, TodaySummaryComponent, InsightsPanelComponent, CdrFiltersComponent, LiveCdrCardComponent, SavedViewsMenuComponent],
  providers: [CdrFeed],
  templateUrl: './voip-crm-page.component.html',
  styleUrl: './voip-crm-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VoipCrmPageComponent {
  protected readonly feed = inject(CdrFeed);
  protected readonly locale = inject(LanguageService).locale;
  protected readonly language = inject(LanguageService).language;
  private readonly detection = inject(DetectionApiService);
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
  protected readonly columns = computed(() => liveColumns(this.query()));
  private readonly browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  protected readonly viewState = computed(() => liveViewState(this.query(), this.browserZone));
  /**
   * Findings on the rows shown, asked again after every refresh of the feed (the detection runs after the sync, so
   * a row's findings may come after the row itself); one indexed request per refresh, a failure only costs the badges.
   */
  protected readonly flags = toSignal(
    toObservable(
      computed(() => {
        const state = this.feed.state();
        return { ids: state.rows.map((row) => row.id).join(','), at: state.lastUpdated?.getTime() ?? 0 };
      }),
    ).pipe(
      distinctUntilChanged((a, b) => a.ids === b.ids && a.at === b.at),
      switchMap(({ ids }) =>
        ids === ''
          ? of(new Map<string, DetectionCdrFlag>())
          : this.detection.cdrFlags(ids.split(',')).pipe(
              map((flags) => new Map(flags.map((flag) => [flag.cdr_id, flag]))),
              catchError(() => of(new Map<string, DetectionCdrFlag>())),
            ),
      ),
    ),
    { initialValue: new Map<string, DetectionCdrFlag>() },
  );

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

  /** Shows a saved view; a view opened by its link (`?view=<id>`) replaces that URL in the history. */
  protected applyView(view: SavedView): void {
    const fromLink = this.route.snapshot.queryParamMap.has(SAVED_VIEW_QUERY_PARAM);
    void this.router.navigate([], { relativeTo: this.route, queryParams: liveViewParams(view, this.query()), replaceUrl: fromLink });
  }

  protected refreshNow(): void {
    this.feed.refreshNow();
  }
}

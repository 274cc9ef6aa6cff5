import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router, type Params } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { CDR_DETAIL_QUERY_PARAM, SAVED_VIEW_QUERY_PARAM, type DetectionCdrFlag, type SavedView } from '@velora/contracts';
import { DetectionApiService } from '../../core/api/detection-api.service';
import { LanguageService } from '../../core/i18n/language.service';
import { ExportMenuComponent } from '../../shared/export-menu/export-menu.component';
import { SavedViewsMenuComponent } from '../../shared/saved-views/saved-views-menu.component';
import { filterText, type SavedViewState } from '../../shared/saved-views/saved-view-state';
import { CdrFeed } from './cdr-feed.service';
import { CdrFiltersComponent, type CdrFilters } from './cdr-filters/cdr-filters.component';
import {
  DATA_FILTER_KEYS,
  EMPTY_VIEW_QUERY,
  LIVE_COLUMNS_STORAGE_KEY,
  colsOfCdrFields,
  liveColumns,
  normalizeColumns,
  toCdrFields,
  toExportParams,
  toQueryParams,
  type CdrViewQuery,
  type LiveColumn,
} from './cdr-query';
import { CdrDetailSheetComponent, type CdrDetailSheetData } from './cdr-detail/cdr-detail-sheet.component';
import { ColumnPickerComponent } from './column-picker/column-picker.component';
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
  imports: [
    TranslocoPipe,
    MatButtonModule,
    MatIconModule,
    TodaySummaryComponent,
    InsightsPanelComponent,
    CdrFiltersComponent,
    LiveCdrCardComponent,
    SavedViewsMenuComponent,
    ExportMenuComponent,
    ColumnPickerComponent,
  ],
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
  /** GET /api/sippy/cdrs/export with what the table shows: filters, columns, order, zone. */
  protected readonly exportParams = computed(() => toExportParams(this.query(), this.browserZone));

  private readonly dialog = inject(MatDialog);
  /** `?cdr=<id>`: the CDR whose detail sheet is open. */
  private readonly detailId = toSignal(this.route.queryParamMap.pipe(map((params) => params.get(CDR_DETAIL_QUERY_PARAM))), {
    initialValue: null,
  });
  private sheet: { id: string; ref: MatDialogRef<CdrDetailSheetComponent> } | null = null;

  constructor() {
    this.restoreColumns();
    // the URL drives the sheet: opening a row adds ?cdr=<id>, closing removes it, Back closes it
    effect(() => {
      const id = this.detailId();
      if (this.sheet !== null && this.sheet.id !== id) {
        const open = this.sheet;
        this.sheet = null;
        open.ref.close();
      }
      if (id !== null && this.sheet === null) this.openSheet(id);
    });
    inject(DestroyRef).onDestroy(() => this.sheet?.ref.close());
  }

  private openSheet(id: string): void {
    const data: CdrDetailSheetData = { id, locale: this.locale(), timeZone: this.query().tz };
    const ref = this.dialog.open(CdrDetailSheetComponent, {
      data,
      position: { right: '0', top: '0' },
      height: '100%',
      width: 'min(480px, 100vw)',
      maxWidth: '100vw',
      panelClass: 'vl-side-sheet',
      ariaLabelledBy: 'cdr-detail-title',
    });
    const sheet = { id, ref };
    this.sheet = sheet;
    ref.afterClosed().subscribe(() => {
      if (this.sheet !== sheet) return; // closed because the URL moved on
      this.sheet = null;
      void this.router.navigate([], { relativeTo: this.route, queryParams: { [CDR_DETAIL_QUERY_PARAM]: null }, queryParamsHandling: 'merge' });
    });
  }

  protected openCdr(id: string): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: { [CDR_DETAIL_QUERY_PARAM]: id }, queryParamsHandling: 'merge' });
  }

  /** The picker's choice goes to the URL (shareable, saved with a view) and to localStorage (the next visit). */
  protected changeColumns(columns: LiveColumn[]): void {
    const cols = normalizeColumns(columns.join(','));
    try {
      if (cols === null) localStorage.removeItem(LIVE_COLUMNS_STORAGE_KEY);
      else localStorage.setItem(LIVE_COLUMNS_STORAGE_KEY, cols);
    } catch {
      // storage full or disabled: the URL still has the choice
    }
    void this.router.navigate([], { relativeTo: this.route, queryParams: toQueryParams({ ...this.query(), cols }) });
  }

  /** A visit without `cols` (and without a view to open) gets the columns chosen last time. */
  private restoreColumns(): void {
    const params = this.route.snapshot.queryParamMap;
    if (params.has('cols') || params.has(SAVED_VIEW_QUERY_PARAM)) return;
    let stored: string | null;
    try {
      stored = normalizeColumns(localStorage.getItem(LIVE_COLUMNS_STORAGE_KEY));
    } catch {
      return;
    }
    if (stored === null) return;
    void this.router.navigate([], { relativeTo: this.route, queryParams: { cols: stored }, queryParamsHandling: 'merge', replaceUrl: true });
  }

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

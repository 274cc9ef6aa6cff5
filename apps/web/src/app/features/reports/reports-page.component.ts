import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, untracked } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTabsModule } from '@angular/material/tabs';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { NgxEchartsDirective } from 'ngx-echarts';
import { Observable, catchError, combineLatest, forkJoin, map, of, startWith, switchMap } from 'rxjs';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { ThemeService } from '../../core/theme/theme.service';
import { ExportMenuComponent } from '../../shared/export-menu/export-menu.component';
import { SavedViewsMenuComponent } from '../../shared/saved-views/saved-views-menu.component';
import { SAVED_VIEW_QUERY_PARAM, type SavedView } from '@velora/contracts';
import {
  COMMON_TIME_ZONES,
  REPORT_TZ_STORAGE_KEY,
  parseReportQuery,
  reportViewParams,
  reportViewState,
  storedTimeZone,
  toReportQueryParams,
  toReportRange,
  type ReportViewQuery,
} from './report-query';
import {
  callsAndAsrOptions,
  concurrencyOptions,
  readPalette,
  rowBarsOptions,
  type ChartLabels,
} from './report-charts';
import { REPORT_TABS } from './report-tabs';
import { ReportsApiService } from './reports-api.service';
import {
  BREAKDOWN_DIMENSIONS,
  REPORT_BUCKETS,
  TOP_METRICS,
  TOP_SUBJECTS,
  type BreakdownDimension,
  type BreakdownReport,
  type CdrFilterParams,
  type CompareReport,
  type CostAmount,
  type ReportBucket,
  type ReportRow,
  type ScalarMetric,
  type TimeseriesPoint,
  type TimeseriesReport,
  type TopMetric,
  type TopReport,
  type TopSubject,
} from './reports.models';

/** A request's state: the last data stays while a new request runs or after it fails. */
export interface Loadable<T> {
  readonly data: T | null;
  readonly loading: boolean;
  readonly error: ApiError | null;
}

function load<T>(request: Observable<T>): Observable<Loadable<T>> {
  return request.pipe(
    map((data): Loadable<T> => ({ data, loading: false, error: null })),
    catchError((e: unknown) => of<Loadable<T>>({ data: null, loading: false, error: isApiError(e) ? e : null })),
    startWith<Loadable<T>>({ data: null, loading: true, error: null }),
  );
}

interface Overview {
  readonly compare: CompareReport;
  readonly series: TimeseriesReport;
  readonly countries: BreakdownReport;
  readonly causes: BreakdownReport;
}

/** One KPI tile: the metric, its translated label, how it links to the live view. */
interface KpiTile {
  readonly metric: ScalarMetric;
  readonly labelKey: string;
  readonly hintKey: string;
  /** Extra live-view filter of the tile (answered=true for "answered"). */
  readonly extra?: Readonly<Record<string, string>>;
}

const KPI_TILES: readonly KpiTile[] = [
  { metric: 'calls', labelKey: 'reports.metrics.calls', hintKey: 'reports.hints.calls' },
  { metric: 'answered', labelKey: 'reports.metrics.answered', hintKey: 'reports.hints.answered', extra: { answered: 'true' } },
  { metric: 'failed', labelKey: 'reports.metrics.failed', hintKey: 'reports.hints.failed', extra: { answered: 'false' } },
  { metric: 'asr', labelKey: 'reports.metrics.asr', hintKey: 'reports.hints.asr' },
  { metric: 'ner', labelKey: 'reports.metrics.ner', hintKey: 'reports.hints.ner' },
  { metric: 'acd', labelKey: 'reports.metrics.acd', hintKey: 'reports.hints.acd', extra: { answered: 'true' } },
  { metric: 'billed_minutes', labelKey: 'reports.metrics.billed_minutes', hintKey: 'reports.hints.billed_minutes' },
  { metric: 'avg_pdd', labelKey: 'reports.metrics.avg_pdd', hintKey: 'reports.hints.avg_pdd' },
  { metric: 'peak_concurrent', labelKey: 'reports.metrics.peak_concurrent', hintKey: 'reports.hints.peak_concurrent' },
];

const DIMENSION_KEYS: Readonly<Record<BreakdownDimension, string>> = {
  country: 'reports.dimensions.country',
  city: 'reports.dimensions.city',
  account: 'reports.dimensions.account',
  trunk: 'reports.dimensions.trunk',
  direction: 'reports.dimensions.direction',
  cause: 'reports.dimensions.cause',
};
const BUCKET_KEYS: Readonly<Record<ReportBucket, string>> = {
  hour: 'reports.buckets.hour',
  day: 'reports.buckets.day',
  week: 'reports.buckets.week',
  month: 'reports.buckets.month',
};
const TOP_SUBJECT_KEYS: Readonly<Record<TopSubject, string>> = {
  caller: 'reports.top.caller',
  callee: 'reports.top.callee',
  destination: 'reports.top.destination',
};
const TOP_METRIC_KEYS: Readonly<Record<TopMetric, string>> = {
  calls: 'reports.metrics.calls',
  minutes: 'reports.metrics.billed_minutes',
  cost: 'reports.metrics.cost',
  failures: 'reports.metrics.failed',
};

/**
 * `/reports`: KPIs with the change against the previous period, charts (each with its table) and
 * breakdowns over any date range in the viewer's time zone. Every number links to the live view
 * with exactly the filter that produced it (the API sends that filter with each row).
 */
@Component({
  selector: 'vl-reports-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
    NgxEchartsDirective,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTabsModule,
    MatTooltipModule,
    SavedViewsMenuComponent, ExportMenuComponent],
  templateUrl: './reports-page.component.html',
  styleUrl: './reports-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportsPageComponent {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly api = inject(ReportsApiService);
  private readonly languageService = inject(LanguageService);
  private readonly transloco = inject(TranslocoService);
  private readonly theme = inject(ThemeService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly document = inject(DOCUMENT);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly storage: Storage | null = this.document.defaultView?.localStorage ?? null;

  protected readonly tabs = REPORT_TABS;
  protected readonly kpiTiles = KPI_TILES;
  protected readonly buckets = REPORT_BUCKETS;
  protected readonly bucketKeys = BUCKET_KEYS;
  protected readonly dimensions = BREAKDOWN_DIMENSIONS.filter((d): d is ReportViewQuery['breakdown'] => d !== 'cause');
  protected readonly dimensionKeys = DIMENSION_KEYS;
  protected readonly topSubjects = TOP_SUBJECTS;
  protected readonly topSubjectKeys = TOP_SUBJECT_KEYS;
  protected readonly topMetrics = TOP_METRICS;
  protected readonly topMetricKeys = TOP_METRIC_KEYS;

  protected readonly query = toSignal(
    this.route.queryParamMap.pipe(map((params) => parseReportQuery(params, new Date(), storedTimeZone(this.storage)))),
    { requireSync: true },
  );
  protected readonly viewState = computed(() => reportViewState(this.query()));
  protected readonly tabParams = computed(() => ({ from: this.query().from, to: this.query().to, tz: this.query().tz }));
  protected readonly range = computed(() => toReportRange(this.query()), { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  protected readonly timeZones = computed(() => {
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return [...new Set<string>([...COMMON_TIME_ZONES, own, this.query().tz])];
  });

  protected readonly form = this.fb.group({
    from: [''],
    to: [''],
    tz: [''],
    bucket: this.fb.control<ReportBucket>('day'),
  });

  /** The tables' settings live in the URL too (shareable, and kept by saved views). */
  protected readonly breakdownBy = computed<BreakdownDimension>(() => this.query().breakdown);
  protected readonly topBy = computed(() => this.query().top);
  protected readonly topMetric = computed(() => this.query().metric);

  /** The query of each table's `/export` sibling: the table's report with the screen's range, zone and settings. */
  protected readonly exports = computed(() => {
    const range = { ...this.range() };
    return {
      compare: range,
      series: { ...range, bucket: this.query().bucket },
      countries: { ...range, by: 'country', limit: '20' },
      causes: { ...range, by: 'cause', limit: '20' },
      breakdown: { ...range, by: this.breakdownBy(), limit: '20' },
      top: { ...range, by: this.topBy(), metric: this.topMetric(), limit: '10' },
    };
  });

  protected readonly overview = toSignal(
    toObservable(computed(() => ({ range: this.range(), bucket: this.query().bucket }))).pipe(
      switchMap(({ range, bucket }) =>
        load<Overview>(
          forkJoin({
            compare: this.api.compare(range),
            series: this.api.timeseries(range, bucket),
            countries: this.api.breakdown(range, 'country', 20),
            causes: this.api.breakdown(range, 'cause', 20),
          }),
        ),
      ),
    ),
    { initialValue: { data: null, loading: true, error: null } satisfies Loadable<Overview> },
  );

  protected readonly breakdown = toSignal(
    combineLatest([toObservable(this.range), toObservable(this.breakdownBy)]).pipe(
      switchMap(([range, by]) => load(this.api.breakdown(range, by, 20))),
    ),
    { initialValue: { data: null, loading: true, error: null } satisfies Loadable<BreakdownReport> },
  );

  protected readonly top = toSignal(
    combineLatest([toObservable(this.range), toObservable(this.topBy), toObservable(this.topMetric)]).pipe(
      switchMap(([range, by, metric]) => load(this.api.top(range, by, metric, 10))),
    ),
    { initialValue: { data: null, loading: true, error: null } satisfies Loadable<TopReport> },
  );

  private readonly language = toSignal(this.transloco.langChanges$, { initialValue: this.transloco.getActiveLang() });
  private readonly palette = computed(() => {
    this.theme.mode(); // re-read the CSS variables when the theme changes
    return readPalette(this.host.nativeElement);
  });
  /** Chart texts follow the language once its file has loaded (translate() would still answer in the old one). */
  private readonly chartTexts = toSignal(
    this.transloco.langChanges$.pipe(
      switchMap(() =>
        this.transloco.selectTranslate<readonly string[]>([
          'reports.metrics.calls',
          'reports.metrics.asr',
          'reports.metrics.peak_concurrent',
          'reports.metrics.failed',
          'reports.metrics.cost',
        ]),
      ),
    ),
    { initialValue: NO_TEXTS },
  );
  private readonly chartLabels = computed((): ChartLabels => {
    const [calls = '', asr = '', concurrent = '', failures = '', cost = ''] = this.chartTexts();
    return { calls, asr, concurrent, failures, cost };
  });

  protected readonly points = computed(() => this.overview().data?.series.points ?? []);
  protected readonly callsChart = computed(() =>
    callsAndAsrOptions(this.points(), (p) => this.bucketLabel(p), this.chartLabels(), this.palette()),
  );
  protected readonly concurrencyChart = computed(() =>
    concurrencyOptions(this.points(), (p) => this.bucketLabel(p), this.chartLabels(), this.palette()),
  );
  /** Currency of the cost chart: the one with the biggest total. */
  protected readonly costCurrency = computed(() => this.overview().data?.compare.current.cost[0]?.currency ?? null);
  protected readonly costChart = computed(() => {
    const currency = this.costCurrency();
    const rows = this.overview().data?.countries.rows ?? [];
    return rowBarsOptions(
      [...rows].sort((a, b) => costIn(b, currency) - costIn(a, currency)),
      (r) => r.key ?? this.transloco.translate('reports.unknown'),
      (r) => costIn(r, currency),
      `${this.chartLabels().cost}${currency === null ? '' : ` (${currency})`}`,
      'primary',
      this.palette(),
    );
  });
  protected readonly causesChart = computed(() =>
    rowBarsOptions(
      this.overview().data?.causes.rows ?? [],
      (r) => this.causeName(r),
      (r) => r.metrics.calls,
      this.chartLabels().failures,
      'error',
      this.palette(),
    ),
  );

  constructor() {
    // the form follows the URL (first load, back/forward, shared links)
    effect(() => {
      const q = this.query();
      untracked(() => {
        this.form.setValue({ from: q.from, to: q.to, tz: q.tz, bucket: q.bucket });
      });
    });
  }

  protected applyRange(): void {
    const v = this.form.getRawValue();
    const next: ReportViewQuery = { ...this.query(), from: v.from || this.query().from, to: v.to || this.query().to, tz: v.tz, bucket: v.bucket };
    try {
      this.storage?.setItem(REPORT_TZ_STORAGE_KEY, next.tz);
    } catch {
      // storage full or blocked: the zone still travels in the URL
    }
    this.navigateTo(next);
  }

  /** Shows a saved view; a view opened by its link (`?view=<id>`) replaces that URL in the history. */
  protected applyView(view: SavedView): void {
    const fromLink = this.route.snapshot.queryParamMap.has(SAVED_VIEW_QUERY_PARAM);
    void this.router.navigate([], { relativeTo: this.route, queryParams: reportViewParams(view), replaceUrl: fromLink });
  }

  /** The live-view query of a number, plus extra filters (answered=true…). */
  protected link(filter: CdrFilterParams | null | undefined, extra: Readonly<Record<string, string>> = {}): Record<string, string> | null {
    return filter === null || filter === undefined ? null : { ...filter, ...extra };
  }

  protected locale(): string {
    return this.languageService.locale();
  }

  protected formatNumber(value: number | null, digits = 0): string {
    if (value === null) return '–';
    return new Intl.NumberFormat(this.locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  }

  protected formatMetric(metric: ScalarMetric, value: number | null): string {
    if (value === null) return '–';
    switch (metric) {
      case 'asr':
      case 'ner':
        return `${this.formatNumber(value, 1)} %`;
      case 'acd':
      case 'avg_pdd':
        return `${this.formatNumber(value, metric === 'acd' ? 0 : 2)} s`;
      case 'billed_minutes':
      case 'talk_minutes':
        return this.formatNumber(value, 1);
      default:
        return this.formatNumber(value);
    }
  }

  protected formatCost(cost: readonly CostAmount[]): string {
    if (cost.length === 0) return '–';
    return cost.map((c) => this.formatMoney(c)).join(' · ');
  }

  protected formatMoney(c: CostAmount): string {
    if (c.currency === null) return this.formatNumber(c.amount, 2);
    try {
      return new Intl.NumberFormat(this.locale(), { style: 'currency', currency: c.currency, maximumFractionDigits: 2 }).format(c.amount);
    } catch {
      return `${this.formatNumber(c.amount, 2)} ${c.currency}`;
    }
  }

  protected formatDelta(value: number | null | undefined): string {
    if (value === null || value === undefined) return '–';
    const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
    return `${sign}${this.formatNumber(Math.abs(value), 1)} %`;
  }

  protected deltaClass(value: number | null | undefined): string {
    return value === null || value === undefined || value === 0 ? 'flat' : value > 0 ? 'up' : 'down';
  }

  protected bucketLabel(point: TimeseriesPoint): string {
    const [date = '', time = ''] = point.bucket.split('T');
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const hour = Number(time.slice(0, 2));
    const instant = new Date(Date.UTC(y, m - 1, d, hour));
    const bucket = this.overview().data?.series.bucket ?? this.query().bucket;
    const options: Intl.DateTimeFormatOptions =
      bucket === 'hour'
        ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }
        : bucket === 'month'
          ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
          : { day: '2-digit', month: 'short', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(this.locale(), options).format(instant);
  }

  protected causeName(row: ReportRow): string {
    const lang = this.language() === 'en' ? 'en' : 'tr';
    return row.name?.[lang] ?? row.key ?? this.transloco.translate('reports.unknown');
  }

  protected rowLabel(row: ReportRow, by: BreakdownDimension): string {
    if (by === 'cause') return this.causeName(row);
    if (row.key === null) return this.transloco.translate('reports.unknown');
    if (by === 'direction') return this.transloco.translate('cdr.direction.' + row.key);
    return row.key;
  }

  protected topValue(row: ReportRow, metric: TopMetric): string {
    switch (metric) {
      case 'calls':
        return this.formatNumber(row.metrics.calls);
      case 'minutes':
        return this.formatNumber(row.metrics.billed_minutes, 1);
      case 'cost':
        return this.formatCost(row.metrics.cost);
      case 'failures':
        return this.formatNumber(row.metrics.failed);
    }
  }

  protected topExtra(metric: TopMetric): Readonly<Record<string, string>> {
    return metric === 'failures' ? { answered: 'false' } : {};
  }

  protected setBreakdownBy(value: ReportViewQuery['breakdown']): void {
    this.navigateTo({ ...this.query(), breakdown: value });
  }

  protected setTopBy(value: TopSubject): void {
    this.navigateTo({ ...this.query(), top: value });
  }

  protected setTopMetric(value: TopMetric): void {
    this.navigateTo({ ...this.query(), metric: value });
  }

  private navigateTo(query: ReportViewQuery): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: toReportQueryParams(query) });
  }
}

const NO_TEXTS: readonly string[] = [];

function costIn(row: ReportRow, currency: string | null): number {
  return row.metrics.cost.find((c) => c.currency === currency)?.amount ?? 0;
}

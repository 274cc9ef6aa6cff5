import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { NGX_ECHARTS_CONFIG } from 'ngx-echarts';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import { appRoutes } from '../../app.routes';
import { REPORT_TZ_STORAGE_KEY } from './report-query';
import { ReportsPageComponent } from './reports-page.component';
import type { BreakdownReport, CompareReport, ReportMetrics, TimeseriesReport, TopReport } from './reports.models';
import { reportsRoutes } from './reports.routes';

jest.setTimeout(20_000);

class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

const metrics = (o: Partial<ReportMetrics> = {}): ReportMetrics => ({
  calls: 9,
  answered: 3,
  failed: 6,
  asr: 33.33,
  acd: 83.3,
  ner: 66.67,
  billed_minutes: 5,
  talk_minutes: 4.17,
  cost: [{ currency: 'TRY', amount: 1.5 }],
  avg_pdd: 2,
  peak_concurrent: 3,
  ...o,
});
const PERIOD = { from: '2026-11-23T21:00:00.000Z', to: '2026-11-24T21:00:00.000Z', tz: 'Europe/Istanbul' };
const FILTER = { from: PERIOD.from, to: PERIOD.to };

const COMPARE: CompareReport = {
  period: PERIOD,
  previous: { ...PERIOD, from: '2026-11-22T21:00:00.000Z', to: PERIOD.from },
  current: metrics(),
  previous_metrics: metrics({ calls: 2, answered: 1 }),
  delta_pct: { calls: 350, answered: 200, asr: -33.3 },
  filter: FILTER,
  previous_filter: { from: '2026-11-22T21:00:00.000Z', to: PERIOD.from },
};
const SERIES: TimeseriesReport = {
  period: PERIOD,
  bucket: 'hour',
  points: [
    { bucket: '2026-11-24T13:00:00', from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', metrics: metrics({ calls: 3 }), filter: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z' } },
  ],
};
const COUNTRIES: BreakdownReport = {
  period: PERIOD,
  by: 'country',
  rows: [
    { key: 'Turkey', metrics: metrics({ calls: 7 }), filter: { ...FILTER, country: 'Turkey' } },
    { key: null, metrics: metrics({ calls: 1 }), filter: null },
  ],
};
const CAUSES: BreakdownReport = {
  period: PERIOD,
  by: 'cause',
  rows: [{ key: '-20', name: { en: '-20 Insufficient balance', tr: '-20 Yetersiz bakiye' }, metrics: metrics({ calls: 1 }), filter: { ...FILTER, result: '-20', answered: 'false' } }],
};
const ACCOUNTS: BreakdownReport = { period: PERIOD, by: 'account', rows: [{ key: '1042', metrics: metrics({ calls: 5 }), filter: { ...FILTER, account: '1042' } }] };
const TOP: TopReport = { period: PERIOD, by: 'caller', metric: 'calls', rows: [{ key: '905551110003', metrics: metrics({ calls: 4 }), filter: { ...FILTER, caller: '905551110003' } }] };

describe('the /reports route', () => {
  it('is lazy, inside the signed-in shell, and brings ECharts with it', () => {
    const route = appRoutes.flatMap((r) => r.children ?? []).find((r) => r.path === 'reports');
    expect(route?.loadChildren).toEqual(expect.any(Function));
    expect(reportsRoutes[0]?.component).toBe(ReportsPageComponent);
    expect(reportsRoutes[0]?.providers?.length).toBe(1);
  });
});

describe('ReportsPageComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;

  const root = (): HTMLElement => harness.routeNativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement>(testId: string, type: new () => T): T => {
    const found = root().querySelector(`[data-testid="${testId}"]`);
    if (!(found instanceof type)) throw new Error(`no ${type.name} ${testId}`);
    return found;
  };
  const settle = async (): Promise<void> => {
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  };
  const params = (request: TestRequest): Record<string, string> =>
    Object.fromEntries(request.request.params.keys().map((key) => [key, request.request.params.get(key) ?? '']));
  const expectReport = (path: string, by?: string): TestRequest =>
    backend.expectOne((r) => r.url === `/api/reports/${path}` && (by === undefined || r.params.get('by') === by));

  async function open(url: string, lang: 'tr' | 'en' = 'tr'): Promise<void> {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = NoopResizeObserver;
    TestBed.configureTestingModule({
      providers: [
        provideTestHttp(),
        provideTestTransloco(lang),
        provideTestIcons(),
        provideRouter([
          { path: 'reports', component: ReportsPageComponent },
          { path: 'voip-crm', children: [] },
        ]),
        // charts never initialise in jsdom (no canvas/SVG layout): the tables carry the data
        { provide: NGX_ECHARTS_CONFIG, useValue: { echarts: () => new Promise<never>(() => undefined) } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, ReportsPageComponent);
  }

  /** The saved views of the reports (the menu loads them once). */
  function flushViews(views: unknown[] = []): void {
    backend.match((r) => r.url === '/api/views' && r.params.get('scope') === 'reports').forEach((request) => {
      request.flush(views);
    });
  }

  async function flushAll(): Promise<TestRequest> {
    flushViews();
    const compare = expectReport('compare');
    compare.flush(COMPARE);
    expectReport('timeseries').flush(SERIES);
    expectReport('breakdown', 'country').flush(COUNTRIES);
    expectReport('breakdown', 'cause').flush(CAUSES);
    expectReport('breakdown', 'account').flush(ACCOUNTS);
    expectReport('top').flush(TOP);
    await settle();
    return compare;
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('asks for the URL range as instants of the chosen zone and shows KPIs with their change', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24&tz=Europe/Istanbul&bucket=hour');
    const compare = expectReport('compare');
    expect(params(compare)).toEqual({ from: '2026-11-23T21:00:00.000Z', to: '2026-11-24T21:00:00.000Z', tz: 'Europe/Istanbul' });
    compare.flush(COMPARE);
    const series = expectReport('timeseries');
    expect(params(series)).toMatchObject({ bucket: 'hour', tz: 'Europe/Istanbul' });
    series.flush(SERIES);
    expectReport('breakdown', 'country').flush(COUNTRIES);
    expectReport('breakdown', 'cause').flush(CAUSES);
    expectReport('breakdown', 'account').flush(ACCOUNTS);
    expectReport('top').flush(TOP);
    flushViews();
    await settle();
    const calls = byTestId('kpi-calls', HTMLElement);
    expect(calls.textContent).toContain('Çağrı');
    expect(calls.textContent).toContain('9');
    expect(calls.textContent).toContain('+350 %');
    expect(byTestId('kpi-asr', HTMLElement).textContent).toContain('−33,3 %');
    expect(byTestId('kpi-cost', HTMLElement).textContent).toContain('1,50');
  });

  it('links every number to the live view with exactly its filter', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24&tz=Europe/Istanbul&bucket=hour');
    await flushAll();
    const answered = byTestId('kpi-answered', HTMLElement).querySelector<HTMLAnchorElement>('a.kpi-value');
    const href = new URL(answered?.href ?? '', 'http://x');
    expect(href.pathname).toBe('/voip-crm');
    expect(Object.fromEntries(href.searchParams)).toEqual({ ...FILTER, answered: 'true' });

    const cause = byTestId('table-causes', HTMLElement).querySelector<HTMLAnchorElement>('tbody a');
    expect(Object.fromEntries(new URL(cause?.href ?? '', 'http://x').searchParams)).toEqual({ ...FILTER, result: '-20', answered: 'false' });
    expect(byTestId('table-causes', HTMLElement).textContent).toContain('-20 Yetersiz bakiye');

    const countryRows = byTestId('table-countries', HTMLElement).querySelectorAll('tbody tr');
    expect(countryRows[0].querySelector('a')?.getAttribute('href')).toContain('country=Turkey');
    // an unknown country has no filter the list could express: no link
    expect(countryRows[1].querySelector('a')).toBeNull();
    expect(countryRows[1].textContent).toContain('(bilinmiyor)');

    const hour = byTestId('table-calls', HTMLElement).querySelector<HTMLAnchorElement>('tbody a');
    expect(Object.fromEntries(new URL(hour?.href ?? '', 'http://x').searchParams)).toEqual(SERIES.points[0]?.filter);
    expect(byTestId('table-top', HTMLElement).textContent).toContain('905551110003');
  });

  it('has a chart with its table, labelled for screen readers, and names causes in English', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24&tz=Europe/Istanbul&bucket=hour', 'en');
    await flushAll();
    expect(byTestId('chart-calls', HTMLElement).getAttribute('role')).toBe('img');
    expect(byTestId('chart-calls', HTMLElement).getAttribute('aria-label')).toContain('table beside it');
    expect(byTestId('table-calls', HTMLElement).querySelector('caption')?.textContent).toContain('Calls and ASR');
    expect(byTestId('table-causes', HTMLElement).textContent).toContain('-20 Insufficient balance');
  });

  it('applies the toolbar to the URL and remembers the time zone', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24&tz=Europe/Istanbul&bucket=hour');
    await flushAll();
    const from = byTestId('reports-from', HTMLInputElement);
    from.value = '2026-11-20';
    from.dispatchEvent(new Event('input'));
    const component = harness.routeDebugElement?.componentInstance as { form: { controls: { tz: { setValue(v: string): void }; bucket: { setValue(v: string): void } } } };
    component.form.controls.tz.setValue('Asia/Kolkata');
    component.form.controls.bucket.setValue('day');
    byTestId('reports-apply', HTMLButtonElement).click();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/reports?from=2026-11-20&to=2026-11-24&tz=Asia%2FKolkata&bucket=day');
    expect(localStorage.getItem(REPORT_TZ_STORAGE_KEY)).toBe('Asia/Kolkata');
    const compare = expectReport('compare');
    // local midnight in Kolkata (+05:30)
    expect(params(compare)).toMatchObject({ from: '2026-11-19T18:30:00.000Z', to: '2026-11-24T18:30:00.000Z', tz: 'Asia/Kolkata' });
    compare.flush({}, { status: 500, statusText: 'x' });
    backend.match(() => true).filter((r) => !r.cancelled).forEach((r) => { r.flush({}, { status: 500, statusText: 'x' }); });
    await settle();
  });

  it('keeps the tables’ settings in the URL, so a shared link shows the same tables', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24&tz=Europe/Istanbul&bucket=hour&breakdown=trunk&top=callee&metric=cost');
    flushViews();
    expect(expectReport('breakdown', 'trunk').request.params.get('limit')).toBe('20');
    expect(expectReport('top').request.params.get('by')).toBe('callee');
    backend.match(() => true).forEach((r) => {
      if (!r.cancelled) r.flush({});
    });
  });

  it('opens a saved view from its link: range, zone, bucket and tables, and drops ?view= from the URL', async () => {
    await open('/reports?view=0b7c0000-0000-4000-8000-000000000001');
    backend.expectOne('/api/views/0b7c0000-0000-4000-8000-000000000001').flush({
      id: '0b7c0000-0000-4000-8000-000000000001',
      name: 'Trunks last week',
      scope: 'reports',
      shared: true,
      mine: false,
      editable: false,
      owner: { id: 'u1', email: 'admin@velora.test' },
      filters: { from: '2026-11-17', to: '2026-11-23', bucket: 'day', breakdown: 'trunk' },
      columns: [],
      sort: 'start_time:desc',
      time_zone: 'Asia/Kolkata',
      url: '/reports?view=0b7c0000-0000-4000-8000-000000000001',
      created_at: '2026-11-24T10:00:00.000Z',
      updated_at: '2026-11-24T10:00:00.000Z',
    });
    await settle();
    const url = new URL(TestBed.inject(Router).url, 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '2026-11-17', to: '2026-11-23', tz: 'Asia/Kolkata', bucket: 'day', breakdown: 'trunk' });
    const compares = backend.match((r) => r.url === '/api/reports/compare');
    expect(params(compares.at(-1)!)).toMatchObject({ from: '2026-11-16T18:30:00.000Z', to: '2026-11-23T18:30:00.000Z', tz: 'Asia/Kolkata' });
    expect(backend.match((r) => r.url === '/api/reports/breakdown' && r.params.get('by') === 'trunk').length).toBeGreaterThan(0);
    expect(byTestId('views-selected', HTMLElement).textContent).toContain('Trunks last week');
    backend.match(() => true).forEach((r) => {
      if (!r.cancelled) r.flush(r.request.url === '/api/views' ? [] : {});
    });
  });

  it('shows the API message of a refused request', async () => {
    await open('/reports?from=2026-11-24&to=2026-11-24');
    expectReport('compare').flush({ statusCode: 400, message: ['to: the range from → to must be at most 366 days (REPORT_MAX_RANGE_DAYS)'] }, { status: 400, statusText: 'Bad Request' });
    backend.match(() => true).filter((r) => !r.cancelled).forEach((r) => { r.flush({}, { status: 400, statusText: 'Bad Request' }); });
    await settle();
    expect(byTestId('reports-error', HTMLElement).textContent).toContain('REPORT_MAX_RANGE_DAYS');
  });
});

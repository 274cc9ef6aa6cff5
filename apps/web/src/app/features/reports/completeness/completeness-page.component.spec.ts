import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { ReconcileRun, ReconcileWindow } from '@velora/contracts';
import { AuthService } from '../../../core/auth/auth.service';
import { LanguageService } from '../../../core/i18n/language.service';
import { makeSession, makeUser } from '../../../../testing/auth.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { reportsRoutes } from '../reports.routes';
import { CompletenessPageComponent } from './completeness-page.component';

const HOUR = 3_600_000;

function check(start: number, o: Partial<ReconcileWindow> = {}): ReconcileWindow {
  return {
    window_start: new Date(start).toISOString(),
    window_end: new Date(start + HOUR).toISOString(),
    status: 'complete',
    switch_count: 10,
    stored_before: 10,
    healed: 0,
    updated: 0,
    stored_after: 10,
    error: null,
    checked_at: '2026-11-20T00:30:00.000Z',
    trigger: 'nightly',
    checked_by: null,
    ...o,
  };
}

/** The 24 hours of an Istanbul day (local midnight = 21:00 UTC the day before). */
function day(localDay: string, o: (i: number) => Partial<ReconcileWindow> = () => ({})): ReconcileWindow[] {
  const start = Date.parse(`${localDay}T00:00:00+03:00`);
  return Array.from({ length: 24 }, (_, i) => check(start + i * HOUR, o(i)));
}

describe('the completeness tab', () => {
  it('is a lazy child route of /reports', () => {
    const route = reportsRoutes.find((r) => r.path === 'completeness');
    expect(route?.loadComponent).toEqual(expect.any(Function));
  });
});

describe('CompletenessPageComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;

  const root = (): HTMLElement => harness.routeNativeElement as HTMLElement;
  const settle = async (): Promise<void> => {
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  };
  const dayItem = (d: string): HTMLElement => {
    const found = root().querySelector<HTMLElement>(`[data-testid="completeness-day"][data-day="${d}"]`);
    if (!found) throw new Error(`no day ${d}`);
    return found;
  };
  const verdict = (d: string): string => dayItem(d).querySelector('[data-testid="day-verdict"]')?.textContent.trim() ?? '';
  const listRequest = (): TestRequest => backend.expectOne((r) => r.method === 'GET' && r.url === '/api/sippy/reconcile');

  async function open(url: string, role: 'admin' | 'agent', lang: 'tr' | 'en' = 'en'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideTestHttp(),
        provideTestTransloco(lang),
        provideTestIcons(),
        provideRouter([{ path: 'reports/completeness', component: CompletenessPageComponent }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login('me@velora.test', 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(makeUser({ role, email: `${role}@velora.test` })));
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, CompletenessPageComponent);
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  it('asks for the whole hours of the days and shows each day as complete / healed N / failed / not checked, with when', async () => {
    await open('/reports/completeness?from=2026-11-16&to=2026-11-19&tz=Europe/Istanbul', 'agent');
    const request = listRequest();
    expect(request.request.params.get('from')).toBe('2026-11-15T21:00:00.000Z');
    expect(request.request.params.get('to')).toBe('2026-11-19T21:00:00.000Z');
    request.flush([
      ...day('2026-11-16'),
      ...day('2026-11-17', (i) =>
        i === 2
          ? { status: 'healed', healed: 3, stored_before: 7 }
          : i === 9
            ? { status: 'healed', healed: 2, checked_at: '2026-11-18T09:15:00.000Z', checked_by: 'admin@velora.test', trigger: 'manual' }
            : {},
      ),
      ...day('2026-11-18', (i) =>
        i === 5
          ? { status: 'failed', switch_count: null, error: 'fault: SippySoft answered with an XML-RPC fault 403: Access denied' }
          : {},
      ),
    ]);
    await settle();
    const days = [...root().querySelectorAll<HTMLElement>('[data-testid="completeness-day"]')].map((d) => d.dataset['day']);
    expect(days).toEqual(['2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16']);
    expect(verdict('2026-11-16')).toBe('Complete');
    expect(verdict('2026-11-17')).toBe('Healed 5');
    expect(verdict('2026-11-18')).toBe('Failed');
    expect(verdict('2026-11-19')).toBe('Not checked');
    // the latest check of the day's hours, in the page's zone
    const locale = TestBed.inject(LanguageService).locale();
    expect(dayItem('2026-11-17').querySelector('[data-testid="day-checked-at"]')?.textContent).toContain(
      new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Istanbul' }).format(
        new Date('2026-11-20T00:30:00.000Z'),
      ),
    );
    expect(dayItem('2026-11-16').textContent).toContain('switch 240 · stored 240');
    // the hours fold out, with the failure's cause
    const hours = dayItem('2026-11-18').querySelector('[data-testid="completeness-hours"]');
    expect(hours?.querySelectorAll('tbody tr')).toHaveLength(24);
    expect(hours?.querySelector('tr[data-status="failed"]')?.textContent).toContain('Access denied');
    // agents read, only admins reconcile
    expect(root().querySelector('[data-testid="reconcile-day"]')).toBeNull();
  });

  it('lets an admin reconcile a day now: its whole hours are sent, the outcome is shown and the list reloads', async () => {
    await open('/reports/completeness?from=2026-11-17&to=2026-11-17&tz=Europe/Istanbul', 'admin');
    listRequest().flush([]);
    await settle();
    expect(verdict('2026-11-17')).toBe('Not checked');
    dayItem('2026-11-17').querySelector<HTMLButtonElement>('[data-testid="reconcile-day"]')!.click();
    await settle();
    const run = backend.expectOne((r) => r.method === 'POST' && r.url === '/api/sippy/reconcile');
    expect(run.request.body).toEqual({ from: '2026-11-16T21:00:00.000Z', to: '2026-11-17T21:00:00.000Z' });
    const windows = day('2026-11-17', (i) =>
      i === 4
        ? { status: 'healed', healed: 2, trigger: 'manual', checked_by: 'admin@velora.test' }
        : { trigger: 'manual', checked_by: 'admin@velora.test' },
    );
    run.flush({
      from: '2026-11-16T21:00:00.000Z',
      to: '2026-11-17T21:00:00.000Z',
      status: 'healed',
      switch_count: 240,
      healed: 2,
      failed_windows: 0,
      windows,
    } satisfies ReconcileRun);
    await settle();
    listRequest().flush(windows);
    await settle();
    expect(root().querySelector('[data-testid="reconcile-result"]')?.textContent).toContain(
      'healed — 2 missing CDRs are stored now (the switch returned 240)',
    );
    expect(verdict('2026-11-17')).toBe('Healed 2');
  });

  it('shows why a reconciliation was refused', async () => {
    await open('/reports/completeness?from=2026-11-17&to=2026-11-17&tz=UTC', 'admin', 'tr');
    listRequest().flush([]);
    await settle();
    dayItem('2026-11-17').querySelector<HTMLButtonElement>('[data-testid="reconcile-day"]')!.click();
    await settle();
    backend
      .expectOne((r) => r.method === 'POST')
      .flush(
        { message: 'the CDR sync runs on another replica (it holds the sync lease): try again there or later' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    listRequest().flush([]);
    await settle();
    const error = root().querySelector('[data-testid="reconcile-error"]')?.textContent ?? '';
    expect(error).toContain('Mutabakat çalışmadı.');
    expect(error).toContain('another replica');
  });
});

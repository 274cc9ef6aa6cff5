import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { appRoutes } from '../../../app.routes';
import type { AuditEntry } from '../../../core/api/api.models';
import { adminGuard } from '../../../core/auth/auth.guards';
import { AuditPageComponent } from './audit-page.component';

// a router harness, a Material table and a select overlay per test: slow on a loaded 2-core machine
jest.setTimeout(20_000);

let nextId = 100;
function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  nextId -= 1;
  return {
    id: nextId,
    at: '2026-11-25T10:00:00.000Z',
    actor_user_id: 'u1',
    actor_email: 'admin@example.com',
    action: 'auth.login',
    target: null,
    ip: '203.0.113.5',
    details: {},
    ...overrides,
  };
}

const ACTIONS = ['auth.login', 'auth.login_failed', 'auth.logout', 'sippy.test_connection', 'user.created'];

describe('the /admin/audit route', () => {
  it('is admin-only, inside the signed-in shell', async () => {
    const route = appRoutes.flatMap((r) => r.children ?? []).find((r) => r.path === 'admin/audit');
    expect(route?.canActivate).toEqual([adminGuard]);
    expect(await (route?.loadComponent as () => Promise<unknown>)()).toBe(AuditPageComponent);
  });
});

describe('AuditPageComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let router: Router;

  const root = (): HTMLElement => harness.routeNativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement>(testId: string, type: new () => T, scope: ParentNode = root()): T => {
    const found = scope.querySelector(`[data-testid="${testId}"]`);
    if (!(found instanceof type)) throw new Error(`no ${type.name} ${testId}`);
    return found;
  };
  const all = (testId: string, scope: ParentNode = root()): HTMLElement[] =>
    Array.from(scope.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`));
  const settle = async (): Promise<void> => {
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  };
  const type = (testId: string, value: string): void => {
    const field = byTestId(testId, HTMLInputElement);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const listRequest = (): TestRequest => backend.expectOne((r) => r.url === '/api/audit-log');
  const params = (request: TestRequest): Record<string, string> =>
    Object.fromEntries(request.request.params.keys().map((key) => [key, request.request.params.get(key) ?? '']));

  async function open(url: string, lang: 'tr' | 'en' = 'tr'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideTestHttp(),
        provideTestTransloco(lang),
        provideTestIcons(),
        provideRouter([{ path: 'admin/audit', component: AuditPageComponent }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, AuditPageComponent);
    backend.expectOne('/api/audit-log/actions').flush({ actions: ACTIONS });
  }

  afterEach(() => {
    backend.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('sends the filters of the URL to the API and shows translated actions, unknown ones raw', async () => {
    await open('/admin/audit?action=auth.&actor=admin&target=ghost&ip=203.0.113.&from=2026-11-25T09:00&to=2026-11-25T18:30&page=3&size=25');
    const request = listRequest();
    expect(params(request)).toEqual({
      limit: '25',
      offset: '50',
      action: 'auth.',
      actor: 'admin',
      target: 'ghost',
      ip: '203.0.113.',
      from: new Date(2026, 10, 25, 9, 0).toISOString(),
      // `to` covers its whole minute
      to: new Date(2026, 10, 25, 18, 30, 59, 999).toISOString(),
    });
    request.flush(
      [
        entry({ action: 'auth.login_failed', actor_email: null, actor_user_id: null, target: 'ghost@example.com', details: { reason: 'unknown_email' } }),
        entry({ action: 'legacy.thing', at: '2026-11-25T09:30:00.000Z' }),
      ],
      { headers: { 'X-Total-Count': '77' } },
    );
    await settle();

    const rows = all('audit-row');
    expect(rows).toHaveLength(2);
    expect(byTestId('audit-action', HTMLElement, rows[0]).textContent.trim()).toBe('Başarısız giriş');
    expect(byTestId('audit-actor', HTMLElement, rows[0]).textContent.trim()).toBe('anonim');
    expect(byTestId('audit-target', HTMLElement, rows[0]).textContent.trim()).toBe('ghost@example.com');
    expect(byTestId('audit-details', HTMLElement, rows[0]).textContent.trim()).toBe('reason=unknown_email');
    expect(byTestId('audit-at', HTMLElement, rows[0]).getAttribute('datetime')).toBe('2026-11-25T10:00:00.000Z');
    expect(byTestId('audit-at', HTMLElement, rows[0]).textContent).toContain('25.11.2026');
    expect(byTestId('audit-action', HTMLElement, rows[1]).textContent.trim()).toBe('legacy.thing');
    expect(rows[1].querySelector('[data-testid="audit-expand"]')).toBeNull();
    // the form shows the view of the URL
    expect(byTestId('audit-filter-actor', HTMLInputElement).value).toBe('admin');
    expect(byTestId('audit-filter-from', HTMLInputElement).value).toBe('2026-11-25T09:00');
    expect(byTestId('audit-filter-action', HTMLElement).textContent).toContain('Bu gruptaki tümü');
    expect(root().querySelector('mat-paginator')?.textContent).toContain('51 – 75 of 77') // page 3 of 25 (the untranslated test paginator);
  });

  it('labels actions in English when English is active', async () => {
    await open('/admin/audit', 'en');
    listRequest().flush([entry({ action: 'auth.login_failed' }), entry({ action: 'sippy.test_connection' })]);
    await settle();
    expect(all('audit-action').map((e) => e.textContent.trim())).toEqual(['Failed sign-in', 'Connection test']);
  });

  it('puts the filters in the URL (page back to 1) and requests them', async () => {
    await open('/admin/audit?page=2');
    listRequest().flush([entry()], { headers: { 'X-Total-Count': '60' } });
    await settle();

    byTestId('audit-filter-action', HTMLElement).click();
    await settle();
    const option = document.querySelector<HTMLElement>('mat-option[data-value="auth.login_failed"]');
    expect(option?.textContent.trim()).toBe('Başarısız giriş');
    option!.click();
    type('audit-filter-actor', '  Admin@ ');
    type('audit-filter-target', 'ghost');
    type('audit-filter-from', '2026-11-25T08:15');
    byTestId('audit-filter-apply', HTMLButtonElement).click();
    await settle();

    const url = router.parseUrl(router.url);
    expect(url.queryParams).toEqual({ action: 'auth.login_failed', actor: 'Admin@', target: 'ghost', from: '2026-11-25T08:15' });
    const request = listRequest();
    expect(params(request)).toEqual({
      limit: '50',
      offset: '0',
      action: 'auth.login_failed',
      actor: 'Admin@',
      target: 'ghost',
      from: new Date(2026, 10, 25, 8, 15).toISOString(),
    });
    request.flush([]);
    await settle();
    expect(byTestId('audit-empty', HTMLElement).textContent).toContain('Bu filtrelere uyan kayıt yok.');

    // clear: back to the plain page
    byTestId('audit-filter-clear', HTMLButtonElement).click();
    await settle();
    expect(router.url).toBe('/admin/audit');
    listRequest().flush([entry()]);
    await settle();
    expect(byTestId('audit-filter-actor', HTMLInputElement).value).toBe('');
  });

  it('refuses an end before the start without navigating', async () => {
    await open('/admin/audit');
    listRequest().flush([entry()]);
    await settle();
    type('audit-filter-from', '2026-11-25T12:00');
    type('audit-filter-to', '2026-11-25T11:59');
    byTestId('audit-filter-apply', HTMLButtonElement).click();
    await settle();
    expect(byTestId('audit-range-error', HTMLElement).textContent).toContain('Bitiş, başlangıçtan önce olamaz.');
    expect(router.url).toBe('/admin/audit');
    backend.expectNone((r) => r.url === '/api/audit-log');
  });

  it('pages on the server through the URL', async () => {
    await open('/admin/audit');
    const first = listRequest();
    expect(params(first)).toEqual({ limit: '50', offset: '0' });
    first.flush(Array.from({ length: 50 }, () => entry()), { headers: { 'X-Total-Count': '120' } });
    await settle();

    root().querySelector<HTMLButtonElement>('.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    expect(router.parseUrl(router.url).queryParams).toEqual({ page: '2' });
    const second = listRequest();
    expect(params(second)).toEqual({ limit: '50', offset: '50' });
    second.flush([entry()], { headers: { 'X-Total-Count': '120' } });
    await settle();
    expect(root().querySelector('mat-paginator')?.textContent).toContain('51 – 100 of 120');
  });

  it('keeps the last rows and shows the error when a refresh fails, then clears it on success', async () => {
    await open('/admin/audit');
    listRequest().flush([entry({ target: 'kept@example.com' })], { headers: { 'X-Total-Count': '1' } });
    await settle();

    byTestId('audit-refresh', HTMLButtonElement).click();
    await settle();
    listRequest().flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await settle();
    expect(byTestId('audit-error', HTMLElement).textContent).toContain('Sunucu hatası (HTTP 500).');
    expect(byTestId('audit-keeping-data', HTMLElement).textContent).toContain('Son yüklenen kayıtlar gösteriliyor.');
    expect(all('audit-target').map((e) => e.textContent.trim())).toEqual(['kept@example.com']);
    expect(root().querySelector('[data-testid="audit-empty"]')).toBeNull();

    byTestId('audit-refresh', HTMLButtonElement).click();
    await settle();
    listRequest().flush([entry({ target: 'fresh@example.com' })]);
    await settle();
    expect(root().querySelector('[data-testid="audit-error"]')).toBeNull();
    expect(all('audit-target').map((e) => e.textContent.trim())).toEqual(['fresh@example.com']);
  });

  it('shows the server reason of a 400 (a hand-edited URL)', async () => {
    await open('/admin/audit');
    listRequest().flush(
      { statusCode: 400, message: ['to must not be earlier than from'] },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(byTestId('audit-error', HTMLElement).textContent).toContain('to must not be earlier than from');
    expect(root().querySelector('[data-testid="audit-keeping-data"]')).toBeNull();
  });

  it('opens the full details of an entry as JSON', async () => {
    await open('/admin/audit');
    listRequest().flush([entry({ action: 'sippy.test_connection', details: { ok: false, cause: 'http', host: 'sbc.example.net' } })]);
    await settle();
    expect(byTestId('audit-details', HTMLElement).textContent.trim()).toBe('ok=false · cause=http · host=sbc.example.net');
    expect(root().querySelector('[data-testid="audit-json"]')).toBeNull();
    byTestId('audit-expand', HTMLButtonElement).click();
    await settle();
    expect(JSON.parse(byTestId('audit-json', HTMLElement).textContent)).toEqual({ ok: false, cause: 'http', host: 'sbc.example.net' });
    expect(byTestId('audit-expand', HTMLElement).getAttribute('aria-expanded')).toBe('true');
    byTestId('audit-expand', HTMLButtonElement).click();
    await settle();
    expect(root().querySelector('[data-testid="audit-json"]')).toBeNull();
  });
});

import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { DetectionFinding, DetectionFindingPage } from '@velora/contracts';
import { AuthService } from '../../core/auth/auth.service';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import { AlertsPageComponent } from './alerts-page.component';

const finding = (id: string, overrides: Partial<DetectionFinding> = {}): DetectionFinding => ({
  id,
  rule: 'fan_out',
  subject_type: 'number',
  subject: '905321112233',
  window_start: '2026-11-24T10:00:00.000Z',
  window_end: '2026-11-24T11:00:00.000Z',
  level: 'crit',
  score: 120,
  reason_en: '905321112233 called 120 distinct numbers in 1 h',
  reason_tr: '905321112233 1 sa içinde 120 farklı numarayı aradı',
  evidence: {},
  cdr_count: 120,
  first_seen: '2026-11-24T10:01:00.000Z',
  last_seen: '2026-11-24T10:40:00.000Z',
  status: 'open',
  mode: 'active',
  ...overrides,
});

describe('AlertsPageComponent', () => {
  let backend: HttpTestingController;

  async function render(isAdmin: boolean) {
    TestBed.configureTestingModule({
      imports: [AlertsPageComponent],
      providers: [
        provideRouter([]),
        provideTestHttp(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: AuthService, useValue: { isAdmin: () => isAdmin } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(AlertsPageComponent);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  const page = (items: DetectionFinding[], next: string | null = null): DetectionFindingPage => ({ items, next_cursor: next });

  it('lists the findings with their Turkish reasons, a link to the number and the next page on demand', async () => {
    const { fixture, element } = await render(false);
    backend
      .expectOne((r) => r.url === '/api/detection/findings' && r.params.get('limit') === '50')
      .flush(page([finding('1'), finding('2', { subject_type: 'prefix', subject: '882', level: 'warn' })], '1:2'));
    await fixture.whenStable();
    const items = element.querySelectorAll('[data-testid="alert-item"]');
    expect(items).toHaveLength(2);
    expect(items[0].querySelector('[data-testid="alert-reason"]')?.textContent).toContain('1 sa içinde 120 farklı numarayı aradı');
    expect(items[0].querySelector('a[data-testid="alert-subject"]')?.getAttribute('href')).toBe('/numbers/905321112233');
    expect(items[1].querySelector('a')).toBeNull();
    expect(element.querySelector('[data-testid="alert-mark-spam"]')).toBeNull(); // agents have no actions

    element.querySelector<HTMLButtonElement>('[data-testid="alerts-load-more"]')?.click();
    backend.expectOne((r) => r.url === '/api/detection/findings' && r.params.get('cursor') === '1:2').flush(page([finding('3')]));
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="alert-item"]')).toHaveLength(3);
    backend.verify();
  });

  it('filters by rule and level', async () => {
    const { fixture, element } = await render(false);
    backend.expectOne('/api/detection/findings?limit=50').flush(page([]));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="alerts-empty"]')).not.toBeNull();
    const rule = element.querySelector<HTMLSelectElement>('[data-testid="alerts-filter-rule"]');
    const level = element.querySelector<HTMLSelectElement>('[data-testid="alerts-filter-level"]');
    if (rule === null || level === null) throw new Error('no filters');
    rule.value = 'wangiri';
    rule.dispatchEvent(new Event('change'));
    level.value = 'crit';
    level.dispatchEvent(new Event('change'));
    element.querySelector<HTMLButtonElement>('[data-testid="alerts-apply"]')?.click();
    const req = backend.expectOne((r) => r.url === '/api/detection/findings');
    expect([req.request.params.get('rule'), req.request.params.get('level')]).toEqual(['wangiri', 'crit']);
    req.flush(page([]));
    backend.verify();
  });

  it('lets an admin mark a number as spam: the list entry, then the finding’s status', async () => {
    const { fixture, element } = await render(true);
    backend.expectOne((r) => r.url === '/api/detection/findings').flush(page([finding('1')]));
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('[data-testid="alert-mark-spam"]')?.click();
    const mark = backend.expectOne('/api/detection/actions/mark-spam');
    expect(mark.request.body).toEqual({ number: '905321112233' });
    mark.flush({
      kind: 'spam_number',
      value: '905321112233',
      note: null,
      source: 'user',
      created_by_email: 'a@b',
      created_at: '2026-11-24T11:00:00Z',
    });
    const status = backend.expectOne('/api/detection/findings/1/status');
    expect(status.request.body).toEqual({ status: 'spam' });
    status.flush(finding('1', { status: 'spam' }));
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="alerts-notice"]')?.textContent).toContain('905321112233 spam olarak işaretlendi');
    expect(element.querySelector('[data-testid="alert-status"]')?.textContent).toContain('Spam');
    expect(element.querySelector('[data-testid="alert-mark-spam"]')).toBeNull();
    backend.verify();
  });
});

import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import type { DetectionCdrFlag } from '@velora/contracts';
import { ApiError } from '../../../core/http/api-error';
import { makeCdr } from '../../../../testing/cdr.fixtures';
import { provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { CdrFeedState, INITIAL_FEED_STATE } from '../cdr-feed.service';
import { LiveCdrCardComponent } from './live-cdr-card.component';

describe('LiveCdrCardComponent', () => {
  let fixture: ComponentFixture<LiveCdrCardComponent>;
  let element: HTMLElement;

  const loaded = (overrides: Partial<CdrFeedState> = {}): CdrFeedState => ({
    ...INITIAL_FEED_STATE,
    rows: [
      makeCdr({ id: '1', caller: '905321234567', callee: '14155550123', direction: 'inbound', status: 'completed', duration: 125, country: 'TR', city: 'İstanbul' }),
      makeCdr({ id: '2', caller: '1001', callee: '05329876543', direction: 'outbound', status: 'failed', duration: 0, country: null, city: null }),
      makeCdr({ id: '3', direction: 'outbound', status: 'busy', duration: 3725 }),
    ],
    total: 3,
    lastUpdated: new Date('2026-11-24T10:03:12.000Z'),
    viewKey: '{}',
    ...overrides,
  });

  async function render(state: CdrFeedState): Promise<void> {
    fixture.componentRef.setInput('state', state);
    await fixture.whenStable();
  }

  const rows = (): HTMLElement[] => Array.from(element.querySelectorAll<HTMLElement>('tr[mat-row]'));
  const text = (selector: string): string => element.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? '';

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [LiveCdrCardComponent],
      providers: [provideTestTransloco('tr'), provideTestIcons(), provideRouter([])],
    });
    fixture = TestBed.createComponent(LiveCdrCardComponent);
    fixture.componentRef.setInput('locale', 'tr-TR');
    element = fixture.nativeElement as HTMLElement;
    await render(INITIAL_FEED_STATE);
  });

  it('shows the Turkish title, the refresh button and no data yet', () => {
    expect(text('mat-card-title')).toBe('Gerçek Zamanlı Çağrı Görünümü (Live)');
    expect(text('[data-testid="refresh-button"]')).toBe('Yenile');
    expect(text('[data-testid="last-updated"]')).toBe('Henüz güncellenmedi');
    expect(rows()).toHaveLength(0);
  });

  it('renders one row per CDR with formatted numbers, direction, status chip, place and duration', async () => {
    await render(loaded());
    const [first, second, third] = rows();
    expect(rows()).toHaveLength(3);
    const cells = (row: HTMLElement | undefined) =>
      Array.from(row?.querySelectorAll('td') ?? []).map((td) => td.textContent.replace(/\s+/g, ' ').trim());
    expect(cells(first)).toEqual([
      new Intl.DateTimeFormat('tr-TR', { dateStyle: 'short', timeStyle: 'medium' }).format(new Date('2026-11-24T10:03:12.000Z')),
      '+90 532 123 45 67',
      '+1 415 555 0123',
      'Gelen',
      'Tamamlandı',
      'Türkiye · İstanbul',
      '2:05',
    ]);
    expect(cells(second).slice(1, 6)).toEqual(['1001', '+90 532 987 65 43', 'Giden', 'Başarısız', '—']);
    expect(cells(third)[6]).toBe('1:02:05');

    const chip = first.querySelector('vl-status-chip .chip');
    expect(chip?.getAttribute('data-status')).toBe('completed');
    expect(second.querySelector('vl-status-chip .chip')?.getAttribute('data-status')).toBe('failed');
    expect(first.querySelector('.direction mat-icon svg')).not.toBeNull();
    expect(text('[data-testid="last-updated"]')).toContain('Son güncelleme:');
  });

  it('shows the view’s columns in their order, and times in the view’s zone', async () => {
    fixture.componentRef.setInput('columns', ['status', 'start_time', 'caller']);
    fixture.componentRef.setInput('timeZone', 'Asia/Kolkata');
    await render(loaded());
    const headers = Array.from(element.querySelectorAll('th[mat-header-cell]')).map((th) => th.textContent.trim());
    expect(headers).toEqual(['Durum', 'Tarih / saat', 'Arayan']);
    const cells = Array.from(rows()[0].querySelectorAll('td')).map((td) => td.textContent.replace(/\s+/g, ' ').trim());
    expect(cells).toEqual([
      'Tamamlandı',
      new Intl.DateTimeFormat('tr-TR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Kolkata' }).format(new Date('2026-11-24T10:03:12.000Z')),
      '+90 532 123 45 67',
    ]);
  });

  it('shows a capped total as "10.000+" and nothing when the total is exact', async () => {
    await render(loaded());
    expect(element.querySelector('[data-testid="total-capped"]')).toBeNull();
    await render(loaded({ total: 10_000, totalExact: false }));
    expect(text('[data-testid="total-capped"]')).toBe('10.000+');
  });

  it('highlights only the rows that are new since the last refresh', async () => {
    await render(loaded({ newIds: new Set(['2']) }));
    expect(rows().map((row) => row.classList.contains('new-row'))).toEqual([false, true, false]);
    expect(rows()[1]?.getAttribute('data-new')).toBe('true');
  });

  it('keeps the table readable with a progress bar while reloading', async () => {
    await render(loaded({ loading: true }));
    expect(element.querySelector('mat-progress-bar')).not.toBeNull();
    expect(rows()).toHaveLength(3);
    await render(loaded({ loading: false }));
    expect(element.querySelector('mat-progress-bar')).toBeNull();
  });

  it('shows a non-blocking error banner and keeps the last rows', async () => {
    const error = new ApiError('network', 0, 'errors.network', 'x');
    await render(loaded({ error }));
    const banner = element.querySelector('[data-testid="error-banner"]');
    expect(banner?.getAttribute('role')).toBe('alert');
    expect(banner?.textContent).toContain('Sunucuya ulaşılamıyor');
    expect(banner?.textContent).toContain('son veriler gösteriliyor');
    expect(rows()).toHaveLength(3);
    expect(text('[data-testid="refresh-button"]')).toBe('Yenile');

    await render(loaded({ error: null }));
    expect(element.querySelector('[data-testid="error-banner"]')).toBeNull();
  });

  it('shows the server field messages of a 400', async () => {
    const error = new ApiError('bad_request', 400, 'errors.bad_request', 'x', ['from must be an ISO 8601 date']);
    await render(loaded({ error }));
    expect(text('[data-testid="error-banner"]')).toContain('from must be an ISO 8601 date');
  });

  it('warns that the switch is down while showing stored rows', async () => {
    await render(
      loaded({
        switchHealth: {
          state: 'down',
          details: { status: 'down', cause: 'unreachable', latency_ms: null },
        },
      }),
    );
    const banner = text('[data-testid="switch-banner"]');
    expect(banner).toContain('Santrale (SippySoft) ulaşılamıyor');
    expect(banner).toContain('Sunucuya ulaşılamıyor');
    expect(rows()).toHaveLength(3);
  });

  it('emits refresh when "Yenile" is clicked and is disabled while paused', async () => {
    const refresh = jest.fn();
    fixture.componentInstance.refresh.subscribe(refresh);
    await render(loaded());
    element.querySelector<HTMLButtonElement>('[data-testid="refresh-button"]')?.click();
    expect(refresh).toHaveBeenCalledTimes(1);

    await render(loaded({ paused: true }));
    expect(element.querySelector<HTMLButtonElement>('[data-testid="refresh-button"]')?.disabled).toBe(true);
    expect(text('[data-testid="last-updated"]')).toContain('duraklatıldı');
  });

  it('shows an empty state after a successful load without rows', async () => {
    await render(loaded({ rows: [], total: 0 }));
    expect(text('[data-testid="empty-state"]')).toBe('Bu görünüm için çağrı kaydı yok.');
  });

  it('switches labels to English at runtime', async () => {
    await render(loaded());
    TestBed.inject(TranslocoService).setActiveLang('en');
    await fixture.whenStable();
    expect(text('mat-card-title')).toBe('Live Call View');
    expect(text('[data-testid="refresh-button"]')).toBe('Refresh');
    expect(rows()[0]?.textContent).toContain('Inbound');
    expect(rows()[0]?.textContent).toContain('Completed');
  });

  it('on a phone shows each call as a compact card: time, caller → callee, status, country, duration', async () => {
    fixture.componentRef.setInput('compact', true);
    await render(loaded());
    expect(rows()).toHaveLength(0);
    const cards = Array.from(element.querySelectorAll<HTMLElement>('[data-testid="cdr-cards"] li'));
    expect(cards).toHaveLength(3);
    const first = cards[0].textContent.replace(/\s+/g, ' ').trim();
    expect(first).toContain('+90 532 123 45 67');
    expect(first).toContain('2:05');
    expect(first).toContain('Türkiye · İstanbul');
    expect(cards[0].querySelector('vl-status-chip')).not.toBeNull();
    expect(cards[0].getAttribute('tabindex')).toBe('0');
    expect(cards[0].dataset['cdrId']).toBe('1');
  });

  it('badges a row with its findings and unfolds the reasons in the UI language', async () => {
    const flag: DetectionCdrFlag = {
      cdr_id: '2',
      level: 'crit',
      findings: [
        { id: '7', rule: 'fan_out', level: 'crit', subject: '1001', status: 'open', reason_en: '1001 called 42 distinct numbers in 10 min', reason_tr: '1001 10 dk içinde 42 farklı numarayı aradı' },
      ],
    };
    fixture.componentRef.setInput('flags', new Map([['2', flag]]));
    fixture.componentRef.setInput('language', 'tr');
    await render(loaded());
    const badges = element.querySelectorAll<HTMLButtonElement>('[data-testid="finding-badge"]');
    expect(badges).toHaveLength(1);
    expect(badges[0].closest('tr')?.getAttribute('data-cdr-id')).toBe('2');
    expect(badges[0].classList).toContain('crit');
    expect(element.querySelector('[data-testid="finding-reasons"]')).toBeNull();
    badges[0].click();
    await fixture.whenStable();
    expect(text('[data-testid="finding-reasons"]')).toBe('1001 10 dk içinde 42 farklı numarayı aradı');
    expect(badges[0].getAttribute('aria-expanded')).toBe('true');
    fixture.componentRef.setInput('language', 'en');
    await fixture.whenStable();
    expect(text('[data-testid="finding-reasons"]')).toBe('1001 called 42 distinct numbers in 10 min');
    // the numbers link to their page
    expect(rows()[1].querySelector('a.number-link')?.getAttribute('href')).toBe('/numbers/1001');
  });
});

import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Insight, InsightNarrative } from '@velora/contracts';
import { LanguageService } from '../../../core/i18n/language.service';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import type { InsightList } from './insights-api.service';
import { InsightsPanelComponent } from './insights-panel.component';

const HOUR = { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', local: '2026-11-24T13:00', tz: 'Europe/Istanbul' };

function insight(id: number, overrides: Partial<Insight> = {}): Insight {
  return {
    id,
    kind: 'traffic_spike',
    severity: 'critical',
    subject: { type: 'country', country_code: 'DE' },
    currency: null,
    hour: HOUR,
    metric: 'calls',
    observed: 60,
    expected: 10,
    band: { low: 0, high: 22.65 },
    score: 15.8,
    evidence: { calls: 1234, answered: 36, history: [10, 10, 10], history_weeks: 3 },
    message: {
      en: 'Traffic spike to Germany (DE) at Tue 24 Nov, 13:00: 60 calls, usually 10 (normal up to 23).',
      tr: 'Almanya (DE) yönünde trafik artışı, 24 Kas Sal 13:00: 60 çağrı, olağan 10 (normal üst sınır 23).',
    },
    filter: { from: HOUR.from, to: HOUR.to, country: 'DE' },
    created_at: '2026-11-24T11:00:05.000Z',
    updated_at: '2026-11-24T11:00:05.000Z',
    ...overrides,
  };
}

function list(items: Insight[], history = { since: '2026-10-01T00:00:00.000Z', weeks: 7, required_weeks: 3 }): InsightList {
  return { from: '2026-11-23T11:30:00.000Z', to: '2026-11-24T11:30:00.000Z', tz: 'Europe/Istanbul', history, items };
}

const NARRATIVE: InsightNarrative = {
  date: '2026-11-23',
  tz: 'Europe/Istanbul',
  lang: 'tr',
  text: 'Dün 153 çağrı vardı.',
  source: 'llm',
  model: 'gpt-4o-mini',
  note: null,
  generated_at: '2026-11-24T02:00:00.000Z',
  facts: {
    date: '2026-11-23',
    tz: 'Europe/Istanbul',
    day: { calls: 153, answered: 69, asr: 45.1, acd: 90, billed_minutes: 153, cost: [] },
    previous_day: { calls: 40, answered: 30, asr: 75, acd: 80, billed_minutes: 40, cost: [] },
    change_pct: { calls: 282.5, answered: 130, asr: -39.9, billed_minutes: 282.5 },
    busiest_hour: { local: '13:00', calls: 153 },
    top_destinations: [],
    insights: [],
  },
};

describe('InsightsPanelComponent', () => {
  let fixture: ComponentFixture<InsightsPanelComponent>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function render(): Promise<void> {
    TestBed.configureTestingModule({
      imports: [InsightsPanelComponent],
      providers: [provideRouter([]), provideTestHttp(), provideTestTransloco('tr'), provideTestIcons()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(InsightsPanelComponent);
    fixture.componentRef.setInput('locale', 'tr-TR');
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  const text = (selector: string): string => element.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  const rows = (): HTMLElement[] => [...element.querySelectorAll<HTMLElement>('[data-testid="insight"]')];

  async function answerList(body: InsightList): Promise<void> {
    const request = http.expectOne((r) => r.url === '/api/insights');
    expect(request.request.params.get('limit')).toBe('50');
    request.flush(body);
    await fixture.whenStable();
  }

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  it('lists the insights in the active language, each linked to exactly its calls', async () => {
    await render();
    expect(text('[data-testid="insights-panel"]')).toContain('İçgörüler yükleniyor');
    await answerList(
      list([
        insight(1),
        insight(2, {
          kind: 'asr_drop',
          severity: 'warning',
          subject: { type: 'all', country_code: null },
          filter: { from: HOUR.from, to: HOUR.to },
        }),
      ]),
    );

    expect(rows().map((r) => [r.dataset['severity'], r.dataset['kind'], r.dataset['subject']])).toEqual([
      ['critical', 'traffic_spike', 'DE'],
      ['warning', 'asr_drop', 'all'],
    ]);
    expect(rows()[0].querySelector('.kind')?.textContent.trim()).toBe('Trafik artışı');
    expect(rows()[0].querySelector('.message')?.textContent).toContain('Almanya (DE) yönünde trafik artışı');
    expect(rows()[0].querySelector('mat-icon')?.getAttribute('aria-label')).toBe('Kritik');
    const link = rows()[0].querySelector<HTMLAnchorElement>('[data-testid="insight-calls"]');
    expect(link?.textContent.trim()).toBe('1.234 çağrıyı göster');
    const href = new URL(link?.getAttribute('href') ?? '', 'http://x');
    expect(href.pathname).toBe('/voip-crm');
    expect(Object.fromEntries(href.searchParams)).toEqual({ from: HOUR.from, to: HOUR.to, country: 'DE' });
    expect(new URL(rows()[1].querySelector('a')?.getAttribute('href') ?? '', 'http://x').searchParams.has('country')).toBe(false);

    TestBed.inject(LanguageService).use('en');
    await fixture.whenStable();
    expect(rows()[0].querySelector('.message')?.textContent).toContain('Traffic spike to Germany (DE)');
    expect(rows()[1].querySelector('.kind')?.textContent.trim()).toBe('ASR drop');
    TestBed.inject(LanguageService).use('tr');
  });

  it('shows four, then all on request', async () => {
    await render();
    await answerList(list([1, 2, 3, 4, 5, 6].map((id) => insight(id))));
    expect(rows()).toHaveLength(4);
    const more = element.querySelector<HTMLButtonElement>('[data-testid="insights-more"]');
    expect(more?.textContent.trim()).toBe('Tümünü göster (6)');
    more?.click();
    await fixture.whenStable();
    expect(rows()).toHaveLength(6);
    expect(more?.getAttribute('aria-expanded')).toBe('true');
    expect(more?.textContent.trim()).toBe('Daha az göster');
  });

  it('says when there is not enough history yet, and when there is nothing to report', async () => {
    await render();
    await answerList(list([], { since: '2026-11-20T00:00:00.000Z', weeks: 0, required_weeks: 3 }));
    expect(text('[data-testid="insights-learning"]')).toBe('İçgörüler 3 haftalık çağrı geçmişinden sonra başlar (şu an 0 hafta).');
    element.querySelector<HTMLButtonElement>('button.refresh')?.click();
    await answerList(list([]));
    expect(text('[data-testid="insights-empty"]')).toBe('Son 24 saatte olağan dışı bir durum yok.');
  });

  it('keeps the last insights when a refresh fails and shows why', async () => {
    await render();
    await answerList(list([insight(1)]));
    element.querySelector<HTMLButtonElement>('button.refresh')?.click();
    http.expectOne((r) => r.url === '/api/insights').flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();
    expect(rows()).toHaveLength(1);
    expect(element.querySelector('[data-testid="insights-error"]')?.getAttribute('aria-label')).toBe('Sunucu hatası (HTTP 500).');
  });

  it('loads the narrative only when opened, in the active language, with its source and note', async () => {
    await render();
    await answerList(list([]));
    http.expectNone((r) => r.url === '/api/insights/narrative');
    element.querySelector<HTMLButtonElement>('[data-testid="narrative-toggle"]')?.click();
    await fixture.whenStable();
    expect(text('[data-testid="narrative"]')).toBe('Özet hazırlanıyor…');
    const tr = http.expectOne((r) => r.url === '/api/insights/narrative');
    expect(tr.request.params.get('lang')).toBe('tr');
    expect(tr.request.params.has('date')).toBe(false);
    tr.flush(NARRATIVE);
    await fixture.whenStable();
    expect(text('[data-testid="narrative-text"]')).toBe('Dün 153 çağrı vardı.');
    expect(text('[data-testid="narrative-source"]')).toBe('2026-11-23 · bir dil modeli yazdı (gpt-4o-mini)');
    expect(element.querySelector('[data-testid="narrative-note"]')).toBeNull();

    TestBed.inject(LanguageService).use('en');
    await fixture.whenStable();
    const en = http.expectOne((r) => r.url === '/api/insights/narrative');
    expect(en.request.params.get('lang')).toBe('en');
    en.flush({
      ...NARRATIVE,
      lang: 'en',
      text: 'Monday: 153 calls.',
      source: 'builtin',
      model: null,
      note: {
        code: 'llm_timeout',
        en: 'The language model did not answer in time; this is the built-in summary.',
        tr: 'Dil modeli zamanında yanıt vermedi.',
      },
    });
    await fixture.whenStable();
    expect(text('[data-testid="narrative-text"]')).toBe('Monday: 153 calls.');
    expect(text('[data-testid="narrative-source"]')).toBe('2026-11-23 · built-in summary');
    expect(text('[data-testid="narrative-note"]')).toBe('The language model did not answer in time; this is the built-in summary.');

    // closed: a language change asks for nothing
    element.querySelector<HTMLButtonElement>('[data-testid="narrative-toggle"]')?.click();
    TestBed.inject(LanguageService).use('tr');
    await fixture.whenStable();
    http.expectNone((r) => r.url === '/api/insights/narrative');
    expect(element.querySelector('[data-testid="narrative"]')).toBeNull();
  });

  it('shows a failed narrative as an error', async () => {
    await render();
    await answerList(list([]));
    element.querySelector<HTMLButtonElement>('[data-testid="narrative-toggle"]')?.click();
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/insights/narrative').flush({ message: 'x' }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="narrative"] [role="alert"]')).not.toBeNull();
  });
});

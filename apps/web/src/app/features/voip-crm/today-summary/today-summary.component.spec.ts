import { TestBed } from '@angular/core/testing';
import { makeSummary } from '../../../../testing/cdr.fixtures';
import { provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { TodaySummaryComponent, formatCost } from './today-summary.component';

describe('TodaySummaryComponent', () => {
  async function render(summary: ReturnType<typeof makeSummary> | null, locale: string) {
    TestBed.configureTestingModule({
      imports: [TodaySummaryComponent],
      providers: [provideTestTransloco('tr'), provideTestIcons()],
    });
    const fixture = TestBed.createComponent(TodaySummaryComponent);
    fixture.componentRef.setInput('summary', summary);
    fixture.componentRef.setInput('locale', locale);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    return (metric: string) =>
      element.querySelector(`[data-metric="${metric}"] .value`)?.textContent.replace(/\s/g, ' ').trim();
  }

  it('formats the metrics with Turkish conventions', async () => {
    const value = await render(makeSummary(), 'tr-TR');
    expect(value('calls')).toBe('1.234');
    expect(value('answered')).toBe('%80');
    expect(value('avgDuration')).toBe('1:35');
    expect(value('cost')).toBe('₺1.234,50');
  });

  it('shows dashes before the first answer and for days without calls', async () => {
    const value = await render(null, 'tr-TR');
    expect(value('calls')).toBe('—');
    TestBed.resetTestingModule();
    const empty = await render(makeSummary({ calls: 0, answered_pct: null, avg_duration: null, total_cost: 0 }), 'en-US');
    expect(empty('calls')).toBe('0');
    expect(empty('answered')).toBe('—');
    expect(empty('avgDuration')).toBe('—');
  });

  it('formats costs with and without a currency', () => {
    expect(formatCost(12.5, 'USD', 'en-US')).toBe('$12.50');
    expect(formatCost(12.5, null, 'en-US')).toBe('12.50');
    expect(formatCost(0.1234, 'credits', 'en-US')).toBe('0.1234 credits');
  });
});

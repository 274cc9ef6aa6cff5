import type { Insight } from '@velora/contracts';
import { insightEvent } from './insight-events.publisher';

const NOW = Date.parse('2026-11-24T11:30:00Z');

function insight(overrides: Partial<Insight> = {}): Insight {
  return {
    id: 7,
    kind: 'traffic_spike',
    severity: 'critical',
    subject: { type: 'country', country_code: 'DE' },
    currency: null,
    hour: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', local: '2026-11-24T13:00', tz: 'Europe/Istanbul' },
    metric: 'calls',
    observed: 60,
    expected: 10,
    band: { low: 0, high: 22.65 },
    score: 15.8,
    evidence: { calls: 60, answered: 36, history: [10, 10, 10], history_weeks: 3 },
    message: { en: 'Traffic spike to Germany', tr: 'Almanya yönünde trafik artışı' },
    filter: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', country: 'DE' },
    created_at: '2026-11-24T11:05:00.000Z',
    updated_at: '2026-11-24T11:05:00.000Z',
    ...overrides,
  };
}

describe('insightEvent', () => {
  it('maps critical to crit and warning to warn, with aggregates only', () => {
    expect(insightEvent(insight(), NOW, 2)).toEqual({
      type: 'insight',
      level: 'crit',
      data: {
        id: 7,
        kind: 'traffic_spike',
        severity: 'critical',
        country_code: 'DE',
        hour: '2026-11-24T10:00:00.000Z',
        message_en: 'Traffic spike to Germany',
        message_tr: 'Almanya yönünde trafik artışı',
        filter: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', country: 'DE' },
      },
    });
    expect(insightEvent(insight({ severity: 'warning' }), NOW, 2)?.level).toBe('warn');
  });

  it('never alerts for informational insights', () => {
    expect(insightEvent(insight({ severity: 'info' }), NOW, 2)).toBeNull();
  });

  it('alerts for hours ended within the settle window + 1 h, not for back-filled history', () => {
    const hourEnding = (to: string): Partial<Insight> => ({
      hour: { from: new Date(Date.parse(to) - 3_600_000).toISOString(), to, local: '', tz: 'UTC' },
    });
    // settle 2 h: hours that ended at 08:30 or later alert at 11:30
    expect(insightEvent(insight(hourEnding('2026-11-24T09:00:00.000Z')), NOW, 2)).not.toBeNull();
    expect(insightEvent(insight(hourEnding('2026-11-24T08:00:00.000Z')), NOW, 2)).toBeNull();
    expect(insightEvent(insight(hourEnding('2026-11-20T11:00:00.000Z')), NOW, 2)).toBeNull();
  });
});

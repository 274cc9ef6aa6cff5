import type { RollupCell } from '../insights.repository';
import { builtinNarrative } from './builtin-narrative';
import { buildNarrativeFacts, dayTotals } from './narrative-facts';

const cell = (bucket: string, country: string, calls: number, answered: number, cost = 0, currency = ''): RollupCell => ({
  bucket: new Date(bucket),
  country_code: country,
  currency,
  calls,
  answered,
  answered_duration_sum: answered * 90,
  answered_duration_count: answered,
  billed_sum: answered * 120,
  cost_sum: cost,
  cost_count: cost > 0 ? calls : 0,
});

const DAY = [
  cell('2026-11-24T10:00:00Z', 'DE', 60, 36),
  cell('2026-11-24T10:00:00Z', 'TR', 20, 12, 10, 'TRY'),
  cell('2026-11-24T11:00:00Z', 'TR', 10, 5, 5.5, 'TRY'),
  cell('2026-11-24T11:00:00Z', 'GB', 10, 6, 2, 'GBP'),
  cell('2026-11-24T11:00:00Z', '', 5, 0),
];
const PREVIOUS = [cell('2026-11-23T09:00:00Z', 'TR', 40, 30, 20, 'TRY')];

const facts = buildNarrativeFacts({
  date: '2026-11-24',
  tz: 'Europe/Istanbul',
  cells: DAY,
  previousCells: PREVIOUS,
  insights: [
    {
      kind: 'traffic_spike',
      severity: 'critical',
      countryCode: 'DE',
      hour: new Date('2026-11-24T10:00:00Z'),
      metric: 'calls',
      observed: 60,
      expected: 10,
      currency: null,
    },
    {
      kind: 'asr_drop',
      severity: 'warning',
      countryCode: null,
      hour: new Date('2026-11-24T11:00:00Z'),
      metric: 'asr',
      observed: 52.5,
      expected: 67.5,
      currency: null,
    },
  ],
});

describe('narrative facts', () => {
  it('sums the day, keeps currencies apart and finds the busiest hour and top destinations', () => {
    expect(facts.day).toEqual({
      calls: 105,
      answered: 59,
      asr: 56.19,
      acd: 90,
      billed_minutes: 118,
      cost: [
        { currency: 'TRY', amount: 15.5 },
        { currency: 'GBP', amount: 2 },
      ],
    });
    expect(facts.change_pct).toEqual({ calls: 162.5, answered: 96.7, asr: -25.1, billed_minutes: 96.7 });
    expect(facts.busiest_hour).toEqual({ local: '13:00', calls: 80 });
    expect(facts.top_destinations.map((t) => [t.country_code, t.calls])).toEqual([
      ['DE', 60],
      ['TR', 30],
      ['GB', 10],
    ]);
    expect(facts.insights[1]).toEqual({
      kind: 'asr_drop',
      severity: 'warning',
      country_code: null,
      hour_local: '2026-11-24T14:00',
      metric: 'asr',
      observed: 52.5,
      expected: 67.5,
      currency: null,
    });
  });

  it('never reports a cost in a malformed currency', () => {
    expect(dayTotals([cell('2026-11-24T10:00:00Z', 'TR', 1, 1, 3, 'credits')]).cost).toEqual([]);
  });
});

describe('built-in narrative', () => {
  it('summarises the day in English', () => {
    expect(builtinNarrative(facts, 'en')).toBe(
      'Tuesday, 24 November 2026 (Europe/Istanbul): 105 calls, 162.5% more than the day before (40). ' +
        '59 were answered (ASR 56.2%, the day before 75.0%); an answered call lasted 90 s on average; 118.0 billed minutes. ' +
        'Cost: 15.50 TRY, 2.00 GBP. The busiest hour was 13:00 with 80 calls. ' +
        'Top destinations: Germany (DE) 60 (ASR 60.0%), Türkiye (TR) 30 (ASR 56.7%), United Kingdom (GB) 10 (ASR 60.0%). ' +
        'Insights (1 critical, 1 warning): traffic spike Germany (DE) at 13:00 (60, usually 10); ASR drop all destinations at 14:00 (52.5%, usually 67.5%).',
    );
  });

  it('summarises the day in Turkish, with Turkish number formats', () => {
    expect(builtinNarrative(facts, 'tr')).toBe(
      '24 Kasım 2026 Salı (Europe/Istanbul): 105 çağrı, önceki güne (40) göre %162,5 daha fazla. ' +
        '59 çağrı cevaplandı (ASR %56,2, önceki gün %75,0); cevaplanan bir çağrı ortalama 90 sn sürdü; 118,0 faturalanan dakika. ' +
        'Maliyet: 15,50 TRY, 2,00 GBP. En yoğun saat 13:00 (80 çağrı). ' +
        'Başlıca hedefler: Almanya (DE) 60 (ASR %60,0), Türkiye (TR) 30 (ASR %56,7), Birleşik Krallık (GB) 10 (ASR %60,0). ' +
        'İçgörüler (1 kritik, 1 uyarı): Almanya (DE) 13:00 trafik artışı (60, olağan 10); tüm hedefler 14:00 ASR düşüşü (%52,5, olağan %67,5).',
    );
  });

  it('says so when there were no calls, and is deterministic', () => {
    const empty = buildNarrativeFacts({ date: '2026-11-25', tz: 'Europe/Istanbul', cells: [], previousCells: DAY, insights: [] });
    expect(builtinNarrative(empty, 'en')).toBe(
      'No calls were recorded on Wednesday, 25 November 2026 (Europe/Istanbul); the day before had 105.',
    );
    expect(builtinNarrative(empty, 'tr')).toBe(
      '25 Kasım 2026 Çarşamba (Europe/Istanbul) günü hiç çağrı kaydedilmedi; önceki gün 105 çağrı vardı.',
    );
    expect(builtinNarrative(facts, 'tr')).toBe(builtinNarrative(facts, 'tr'));
  });
});

import type { Cdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { acd, asr, deltaPct, isAnswered, metricsOf, ner, peakConcurrent, toMetrics, EMPTY_SUMS } from './report-metrics';

const at = (iso: string, seconds: number): Pick<Cdr, 'start_time' | 'end_time'> => ({
  start_time: iso,
  end_time: new Date(Date.parse(iso) + seconds * 1000).toISOString(),
});
const ok = (d: number, o: Partial<Cdr> = {}): Cdr => makeCdr({ status: 'completed', result: 0, duration: d, billed_duration: Math.ceil(d / 60) * 60, ...o });
const fail = (status: Cdr['status'], result: number, o: Partial<Cdr> = {}): Cdr =>
  makeCdr({ status, result, sip_code: result > 0 ? result : null, duration: 0, billed_duration: 0, cost: 0, ...o });

describe('report metrics (docs/reports.md)', () => {
  it('answered = completed with a positive duration', () => {
    expect(isAnswered(ok(1))).toBe(true);
    expect(isAnswered(ok(0))).toBe(false);
    expect(isAnswered(makeCdr({ status: 'completed', duration: null }))).toBe(false);
    expect(isAnswered(fail('busy', 486, { duration: 12 }))).toBe(false);
  });

  it('ASR, NER and ACD on a crafted set: 2 answered, busy, no answer ×2, cancelled, declined, 503, -20, result 0 without talk', () => {
    const cdrs = [
      ok(100, { cost: 0.5, currency: 'TRY' }),
      ok(50, { cost: 0.25, currency: 'TRY' }),
      fail('busy', 486),
      fail('no_answer', 480),
      fail('no_answer', 408),
      fail('cancelled', 487),
      fail('rejected', 603),
      fail('failed', 503),
      fail('rejected', -20),
      fail('completed', 0),
    ];
    const m = metricsOf(cdrs);
    expect(m).toMatchObject({ calls: 10, answered: 2, failed: 8, asr: 20, ner: 70, acd: 75, billed_minutes: 3, talk_minutes: 2.5 });
    expect(m.cost).toEqual([{ currency: 'TRY', amount: 0.75 }]);
  });

  it('keeps currencies apart, biggest first, and ignores missing costs', () => {
    const m = metricsOf([ok(10, { cost: 1, currency: 'USD' }), ok(10, { cost: 2, currency: 'EUR' }), ok(10, { cost: null, currency: 'TRY' }), ok(10, { cost: 0.5, currency: 'USD' })]);
    expect(m.cost).toEqual([
      { currency: 'EUR', amount: 2 },
      { currency: 'USD', amount: 1.5 },
    ]);
  });

  it('averages the PDD the switch sent and is null without any', () => {
    const pdd = new Map<string, number>();
    const a = ok(10);
    const b = fail('busy', 486);
    pdd.set(a.id, 1).set(b.id, 2.5);
    expect(metricsOf([a, b, ok(5)], (c) => pdd.get(c.id) ?? null).avg_pdd).toBe(1.75);
    expect(metricsOf([a, b]).avg_pdd).toBeNull();
  });

  it('has no ratios without calls or answered calls', () => {
    expect(toMetrics(EMPTY_SUMS)).toMatchObject({ calls: 0, asr: null, ner: null, acd: null, avg_pdd: null, billed_minutes: 0, peak_concurrent: 0 });
    expect(acd({ answered: 0, talk_seconds: 0 })).toBeNull();
    expect(asr({ calls: 3, answered: 1 })).toBe(33.33);
    expect(ner({ calls: 3, answered: 1, user_failures: 1 })).toBe(66.67);
  });

  it('peak concurrency: overlap of [start, end); a call ending when another starts does not overlap it', () => {
    expect(peakConcurrent([at('2026-11-24T10:00:00Z', 100), at('2026-11-24T10:00:30Z', 120), at('2026-11-24T10:01:30Z', 30)])).toBe(3);
    expect(peakConcurrent([at('2026-11-24T10:00:00Z', 60), at('2026-11-24T10:01:00Z', 60)])).toBe(1);
    expect(peakConcurrent([at('2026-11-24T10:00:00Z', 0), { start_time: null, end_time: null }])).toBe(0);
  });

  it('delta %: relative change, null against zero', () => {
    expect(deltaPct(9, 2)).toBe(350);
    expect(deltaPct(1, 2)).toBe(-50);
    expect(deltaPct(1, 0)).toBeNull();
    expect(deltaPct(null, 2)).toBeNull();
    expect(deltaPct(33.33, 50)).toBe(-33.3);
  });
});

import { ceilHour, floorHour, hourWindows, nextDailyRun, previousDay, zonedInstant } from './reconcile-time';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('reconcile time', () => {
  it('splits a range into UTC hours', () => {
    const from = Date.parse('2026-11-24T21:00:00Z');
    expect(hourWindows(from, from + 3 * 3_600_000).map(([a, b]) => [iso(a), iso(b)])).toEqual([
      ['2026-11-24T21:00:00.000Z', '2026-11-24T22:00:00.000Z'],
      ['2026-11-24T22:00:00.000Z', '2026-11-24T23:00:00.000Z'],
      ['2026-11-24T23:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ]);
    expect(hourWindows(from, from)).toEqual([]);
    expect(iso(floorHour(Date.parse('2026-11-24T21:59:59Z')))).toBe('2026-11-24T21:00:00.000Z');
    expect(iso(ceilHour(Date.parse('2026-11-24T21:00:01Z')))).toBe('2026-11-24T22:00:00.000Z');
  });

  it('finds the next 03:30 in Istanbul: today while it is ahead, else tomorrow', () => {
    const at = { hour: 3, minute: 30 };
    // 2026-11-25 00:10 UTC = 03:10 Istanbul → 03:30 the same day (00:30 UTC)
    expect(iso(nextDailyRun(Date.parse('2026-11-25T00:10:00Z'), at, 'Europe/Istanbul'))).toBe('2026-11-25T00:30:00.000Z');
    // exactly at 03:30 → tomorrow
    expect(iso(nextDailyRun(Date.parse('2026-11-25T00:30:00Z'), at, 'Europe/Istanbul'))).toBe('2026-11-26T00:30:00.000Z');
    // 22:00 UTC is already the next day (01:00) in Istanbul
    expect(iso(nextDailyRun(Date.parse('2026-11-24T22:00:00Z'), at, 'Europe/Istanbul'))).toBe('2026-11-25T00:30:00.000Z');
  });

  it('follows daylight saving time (Berlin, the night of the spring change)', () => {
    const at = { hour: 3, minute: 30 };
    // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST; 03:30 CEST = 01:30 UTC
    expect(iso(nextDailyRun(Date.parse('2026-03-28T23:00:00Z'), at, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    // the day after: still 01:30 UTC (CEST), the day before: 02:30 UTC (CET)
    expect(iso(nextDailyRun(Date.parse('2026-03-29T02:00:00Z'), at, 'Europe/Berlin'))).toBe('2026-03-30T01:30:00.000Z');
    expect(iso(nextDailyRun(Date.parse('2026-03-27T12:00:00Z'), at, 'Europe/Berlin'))).toBe('2026-03-28T02:30:00.000Z');
    expect(iso(zonedInstant({ y: 2026, m: 2, d: 29 }, 0, 0, 'Europe/Berlin'))).toBe('2026-03-28T23:00:00.000Z');
  });

  it('gives yesterday as whole UTC hours in the zone', () => {
    // 03:30 Istanbul on 25 Nov → yesterday = 24 Nov 00:00 +03 .. 25 Nov 00:00 +03
    expect(previousDay(Date.parse('2026-11-25T00:30:00Z'), 'Europe/Istanbul')).toEqual({
      from: Date.parse('2026-11-23T21:00:00Z'),
      to: Date.parse('2026-11-24T21:00:00Z'),
    });
    expect(previousDay(Date.parse('2026-11-25T00:30:00Z'), 'UTC')).toEqual({
      from: Date.parse('2026-11-24T00:00:00Z'),
      to: Date.parse('2026-11-25T00:00:00Z'),
    });
    // the spring-forward day in Berlin has 23 hours
    const berlin = previousDay(Date.parse('2026-03-30T01:30:00Z'), 'Europe/Berlin');
    expect((berlin.to - berlin.from) / 3_600_000).toBe(23);
    // Kolkata (+05:30): widened outwards to whole hours (25 windows)
    const kolkata = previousDay(Date.parse('2026-11-25T06:00:00Z'), 'Asia/Kolkata');
    expect([iso(kolkata.from), iso(kolkata.to)]).toEqual(['2026-11-23T18:00:00.000Z', '2026-11-24T19:00:00.000Z']);
  });
});

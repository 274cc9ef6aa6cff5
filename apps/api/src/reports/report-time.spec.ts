import { estimateBuckets, hourAligned, isValidTimeZone, previousPeriod, zoneOffsetMinutes } from './report-time';

describe('report time zones and buckets', () => {
  it.each(['Europe/Istanbul', 'UTC', 'Asia/Kolkata', 'America/Argentina/Buenos_Aires', 'Etc/GMT+3'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', '+03:00', 'EST', '', 'Europe/Istanbul; drop table', 42, null, 'a'.repeat(70)])('refuses %p', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });

  it('reuses one formatter per zone across offset look-ups (hourAligned asks every 6 hours of a range)', () => {
    const spy = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      expect(hourAligned('Asia/Kathmandu', new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(hourAligned('America/Halifax', new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).toBe(true);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(2); // one per zone at most (a zone cached by an earlier test: 0)
    } finally {
      spy.mockRestore();
    }
  });

  it('offsets: Istanbul +3, Kolkata +5:30, Berlin +1 in winter and +2 in summer', () => {
    expect(zoneOffsetMinutes('Europe/Istanbul', new Date('2026-11-24T10:00:00Z'))).toBe(180);
    expect(zoneOffsetMinutes('Asia/Kolkata', new Date('2026-11-24T10:00:00Z'))).toBe(330);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2026-01-10T10:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2026-07-10T10:00:00Z'))).toBe(120);
  });

  it('hour alignment decides whether hourly UTC rollups can answer hour buckets', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-04-30T00:00:00Z');
    expect(hourAligned('Europe/Istanbul', from, to)).toBe(true);
    expect(hourAligned('Europe/Berlin', from, to)).toBe(true); // DST changes by whole hours
    expect(hourAligned('Asia/Kolkata', from, to)).toBe(false);
    expect(hourAligned('Asia/Kathmandu', from, to)).toBe(false);
  });

  it('counts buckets and finds the previous period', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const to = new Date('2026-11-02T00:00:00Z');
    expect(estimateBuckets('hour', from, to)).toBe(25);
    expect(estimateBuckets('day', from, to)).toBe(2);
    expect(previousPeriod(from, to)).toEqual({ from: new Date('2026-10-31T00:00:00Z'), to: from });
  });
});

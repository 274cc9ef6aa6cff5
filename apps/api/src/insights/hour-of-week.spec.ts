import {
  hourOfWeek,
  isCalendarDate,
  localDate,
  localDateTime,
  localDayRange,
  localMidnight,
  previousDay,
  sameHourInEarlierWeeks,
} from './hour-of-week';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

describe('hour of the week', () => {
  it('counts from Monday 00:00 local time', () => {
    // Tuesday 2026-11-24 13:00 in Istanbul (UTC+3) = 10:00Z
    expect(hourOfWeek(new Date('2026-11-24T10:00:00Z'), 'Europe/Istanbul')).toBe(24 + 13);
    expect(hourOfWeek(new Date('2026-11-24T10:00:00Z'), 'UTC')).toBe(24 + 10);
    // Sunday 23:00 local is the last hour
    expect(hourOfWeek(new Date('2026-11-29T20:00:00Z'), 'Europe/Istanbul')).toBe(167);
    expect(localDateTime(new Date('2026-11-24T10:00:00Z'), 'Europe/Istanbul')).toBe('2026-11-24T13:00');
    expect(localDate(new Date('2026-11-24T21:30:00Z'), 'Europe/Istanbul')).toBe('2026-11-25');
  });

  it('goes back whole weeks in a zone without daylight saving time', () => {
    const weeks = sameHourInEarlierWeeks(new Date('2026-11-24T10:00:00Z'), 'Europe/Istanbul', 3);
    expect(weeks.map(iso)).toEqual(['2026-11-03T10:00:00.000Z', '2026-11-10T10:00:00.000Z', '2026-11-17T10:00:00.000Z']);
  });

  it('follows the wall clock across a DST change (Berlin, 29 March 2026)', () => {
    // Tuesday 31 March 2026 10:00 CEST = 08:00Z; a week earlier 10:00 CET = 09:00Z
    const weeks = sameHourInEarlierWeeks(new Date('2026-03-31T08:00:00Z'), 'Europe/Berlin', 2);
    expect(weeks.map(iso)).toEqual(['2026-03-17T09:00:00.000Z', '2026-03-24T09:00:00.000Z']);
    // Sunday 5 April 02:00 CEST: the week before, 02:00 did not exist (clocks went from 02:00 to 03:00)
    expect(sameHourInEarlierWeeks(new Date('2026-04-05T00:00:00Z'), 'Europe/Berlin', 1)).toEqual([null]);
  });
});

describe('local days', () => {
  it('checks calendar dates', () => {
    expect(isCalendarDate('2026-11-24')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-1-24')).toBe(false);
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
  });

  it('finds local midnight and the day range, 23 hours long on the spring DST day', () => {
    expect(localMidnight('2026-11-24', 'Europe/Istanbul').toISOString()).toBe('2026-11-23T21:00:00.000Z');
    const day = localDayRange('2026-03-29', 'Europe/Berlin');
    expect(day.from.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(day.to.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const kolkata = localDayRange('2026-11-24', 'Asia/Kolkata');
    expect(kolkata.from.toISOString()).toBe('2026-11-23T18:30:00.000Z');
    expect(kolkata.to.getTime() - kolkata.from.getTime()).toBe(24 * 3_600_000);
  });
});

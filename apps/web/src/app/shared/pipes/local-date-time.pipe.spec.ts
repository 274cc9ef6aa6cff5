import { LocalDateTimePipe, formatLocalDateTime } from './local-date-time.pipe';

describe('formatLocalDateTime', () => {
  const instant = '2026-11-24T10:03:12.000Z';

  it('formats in Turkish with the given time zone (Istanbul is UTC+3)', () => {
    expect(formatLocalDateTime(instant, 'tr-TR', 'datetime', 'Europe/Istanbul')).toBe('24.11.2026 13:03:12');
    expect(formatLocalDateTime(instant, 'tr-TR', 'time', 'Europe/Istanbul')).toBe('13:03:12');
  });

  it('formats in US English', () => {
    expect(formatLocalDateTime(instant, 'en-US', 'datetime', 'UTC')).toMatch(/^11\/24\/26,? 10:03:12\sAM$/);
  });

  it('uses the browser time zone by default (TZ of this test run)', () => {
    const expected = new Intl.DateTimeFormat('tr-TR', { dateStyle: 'short', timeStyle: 'medium' }).format(
      new Date(instant),
    );
    expect(new LocalDateTimePipe().transform(instant, 'tr-TR')).toBe(expected);
  });

  it.each([null, undefined, '', 'not a date'])('renders %j as an em dash', (value) => {
    expect(formatLocalDateTime(value, 'tr-TR')).toBe('—');
  });
});

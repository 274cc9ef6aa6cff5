import { ZonedTime } from './zoned-time';
import { formatWallClock, neutralizeFormula } from './export-sink';

describe('ZonedTime', () => {
  it('renders instants as wall-clock time in the zone, across DST changes and half-hour offsets', () => {
    const berlin = new ZonedTime('Europe/Berlin');
    expect(berlin.format(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29 01:59:59'); // CET
    expect(berlin.format(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29 03:00:00'); // CEST from 01:00Z
    expect(berlin.format(new Date('2026-10-25T00:59:59.250Z'))).toBe('2026-10-25 02:59:59.250');
    expect(berlin.format(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25 02:00:00');
    expect(new ZonedTime('Asia/Kolkata').format(new Date('2026-11-24T10:00:00Z'))).toBe('2026-11-24 15:30:00');
    expect(new ZonedTime('Asia/Kathmandu').format(new Date('2026-11-24T10:00:00Z'))).toBe('2026-11-24 15:45:00');
    expect(new ZonedTime('Europe/Istanbul').day(new Date('2026-11-23T21:00:00Z'))).toBe('2026-11-24');
  });

  it('writes wall-clock dates for CSV and neutralizes formulas but not phone numbers', () => {
    expect(formatWallClock(new Date(Date.UTC(2026, 10, 24, 13, 0, 0)))).toBe('2026-11-24 13:00:00');
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('-cmd')).toBe("'-cmd");
    expect(neutralizeFormula('+905321234567')).toBe('+905321234567');
    expect(neutralizeFormula('-20')).toBe('-20');
    expect(neutralizeFormula('Busy Here')).toBe('Busy Here');
  });
});

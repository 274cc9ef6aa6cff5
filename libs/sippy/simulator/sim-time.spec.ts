import { formatSippyTime, parseSippyTime } from '../src/time/sippy-time';
import { formatSimTime, parseSimTime } from './sim-time';

describe('simulator time format (b)', () => {
  it('formats UTC with C-locale names, zero padding and a literal .000', () => {
    expect(formatSimTime(Date.UTC(2026, 3, 7, 9, 57, 29, 873))).toBe('09:57:29.000 GMT Tue Apr 07 2026');
    expect(formatSimTime(Date.UTC(2009, 10, 18, 0, 0, 0))).toBe('00:00:00.000 GMT Wed Nov 18 2009');
  });

  it('parses exactly format (b) and rejects everything else', () => {
    expect(parseSimTime('10:00:00.000 GMT Tue Nov 24 2026')).toBe(Date.UTC(2026, 10, 24, 10));
    for (const bad of [
      '20261124T10:00:00',
      '2026-11-24T10:00:00Z',
      '10:00:00 GMT Tue Nov 24 2026',
      '10:00:00.000 UTC Tue Nov 24 2026',
      '10:00:00.000 GMT Mon Nov 24 2026', // wrong weekday
      '10:00:00.000 GMT Tue Nov 31 2026', // no such day
      '24:00:00.000 GMT Tue Nov 24 2026',
      '10:00:00.000 GMT Tue nov 24 2026',
      '',
    ]) {
      expect(parseSimTime(bad)).toBeNull();
    }
  });

  it('agrees with the client library (two independent implementations)', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 86_400_000 + 3_601_000) {
      const text = formatSimTime(t);
      expect(formatSippyTime(new Date(t))).toBe(text);
      expect(parseSippyTime(text)?.getTime()).toBe(Math.floor(t / 1000) * 1000);
      expect(parseSimTime(text)).toBe(Math.floor(t / 1000) * 1000);
    }
  });
});

import fc from 'fast-check';

import { parseSippyTime, SIPPY_MONTHS, SIPPY_WEEKDAYS } from './sippy-time';

/*
 * parseSippyTime reads format (b) exactly as Sippy writes it (`09:57:29.000 GMT Wed Nov 18 2009`,
 * 32 characters) by position, and everything else with the tolerant RegExp. The same text with
 * one more space before the year is not canonical, so it goes the RegExp way: both must give the
 * same result for every combination of parts, valid or not (Feb 29, month names in any case,
 * hour 24, a made-up weekday…).
 */
const SEED = 0xfa57;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const parts = fc.record({
  hour: fc.integer({ min: 0, max: 25 }),
  minute: fc.integer({ min: 0, max: 61 }),
  second: fc.integer({ min: 0, max: 61 }),
  ms: fc.integer({ min: 0, max: 999 }),
  weekday: fc.constantFrom(...SIPPY_WEEKDAYS, 'sun', 'TUE', 'Xyz', 'W3d'),
  month: fc.constantFrom(...SIPPY_MONTHS, 'nov', 'DEC', 'Abc', 'N0v'),
  day: fc.integer({ min: 0, max: 32 }),
  year: fc.integer({ min: 0, max: 9999 }),
});

describe(`parseSippyTime: the canonical format (b) path agrees with the RegExp path (seed ${SEED})`, () => {
  it('for every combination of parts', () => {
    fc.assert(
      fc.property(parts, ({ hour, minute, second, ms, weekday, month, day, year }) => {
        const head = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)} GMT ${weekday} ${month} ${pad(day, 2)}`;
        const canonical = `${head} ${pad(year, 4)}`;
        const viaRegExp = `${head}  ${pad(year, 4)}`; // two spaces: not the canonical layout
        expect(canonical).toHaveLength(32);
        expect(parseSippyTime(canonical)?.getTime() ?? null).toBe(parseSippyTime(viaRegExp)?.getTime() ?? null);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('reads Sippy times exactly (UTC, milliseconds kept, years below 100 not moved to the 1900s)', () => {
    expect(parseSippyTime('09:57:29.000 GMT Wed Nov 18 2009')?.toISOString()).toBe('2009-11-18T09:57:29.000Z');
    expect(parseSippyTime('23:59:59.999 GMT Fri Dec 31 9999')?.toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(parseSippyTime('00:00:00.000 GMT Sat Jan 01 0050')?.toISOString()).toBe('0050-01-01T00:00:00.000Z');
    expect(parseSippyTime('10:00:00.000 GMT Thu Feb 29 2024')?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(parseSippyTime('10:00:00.000 GMT Thu Feb 29 2023')).toBeNull();
    expect(parseSippyTime('24:00:00.000 GMT Thu Feb 01 2024')).toBeNull();
    expect(parseSippyTime('10:00:00.000 GMT Xyz Feb 01 2024')).toBeNull();
  });
});

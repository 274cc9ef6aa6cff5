import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import {
  EPOCH_MILLIS_THRESHOLD,
  SIPPY_MONTHS,
  SIPPY_WEEKDAYS,
  formatSippyTime,
  parseSippyTime,
  toIsoUtc,
} from './sippy-time';

const utc = (iso: string): Date => new Date(iso);
const iso = (value: unknown): string | null => toIsoUtc(value);

/** Dates Sippy can express: years 1000-9999, whole milliseconds. */
const sippyDates = fc.date({
  min: new Date('1000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('formatSippyTime', () => {
  it.each([
    ['2009-11-18T09:57:29.000Z', '09:57:29.000 GMT Wed Nov 18 2009'],
    ['2026-04-07T09:57:29.000Z', '09:57:29.000 GMT Tue Apr 07 2026'],
    ['2026-11-24T10:00:00.000Z', '10:00:00.000 GMT Tue Nov 24 2026'],
    ['2026-11-24T11:00:00.000Z', '11:00:00.000 GMT Tue Nov 24 2026'],
    ['2024-02-29T23:59:59.000Z', '23:59:59.000 GMT Thu Feb 29 2024'],
    ['2025-12-31T23:59:59.000Z', '23:59:59.000 GMT Wed Dec 31 2025'],
    ['2026-01-01T00:00:00.000Z', '00:00:00.000 GMT Thu Jan 01 2026'],
    ['2026-03-01T00:00:00.000Z', '00:00:00.000 GMT Sun Mar 01 2026'],
    ['2026-06-05T07:08:09.000Z', '07:08:09.000 GMT Fri Jun 05 2026'],
    ['2026-08-15T12:00:00.000Z', '12:00:00.000 GMT Sat Aug 15 2026'],
    ['2026-09-14T12:00:00.000Z', '12:00:00.000 GMT Mon Sep 14 2026'],
    ['0999-05-03T01:02:03.000Z', '01:02:03.000 GMT Fri May 03 0999'],
  ])('%s → %s', (input, expected) => {
    expect(formatSippyTime(utc(input))).toBe(expected);
  });

  it('truncates milliseconds instead of rounding (never moves past the instant or a day boundary)', () => {
    expect(formatSippyTime(utc('2025-12-31T23:59:59.999Z'))).toBe('23:59:59.000 GMT Wed Dec 31 2025');
    expect(formatSippyTime(utc('2026-11-24T10:03:12.500Z'))).toBe('10:03:12.000 GMT Tue Nov 24 2026');
  });

  it('throws a RangeError on an invalid Date', () => {
    expect(() => formatSippyTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatSippyTime(new Date('not a date'))).toThrow('invalid Date');
  });

  it('throws a RangeError when the year does not fit %Y', () => {
    const big = new Date(0);
    big.setUTCFullYear(10000, 0, 1);
    expect(() => formatSippyTime(big)).toThrow(RangeError);
    expect(() => formatSippyTime(new Date(-8.64e15))).toThrow(RangeError);
  });

  it('throws a TypeError for a non-Date (untyped callers)', () => {
    expect(() => formatSippyTime('2026-01-01' as unknown as Date)).toThrow(TypeError);
  });

  it('matches the documented shape for any date (property)', () => {
    fc.assert(
      fc.property(sippyDates, (date) => {
        const text = formatSippyTime(date);
        expect(text).toMatch(
          /^\d{2}:\d{2}:\d{2}\.000 GMT (Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4}$/,
        );
        expect(text.slice(17, 20)).toBe(SIPPY_WEEKDAYS[date.getUTCDay()]);
      }),
    );
  });
});

describe('parseSippyTime — format (b)', () => {
  it.each([
    ['09:57:29.000 GMT Wed Nov 18 2009', '2009-11-18T09:57:29.000Z'],
    ['09:57:29.000 GMT Tue Apr 07 2026', '2026-04-07T09:57:29.000Z'],
    ['10:03:12.000 GMT Tue Nov 24 2026', '2026-11-24T10:03:12.000Z'],
    ['10:05:07.000 GMT Tue Nov 24 2026', '2026-11-24T10:05:07.000Z'],
    // single-digit day, no fraction, extra spaces, surrounding whitespace
    ['10:05:07 GMT Tue Nov 3 2026', '2026-11-03T10:05:07.000Z'],
    ['  10:05:07.000   GMT  Tue   Nov  3   2026 ', '2026-11-03T10:05:07.000Z'],
    ['\t10:05:07.000 GMT\tTue Nov 03 2026\n', '2026-11-03T10:05:07.000Z'],
    // single-digit hour
    ['9:57:29.000 GMT Wed Nov 18 2009', '2009-11-18T09:57:29.000Z'],
    // fractions other than .000 are honoured, sub-millisecond digits truncated
    ['09:57:29.123 GMT Wed Nov 18 2009', '2009-11-18T09:57:29.123Z'],
    ['09:57:29.5 GMT Wed Nov 18 2009', '2009-11-18T09:57:29.500Z'],
    ['09:57:29.123999 GMT Wed Nov 18 2009', '2009-11-18T09:57:29.123Z'],
    // case-insensitive names, UTC instead of GMT, no zone
    ['09:57:29.000 gmt WED NOV 18 2009', '2009-11-18T09:57:29.000Z'],
    ['09:57:29.000 UTC Wed Nov 18 2009', '2009-11-18T09:57:29.000Z'],
    ['09:57:29.000 Wed Nov 18 2009', '2009-11-18T09:57:29.000Z'],
    // leap day and year boundaries
    ['12:00:00.000 GMT Thu Feb 29 2024', '2024-02-29T12:00:00.000Z'],
    ['12:00:00.000 GMT Tue Feb 29 2000', '2000-02-29T12:00:00.000Z'],
    ['23:59:59.000 GMT Wed Dec 31 2025', '2025-12-31T23:59:59.000Z'],
    ['00:00:00.000 GMT Thu Jan 01 2026', '2026-01-01T00:00:00.000Z'],
    ['00:00:00.000 GMT Thu Jan 01 1970', '1970-01-01T00:00:00.000Z'],
  ])('%j → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('accepts a weekday that disagrees with the date (the date is the source of truth)', () => {
    // 2026-11-24 is a Tuesday.
    expect(iso('10:03:12.000 GMT Fri Nov 24 2026')).toBe('2026-11-24T10:03:12.000Z');
  });

  it.each([
    ['10:03:12.000 GMT Xyz Nov 24 2026', 'invalid weekday'],
    ['10:03:12.000 GMT Tue Foo 24 2026', 'invalid month name'],
    ['10:03:12.000 GMT Tue Nov 31 2026', 'Nov 31'],
    ['10:03:12.000 GMT Sun Feb 29 2026', 'Feb 29 in a common year'],
    ['12:00:00.000 GMT Thu Feb 29 1900', 'Feb 29 in 1900 (not a leap year)'],
    ['10:03:12.000 GMT Tue Nov 00 2026', 'day 0'],
    ['25:03:12.000 GMT Tue Nov 24 2026', 'hour 25'],
    ['24:00:00.000 GMT Tue Nov 24 2026', 'hour 24'],
    ['10:60:12.000 GMT Tue Nov 24 2026', 'minute 60'],
    ['10:03:60.000 GMT Tue Nov 24 2026', 'second 60'],
    ['10:03:12.000 GMT Tue Nov 24 26', 'two-digit year'],
    ['10:03:12.000 EST Tue Nov 24 2026', 'a zone other than GMT/UTC'],
    ['10:03:12.000 GMT Tuesday Nov 24 2026', 'full weekday name'],
    ['10:03:12.000 GMT Tue Nov 24 2026 extra', 'trailing text'],
    ['Tue Nov 24 2026 10:03:12 GMT+0000', 'JS Date#toString'],
    ['Tue, 24 Nov 2026 10:03:12 GMT', 'RFC 1123 is not a Sippy format'],
  ])('%j → null (%s)', (input) => {
    expect(parseSippyTime(input)).toBeNull();
  });
});

describe('parseSippyTime — format (a) and ISO 8601', () => {
  it.each([
    ['20210822T10:11:52.000', '2021-08-22T10:11:52.000Z'],
    ['20210822T10:11:52', '2021-08-22T10:11:52.000Z'],
    ['20210822T10:11:52.5', '2021-08-22T10:11:52.500Z'],
    ['20210822T101152', '2021-08-22T10:11:52.000Z'],
    ['20210822T10:11:52Z', '2021-08-22T10:11:52.000Z'],
    ['20210822T10:11:52+03:00', '2021-08-22T07:11:52.000Z'],
    ['20240229T00:00:00', '2024-02-29T00:00:00.000Z'],
    ['2026-11-24T10:03:12.000Z', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24T10:03:12Z', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24t10:03:12z', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24T13:03:12+03:00', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24T13:03:12+0300', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24T15:33:12.250+05:30', '2026-11-24T10:03:12.250Z'],
    ['2026-11-24T05:03:12-05:00', '2026-11-24T10:03:12.000Z'],
    ['2026-01-01T01:00:00+03:00', '2025-12-31T22:00:00.000Z'],
    ['2026-11-24T10:03', '2026-11-24T10:03:00.000Z'],
    ['2026-11-24T10:03:12', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    // PostgreSQL text output
    ['2026-11-24 10:03:12', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24 10:03:12+00', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24 13:03:12+03', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24 10:03:12.123456+00', '2026-11-24T10:03:12.123Z'],
    ['2026-11-24 15:33:12+05:30', '2026-11-24T10:03:12.000Z'],
    ['2026-11-24 10:03:12 UTC', '2026-11-24T10:03:12.000Z'],
  ])('%j → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it.each([
    '20211322T10:11:52', // month 13
    '20210230T10:11:52', // Feb 30
    '20210822T25:11:52', // hour 25
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29',
    '2026-11-24T25:00:00Z',
    '2026-11-24T10:03:12+19:00', // offset beyond ±18 h
    '2026-11-24T10:03:12+03:75',
    '2026-11-24T10:03:12 PST',
    '2026/11/24 10:03:12',
    '24.11.2026 10:03',
    'yesterday',
    'NaN',
  ])('%j → null', (input) => {
    expect(parseSippyTime(input)).toBeNull();
  });
});

describe('parseSippyTime — other inputs', () => {
  it.each([null, undefined, '', '   ', true, {}, [], Symbol('x'), () => 1])('%p → null', (input) => {
    expect(parseSippyTime(input)).toBeNull();
  });

  it('returns a copy of a valid Date and null for an invalid one', () => {
    const source = utc('2026-11-24T10:03:12.345Z');
    const parsed = parseSippyTime(source);
    expect(parsed).toEqual(source);
    expect(parsed).not.toBe(source);
    expect(parseSippyTime(new Date('garbage'))).toBeNull();
  });

  it('reads epoch seconds below the threshold and milliseconds above it', () => {
    expect(iso(1764000000)).toBe('2025-11-24T16:00:00.000Z');
    expect(iso('1764000000')).toBe('2025-11-24T16:00:00.000Z');
    expect(iso(1764000000.5)).toBe('2025-11-24T16:00:00.500Z');
    expect(iso('1764000000.25')).toBe('2025-11-24T16:00:00.250Z');
    expect(iso(1764000000123)).toBe('2025-11-24T16:00:00.123Z');
    expect(iso('1764000000123')).toBe('2025-11-24T16:00:00.123Z');
    expect(iso(BigInt(1764000000))).toBe('2025-11-24T16:00:00.000Z');
    expect(iso(EPOCH_MILLIS_THRESHOLD - 1)).toBe(new Date((EPOCH_MILLIS_THRESHOLD - 1) * 1000).toISOString());
    expect(iso(EPOCH_MILLIS_THRESHOLD)).toBe(new Date(EPOCH_MILLIS_THRESHOLD).toISOString());
  });

  it('treats 0, negatives, non-finite and out-of-range epochs as "no time"', () => {
    for (const value of [0, -1, '-1764000000', '0', Number.NaN, Infinity, -Infinity, 9e15, '1e400']) {
      expect(parseSippyTime(value)).toBeNull();
    }
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withBigInt: true, withMap: true, withSet: true }), (value) => {
        const result = parseSippyTime(value);
        expect(result === null || (result instanceof Date && !Number.isNaN(result.getTime()))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        const result = parseSippyTime(value);
        expect(result === null || !Number.isNaN(result.getTime())).toBe(true);
      }),
    );
  });

  it('never throws on strings shaped like Sippy times with random parts (property)', () => {
    const word = fc.constantFrom(...SIPPY_WEEKDAYS, ...SIPPY_MONTHS, 'Xyz', 'Ab');
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99), word, word, fc.nat(99), fc.integer({ min: 0, max: 9999 })),
        ([h, m, s, w, mo, d, y]) => {
          const text = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.000 GMT ${w} ${mo} ${d} ${String(y).padStart(4, '0')}`;
          const result = parseSippyTime(text);
          if (result !== null) {
            expect(result.getUTCHours()).toBe(h);
            expect(result.getUTCDate()).toBe(d);
            expect(result.getUTCFullYear()).toBe(y);
          }
        },
      ),
    );
  });
});

describe('round trips (property)', () => {
  it('parse(format(d)) equals d truncated to the second', () => {
    fc.assert(
      fc.property(sippyDates, (date) => {
        const expected = Math.floor(date.getTime() / 1000) * 1000;
        expect(parseSippyTime(formatSippyTime(date))?.getTime()).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('format(parse(s)) equals s for canonical format (b) strings', () => {
    fc.assert(
      fc.property(sippyDates, (date) => {
        const text = formatSippyTime(date);
        const parsed = parseSippyTime(text);
        expect(parsed).not.toBeNull();
        expect(formatSippyTime(parsed as Date)).toBe(text);
      }),
    );
  });

  it('ISO, format (a), PostgreSQL text and epoch ms all parse back to the same instant', () => {
    fc.assert(
      fc.property(sippyDates, (date) => {
        const isoText = date.toISOString();
        const [day, time] = isoText.slice(0, -1).split('T');
        const compact = `${day.replace(/-/g, '')}T${time}`;
        expect(parseSippyTime(isoText)?.getTime()).toBe(date.getTime());
        expect(parseSippyTime(compact)?.getTime()).toBe(date.getTime());
        expect(parseSippyTime(`${day} ${time}+00`)?.getTime()).toBe(date.getTime());
        if (date.getTime() >= EPOCH_MILLIS_THRESHOLD) {
          expect(parseSippyTime(date.getTime())?.getTime()).toBe(date.getTime());
        }
      }),
    );
  });
});

describe('independence from process time zone and locale', () => {
  const source = readFileSync(join(__dirname, 'sippy-time.ts'), 'utf8');

  it('uses no local-time getters/setters, Date.parse or locale formatting', () => {
    const banned =
      /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)\(|getTimezoneOffset|Date\.parse|toLocale\w*String|Intl\./;
    expect(source).not.toMatch(banned);
  });

  it('formats and parses identically in a child process with TZ=Asia/Kolkata and a Turkish locale', () => {
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const script = `
      const m = {}; (function (exports) { ${js} })(m);
      const d = new Date(Date.UTC(2026, 0, 1, 0, 30, 0));
      process.stdout.write(JSON.stringify({
        offset: d.getTimezoneOffset(),
        formatted: m.formatSippyTime(d),
        parsedB: m.toIsoUtc('00:30:00.000 GMT Thu Jan 01 2026'),
        parsedA: m.toIsoUtc('20260101T00:30:00'),
        parsedPg: m.toIsoUtc('2026-01-01 00:30:00'),
      }));`;
    const child = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, TZ: 'Asia/Kolkata', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      offset: -330, // proves the child really runs in IST
      formatted: '00:30:00.000 GMT Thu Jan 01 2026',
      parsedB: '2026-01-01T00:30:00.000Z',
      parsedA: '2026-01-01T00:30:00.000Z',
      parsedPg: '2026-01-01T00:30:00.000Z',
    });
  });
});

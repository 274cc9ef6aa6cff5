import fc from 'fast-check';

import { formatSippyTime, parseSippyTime, SIPPY_MONTHS, SIPPY_WEEKDAYS, toIsoUtc } from './sippy-time';

/*
 * Property / fuzz tests for the Sippy time parser. The seed is fixed so a failure reproduces;
 * fast-check prints the counterexample and its path. Re-run one case with
 * `fc.assert(prop, { seed: SEED, path: '…' })`.
 */
const SEED = 0x5_1b_b1;
fc.configureGlobal({ seed: SEED, numRuns: 300 });

const MAX_DATE_MS = 8.64e15;
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** What parseSippyTime promises for any input: null, or a valid Date within the ECMAScript range. */
function expectNullOrValidDate(result: unknown): void {
  if (result === null) {
    return;
  }
  expect(result).toBeInstanceOf(Date);
  const time = (result as Date).getTime();
  expect(Number.isFinite(time)).toBe(true);
  expect(Math.abs(time)).toBeLessThanOrEqual(MAX_DATE_MS);
  expect(() => (result as Date).toISOString()).not.toThrow();
}

function parseNeverThrows(value: unknown): Date | null {
  let result: Date | null = null;
  expect(() => {
    result = parseSippyTime(value);
  }).not.toThrow();
  expectNullOrValidDate(result);
  return result;
}

/** `YYYYMMDDThh:mm:ss.SSS` (Sippy format (a)) of a Date, built from UTC getters. */
function compactIso(date: Date): string {
  return date.toISOString().replace(/-/g, '').replace(/Z$/, '');
}

const validDate = fc.date({ min: new Date(MIN_MS), max: new Date(MAX_MS), noInvalidDate: true });

/** Point mutations of a valid time string: insert, delete, replace, duplicate a slice, case flip. */
const mutatedTimeString = fc
  .tuple(
    validDate,
    fc.constantFrom<(d: Date) => string>(formatSippyTime, compactIso, (d) => d.toISOString()),
    fc.array(
      fc.tuple(
        fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'case'),
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([date, format, mutations]) => {
    let text = format(date);
    for (const [op, at, piece] of mutations) {
      const i = text.length === 0 ? 0 : at % text.length;
      switch (op) {
        case 'insert':
          text = text.slice(0, i) + piece + text.slice(i);
          break;
        case 'delete':
          text = text.slice(0, i) + text.slice(i + 1);
          break;
        case 'replace':
          text = text.slice(0, i) + piece + text.slice(i + piece.length);
          break;
        case 'duplicate':
          text = text.slice(0, i) + text.slice(i, i + 5) + text.slice(i);
          break;
        case 'case':
          text = text.slice(0, i) + text.slice(i).toUpperCase();
          break;
      }
    }
    return text;
  });

describe(`parseSippyTime fuzz (seed ${SEED})`, () => {
  it('never throws on arbitrary strings (grapheme, binary/full unicode, ascii)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme', maxLength: 60 }),
          fc.string({ unit: 'binary-ascii', maxLength: 60 }),
        ),
        (text) => {
          parseNeverThrows(text);
        },
      ),
    );
  });

  it('never throws on strings made of time-like characters', () => {
    // Random text from the alphabet the formats use hits the regexes far more often than noise.
    const timeChar = fc.constantFrom(...'0123456789:.-+TZ ,GMTUC\t\n'.split(''), 'Wed', 'Nov', 'GMT', 'UTC');
    fc.assert(
      fc.property(fc.array(timeChar, { maxLength: 40 }), (parts) => {
        parseNeverThrows(parts.join(''));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on any JS value (fc.anything with every option)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withBoxedValues: true,
          withObjectString: true,
          stringUnit: 'binary', // any code point (was withUnicodeString)
        }),
        (value) => {
          parseNeverThrows(value);
        },
      ),
    );
  });

  it('mutated valid Sippy/ISO times give null or a valid Date', () => {
    fc.assert(
      fc.property(mutatedTimeString, (text) => {
        parseNeverThrows(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('extreme numbers, bigints and numeric strings give null or a valid Date', () => {
    const extremes = fc.oneof(
      fc.double(),
      fc.double({ min: -1e17, max: 1e17 }),
      fc.constantFrom(
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        Number.MAX_VALUE,
        Number.MIN_VALUE,
        Number.MAX_SAFE_INTEGER,
        MAX_DATE_MS,
        MAX_DATE_MS + 1,
        1e11 - 1,
        1e11,
        8.64e12,
        8.64e12 + 1,
      ),
      fc.bigInt(),
      fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }),
    );
    fc.assert(
      fc.property(extremes, fc.boolean(), (value, asString) => {
        const result = parseNeverThrows(asString ? String(value) : value);
        const n = Number(value);
        if (!(n > 0)) {
          expect(result).toBeNull(); // 0, negatives, NaN: "no time" sentinels
        }
      }),
    );
  });

  it('400-digit and 1e400-like numeric strings are null, not Infinity dates', () => {
    for (const text of ['9'.repeat(400), `1${'0'.repeat(399)}`, '1e400', '-1e400', `0.${'0'.repeat(400)}1`]) {
      expect(parseSippyTime(text)).toBeNull();
    }
    expect(parseSippyTime(10n ** 400n)).toBeNull();
  });

  it('extreme years in every text format: a 4-digit year parses to that year, anything else is null', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -300_000, max: 300_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.constantFrom('b', 'a', 'iso'),
        (year, month, day, format) => {
          const yyyy = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
          const mm = String(month).padStart(2, '0');
          const dd = String(day).padStart(2, '0');
          const text =
            format === 'b'
              ? `12:34:56.000 GMT Mon ${SIPPY_MONTHS[month - 1]} ${dd} ${yyyy}`
              : format === 'a'
                ? `${yyyy}${mm}${dd}T12:34:56`
                : `${yyyy}-${mm}-${dd}T12:34:56Z`;
          const result = parseNeverThrows(text);
          if (/^\d{4}$/.test(yyyy)) {
            expect(result).not.toBeNull();
            expect(result?.getUTCFullYear()).toBe(year);
            expect(result?.getUTCMonth()).toBe(month - 1);
            expect(result?.getUTCDate()).toBe(day);
          } else {
            expect(result).toBeNull();
          }
        },
      ),
    );
  });

  it('round trip: formatSippyTime → parseSippyTime is the same instant, to the second (1970..9999)', () => {
    fc.assert(
      fc.property(validDate, (date) => {
        const parsed = parseSippyTime(formatSippyTime(date));
        expect(parsed?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
      { numRuns: 1000 },
    );
  });

  it('round trip: format (a) and ISO 8601 keep the milliseconds (1970..9999)', () => {
    fc.assert(
      fc.property(validDate, (date) => {
        expect(parseSippyTime(compactIso(date))?.getTime()).toBe(date.getTime());
        expect(parseSippyTime(date.toISOString())?.getTime()).toBe(date.getTime());
        expect(toIsoUtc(date.toISOString())).toBe(date.toISOString());
      }),
      { numRuns: 1000 },
    );
  });

  it('format (b) tolerance: case, surrounding/inner whitespace, zone and weekday do not change the instant', () => {
    fc.assert(
      fc.property(
        validDate,
        fc.constantFrom('GMT', 'UTC', 'gmt', ''),
        fc.constantFrom(...SIPPY_WEEKDAYS),
        fc.constantFrom(' ', '  ', '\t', ' \t '),
        fc.boolean(),
        (date, zone, weekday, gap, upper) => {
          const [time, , , month, day, year] = formatSippyTime(date).split(' ');
          const fields = [time, zone, weekday, month, day, year].filter((f) => f !== '');
          let text = `${gap}${fields.join(gap)}${gap}`;
          text = upper ? text.toUpperCase() : text.toLowerCase();
          expect(parseSippyTime(text)?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });

  it('long hostile strings are handled in linear time (no regex backtracking blow-up)', () => {
    // Shapes aimed at each pattern: a quadratic regex takes seconds on 100 000 characters, a
    // linear one a few milliseconds. Budget is generous for a busy CI machine.
    const n = 100_000;
    const hostile = [
      '1'.repeat(n),
      `${'1'.repeat(n)}x`,
      `1:11:11.${'1'.repeat(n)}x`,
      `2009-11-18 09:57:29.${'1'.repeat(n)}x`,
      `2009-11-18 09:57:29${' '.repeat(n)}x`,
      `20091118T09:57:29.${'9'.repeat(n)}+`,
      `09:57:29.000${' '.repeat(n)}GMT Wed Nov 18 2009x`,
      `${' \t'.repeat(n)}x${' '.repeat(n)}`,
      `${'.'.repeat(n)}1`,
      `+${'0'.repeat(n)}.`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      parseNeverThrows(text);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

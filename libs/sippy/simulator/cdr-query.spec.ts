import { CdrGenerator, type SimCall } from './cdr-generator';
import { CdrIndex, likeToRegExp, matchesCdrType } from './cdr-query';

describe('likeToRegExp (SQL LIKE)', () => {
  it.each([
    ['90532%', '905321234567', true],
    ['90532%', '905421234567', false],
    ['%4567', '905321234567', true],
    ['9053_1234567', '905321234567', true],
    ['9053_1234567', '9053221234567', false],
    ['905321234567', '905321234567', true],
    ['90532', '905321234567', false], // no implicit wildcard
    ['a.b', 'axb', false], // regex characters are literal
    ['50\\%', '50%', true],
    ['50\\%', '500', false],
    ['%', '', true],
  ])('%p matches %p: %p', (pattern, value, expected) => {
    expect(likeToRegExp(pattern).test(value)).toBe(expected);
  });
});

describe('matchesCdrType (§4.1 mapping)', () => {
  const cases: Array<[number, number]> = [
    [12.5, 0], // answered
    [0, 0], // answered with zero duration
    [0, 486], // failed
    [30, 408], // talk, then abnormal end
  ];
  it.each([
    ['all', [true, true, true, true]],
    ['non_zero', [true, false, false, true]],
    ['non_zero_and_errors', [true, false, true, true]],
    ['complete', [true, true, false, false]],
    ['incomplete', [false, false, true, true]],
    ['errors', [false, false, true, false]],
  ] as const)('%s', (type, expected) => {
    expect(cases.map(([d, r]) => matchesCdrType(type, d, r))).toEqual(expected);
  });
});

describe('CdrIndex', () => {
  const T = Date.UTC(2026, 10, 24, 12);
  const calls: SimCall[] = new CdrGenerator({ seed: 3, historyStart: T - 2 * 3_600_000 }).visibleAt(T);
  const index = new CdrIndex();
  // Insert in a scrambled order: the index must sort regardless.
  for (let i = 0; i < calls.length; i++) index.insert(calls[(i * 7919) % calls.length]);

  it('keeps every call, ordered by connect_time desc then i_cdr desc', () => {
    const all = index.query({ visibleAt: T, type: 'all', offset: 0 });
    expect(all).toHaveLength(calls.length);
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1];
      const b = all[i];
      expect(a.connectMs > b.connectMs || (a.connectMs === b.connectMs && a.iCdr > b.iCdr)).toBe(true);
    }
  });

  it('finds [from, to) windows like a linear scan', () => {
    const from = T - 90 * 60_000;
    const to = T - 30 * 60_000;
    const got = index.query({ visibleAt: T, type: 'all', offset: 0, from, to }).map((c) => c.iCdr);
    const expected = calls.filter((c) => c.connectMs >= from && c.connectMs < to).map((c) => c.iCdr);
    expect([...got].sort()).toEqual([...expected].sort());
    const edge = calls[3].connectMs;
    const inclusive = index.query({ visibleAt: T, type: 'all', offset: 0, to: edge, toInclusive: true });
    const exclusive = index.query({ visibleAt: T, type: 'all', offset: 0, to: edge });
    expect(inclusive.map((c) => c.iCdr)).toContain(calls[3].iCdr);
    expect(exclusive.map((c) => c.iCdr)).not.toContain(calls[3].iCdr);
  });

  it('hides CDRs written after visibleAt (clock moved back)', () => {
    const cut = calls[Math.floor(calls.length / 2)].writtenAtMs;
    const got = index.query({ visibleAt: cut, type: 'all', offset: 0 });
    expect(got.length).toBe(calls.filter((c) => c.writtenAtMs <= cut).length);
  });

  it('orders by i_cdr ascending on request', () => {
    const got = index.query({ visibleAt: T, type: 'all', offset: 0 }, 'i_cdr_asc').map((c) => c.iCdr);
    expect(got).toEqual(calls.map((c) => c.iCdr));
  });
});

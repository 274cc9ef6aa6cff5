import { CdrGenerator, billedSeconds, generateVisibleCalls, type CdrGeneratorOptions, type SimCall } from './cdr-generator';
import { accountCdrWire, DEFAULT_CDR_WIRE_FORMAT } from './cdr-records';
import { parseSimTime } from './sim-time';
import { serializeResponse, unwrapWire } from './xml-rpc-wire';

const T = Date.UTC(2026, 10, 24, 12, 0, 0); // Tue Nov 24 2026 12:00 UTC (15:00 in Turkey)
const HOUR = 3_600_000;
const base: CdrGeneratorOptions = { seed: 1234, historyStart: T - 12 * HOUR };

const FORMAT_B = /^\d{2}:\d{2}:\d{2}\.000 GMT (Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{4}$/;

function structs(calls: SimCall[]): Record<string, unknown>[] {
  return calls.map((c) => unwrapWire(accountCdrWire(c, DEFAULT_CDR_WIRE_FORMAT)) as Record<string, unknown>);
}

describe('CdrGenerator', () => {
  const visible = generateVisibleCalls(base, T);

  it('produces the same CDRs for the same seed, options and time', () => {
    expect(structs(generateVisibleCalls(base, T))).toEqual(structs(visible));
  });

  it('does not depend on how often the clock was read on the way (incremental = direct)', () => {
    const stepwise = new CdrGenerator(base);
    for (let t = base.historyStart; t < T; t += 7 * 60_000 + 13_000) stepwise.advanceTo(t);
    expect(structs(stepwise.visibleAt(T))).toEqual(structs(visible));
  });

  it('differs for a different seed', () => {
    const other = structs(generateVisibleCalls({ ...base, seed: 1235 }, T));
    const mine = structs(visible);
    expect(other.map((c) => c['call_id'])).not.toEqual(mine.map((c) => c['call_id']));
    expect(other.map((c) => c['cld'])).not.toEqual(mine.map((c) => c['cld']));
  });

  it('follows the requested rate (Poisson around callsPerMinute, shaped by the hour of day)', () => {
    const perMinute = visible.length / (12 * 60);
    expect(perMinute).toBeGreaterThan(3);
    expect(perMinute).toBeLessThan(12);
    const busy = generateVisibleCalls({ ...base, callsPerMinute: 30 }, T).length;
    expect(busy / visible.length).toBeGreaterThan(3.5);
    expect(busy / visible.length).toBeLessThan(6.5);
    expect(generateVisibleCalls({ ...base, callsPerMinute: 0 }, T)).toHaveLength(0);
  });

  it('creates nothing that starts before historyStart', () => {
    expect(visible.every((c) => c.setupMs >= base.historyStart)).toBe(true);
  });

  it('writes a CDR only when its call has ended, with i_cdr in write order', () => {
    expect(visible.every((c) => c.disconnectMs <= T)).toBe(true);
    for (let i = 1; i < visible.length; i++) {
      expect(visible[i].iCdr).toBe(visible[i - 1].iCdr + 1);
      expect(visible[i].writtenAtMs).toBeGreaterThanOrEqual(visible[i - 1].writtenAtMs);
    }
    expect(visible[0].iCdr).toBe(418_000_000);
  });

  it('delivers long calls late, with an old connect_time, and keeps earlier ids stable', () => {
    const gen = new CdrGenerator({ ...base, seed: 99 });
    const later = T + 3 * HOUR;
    const all = gen.visibleAt(later);
    const long = all.find((c) => c.duration > 1800 && c.disconnectMs > T && c.connectMs < T);
    expect(long).toBeDefined();
    if (!long) return;

    const before = new CdrGenerator({ ...base, seed: 99 });
    expect(before.visibleAt(long.disconnectMs - 1).some((c) => c.iCall === long.iCall)).toBe(false);
    const atEnd = before.visibleAt(long.disconnectMs);
    const arrived = atEnd.find((c) => c.iCall === long.iCall);
    expect(arrived?.iCdr).toBe(long.iCdr);
    // Written after CDRs of calls that connected long after it.
    expect(atEnd.some((c) => c.connectMs > long.connectMs && c.iCdr < long.iCdr)).toBe(true);
    // Ids of what was already visible do not change as time goes on.
    const earlier = new Map(atEnd.map((c) => [c.iCall, c.iCdr]));
    for (const c of all) if (earlier.has(c.iCall)) expect(c.iCdr).toBe(earlier.get(c.iCall));
  });

  it('sends the Sippy fields with the documented types', () => {
    // Every failed call plus a spread sample of the rest (keeps the test fast).
    const sample = visible.filter((c, i) => i % 10 === 0 || c.duration === 0);
    for (const cdr of structs(sample)) {
      expect(typeof cdr['i_account']).toBe('number');
      expect(Number.isInteger(cdr['i_cdr'])).toBe(true);
      expect(cdr['i_call']).toMatch(/^\d+$/);
      expect(typeof cdr['call_id']).toBe('string');
      for (const f of ['setup_time', 'connect_time', 'disconnect_time']) expect(cdr[f]).toMatch(FORMAT_B);
      expect(typeof cdr['duration']).toBe('number');
      expect(Number.isInteger(cdr['billed_duration'])).toBe(true);
      expect(typeof cdr['cost']).toBe('number');
      expect(cdr['country']).toMatch(/^[A-Z ]+$/);
      expect(['Mobile', 'Fixed', 'Special Services']).toContain(cdr['description']);
      expect(cdr['area_name'] === null || typeof cdr['area_name'] === 'string').toBe(true);
      expect(String(cdr['cld'])).toMatch(new RegExp(`^${String(cdr['prefix'])}\\d+$`));
      expect(['SIP', 'H.323']).toContain(cdr['protocol']);
      expect(Number.isInteger(cdr['result'])).toBe(true);
      expect(cdr['lrn_cld']).toBeNull();
      expect(cdr['lrn_cld_in']).toBeNull();
      expect(cdr['remote_party_id']).toBeNull();
      expect(['caller', 'callee', 'switch']).toContain(cdr['release_source']);
      expect(typeof cdr['user_agent']).toBe('string');
      const connect = parseSimTime(String(cdr['connect_time']));
      const disconnect = parseSimTime(String(cdr['disconnect_time']));
      expect(connect).not.toBeNull();
      expect(disconnect! - connect!).toBeGreaterThanOrEqual(Math.floor(Number(cdr['duration'])) * 1000 - 1000);
    }
  });

  it('has realistic Turkish and international numbers', () => {
    const clds = visible.map((c) => c.cld);
    expect(clds.some((n) => /^905[3-5]\d{8}$/.test(n))).toBe(true); // mobile 90 5xx xxx xx xx
    expect(clds.some((n) => /^90212\d{7}$/.test(n))).toBe(true); // Istanbul
    expect(clds.some((n) => /^90312\d{7}$/.test(n))).toBe(true); // Ankara
    const countries = new Set(visible.map((c) => c.country));
    for (const country of ['TURKEY', 'GERMANY', 'UNITED KINGDOM', 'AZERBAIJAN', 'RUSSIA']) expect(countries).toContain(country);
    const turkish = visible.filter((c) => c.country === 'TURKEY').length;
    expect(turkish / visible.length).toBeGreaterThan(0.5);
    // National format before translation, E.164 after.
    const mobile = visible.find((c) => !c.inbound && /^905/.test(c.cld));
    expect(mobile?.cldIn).toBe(`0${mobile?.cld.slice(2)}`);
  });

  it('mixes results: mostly answered, then busy/cancel/no-answer/errors and internal rejects', () => {
    const count = (pred: (c: SimCall) => boolean): number => visible.filter(pred).length;
    expect(count((c) => c.result === 0) / visible.length).toBeGreaterThan(0.55);
    for (const code of [486, 487, 480, 404, 503]) expect(count((c) => c.result === code)).toBeGreaterThan(0);
    expect(count((c) => c.result < 0)).toBeGreaterThan(0);
    // The `type` filters are all distinguishable.
    expect(count((c) => c.result === 0 && c.duration === 0)).toBeGreaterThan(0);
    expect(count((c) => c.result !== 0 && c.duration > 0)).toBeGreaterThan(0);
  });

  it('makes failed calls zero-length with connect_time = disconnect_time and no charge', () => {
    const failed = structs(visible.filter((c) => c.result !== 0 && c.duration === 0));
    expect(failed.length).toBeGreaterThan(0);
    for (const cdr of failed) {
      expect(cdr['duration']).toBe(0);
      expect(cdr['connect_time']).toBe(cdr['disconnect_time']);
      expect(cdr['billed_duration']).toBe(0);
      expect(cdr['cost']).toBe(0);
    }
  });

  it('has many short calls, a long tail, and nothing above maxCallSeconds', () => {
    const gen = generateVisibleCalls({ ...base, historyStart: T - 48 * HOUR, maxCallSeconds: 3600 }, T);
    const answered = gen.filter((c) => c.duration > 0).map((c) => c.duration);
    expect(answered.filter((d) => d < 10).length / answered.length).toBeGreaterThan(0.1);
    expect(answered.some((d) => d > 1800)).toBe(true);
    expect(Math.max(...answered)).toBeLessThanOrEqual(3600);
  });

  it('bills by intervals and rates by the destination tariff', () => {
    for (const c of visible) {
      expect(c.billedDuration).toBe(billedSeconds(c.duration, c.tariff.interval1, c.tariff.intervalN));
      if (c.billedDuration > 0 && c.planDuration === 0 && !c.inbound) {
        expect(c.cost).toBeCloseTo(c.tariff.connectFee + (c.billedDuration / 60) * c.tariff.price1, 4);
      }
    }
  });

  it('includes a minority of dialer bursts: one CLI, many very short calls to sequential numbers', () => {
    const gen = generateVisibleCalls({ ...base, historyStart: T - 48 * HOUR }, T);
    const spam = gen.filter((c) => c.spam);
    expect(spam.length).toBeGreaterThan(0);
    expect(spam.length / gen.length).toBeLessThan(0.05);
    expect(new Set(spam.map((c) => c.cli)).size).toBe(1);
    expect(spam.every((c) => c.duration <= 6)).toBe(true);
    const sorted = [...spam].sort((a, b) => a.setupMs - b.setupMs);
    const sequential = sorted.filter((c, i) => i > 0 && Number(c.cld) === Number(sorted[i - 1].cld) + 1).length;
    expect(sequential).toBeGreaterThan(spam.length / 2);
  });

  it('can start ids above 2^31 and sends them as <i8>', () => {
    const big = new CdrGenerator({ ...base, idStart: 2 ** 31 + 5 }).visibleAt(T);
    expect(big[0].iCdr).toBe(2 ** 31 + 5);
    const xml = serializeResponse(accountCdrWire(big[0], DEFAULT_CDR_WIRE_FORMAT));
    expect(xml).toContain(`<name>i_cdr</name><value><i8>${2 ** 31 + 5}</i8></value>`);
    expect(xml).toMatch(/<name>duration<\/name><value><double>[\d.]+<\/double><\/value>/);
  });

  it('addCall writes a CDR now, with explicit fields and the next i_cdr', () => {
    const gen = new CdrGenerator(base);
    const before = gen.visibleAt(T);
    const call = gen.addCall({ connect_time: T - 2 * HOUR, duration: 7200, cli: '905551112233', area_name: null }, T, (v) => Number(v));
    expect(call.iCdr).toBe(before[before.length - 1].iCdr + 1);
    expect(call.connectMs).toBe(T - 2 * HOUR);
    expect(call.disconnectMs).toBe(T);
    expect(call.billedDuration).toBeGreaterThanOrEqual(7200);
    expect(call.cost).toBeGreaterThan(0);
    expect(gen.visibleAt(T).at(-1)?.iCall).toBe(call.iCall);
    expect(() => gen.addCall({ i_cdr: 5 }, T, (v) => Number(v))).toThrow(/assigned by the simulator/);
    expect(() => gen.addCall({ i_account: 999999 }, T, (v) => Number(v))).toThrow(/unknown i_account/);
  });

  it('rejects bad options', () => {
    expect(() => new CdrGenerator({ historyStart: Number.NaN })).toThrow(RangeError);
    expect(() => new CdrGenerator({ historyStart: T, callsPerMinute: -1 })).toThrow(RangeError);
    expect(() => new CdrGenerator({ historyStart: T, idStart: 0 })).toThrow(RangeError);
  });
});

describe('billedSeconds', () => {
  it.each([
    [0, 60, 60, 0],
    [0.4, 60, 60, 60],
    [60, 60, 60, 60],
    [60.2, 60, 60, 120],
    [114.87, 60, 60, 120],
    [114.87, 1, 1, 115],
    [7, 30, 6, 30],
    [31, 30, 6, 36],
    [5, 6, 6, 6],
  ])('duration %p with intervals %p/%p bills %p s', (duration, i1, iN, expected) => {
    expect(billedSeconds(duration, i1, iN)).toBe(expected);
  });

  it('bills nothing inside the grace period', () => {
    expect(billedSeconds(4, 60, 60, 5)).toBe(0);
    expect(billedSeconds(6, 60, 60, 5)).toBe(60);
  });
});

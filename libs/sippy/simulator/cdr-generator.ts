import {
  ACCOUNTS,
  CUSTOMERS,
  DESTINATIONS,
  ROOT_CUSTOMER_ID,
  findAccount,
  findDestination,
  isNightInTurkey,
  trafficFactor,
  type Destination,
  type DestinationKind,
  type SimAccount,
} from './cdr-catalog';
import { Rng, mix32, seedToUint32 } from './random';

/**
 * Deterministic CDR traffic for the simulator.
 *
 * Time model: call *starts* are drawn per UTC minute from a PRNG seeded with (seed, minute), so the
 * calls of any minute depend only on the seed and that minute. A CDR is *written* (becomes
 * visible) when its call ends, like Sippy writing the CDR at session end; `i_cdr` is assigned in
 * write order (disconnect time, then i_call), like a database sequence. Hence the set visible at
 * time T depends only on (seed, options, T), and a long call appears late with an old connect_time.
 */

export interface CdrGeneratorOptions {
  /** PRNG seed (number or string). Default 1. */
  seed?: number | string;
  /** Mean call rate over a day; the hourly profile peaks in Turkish office hours. Default 6. */
  callsPerMinute?: number;
  /** First moment of traffic (epoch ms); calls that would start earlier do not exist. */
  historyStart: number;
  /** Longest possible call in seconds. Default 7200. */
  maxCallSeconds?: number;
  /** First `i_cdr` (default 418000000; pass a value above 2^31 to test 64-bit ids). */
  idStart?: number;
  /** First `i_call` (default idStart + 2675). */
  callIdStart?: number;
  /** Night-weighted dialer bursts (one CLI, many very short calls to sequential numbers). Default 4 per day. */
  spamBurstsPerDay?: number;
}

export type ReleaseSource = 'caller' | 'callee' | 'switch';

export interface SimTariff {
  accessibilityCost: number;
  gracePeriod: number;
  postCallSurcharge: number;
  connectFee: number;
  freeSeconds: number;
  interval1: number;
  intervalN: number;
  price1: number;
  priceN: number;
}

/** One call as the simulator stores it; the wire structs are built from this on demand. */
export interface SimCall {
  iCall: number;
  /** Assigned when the CDR is written. */
  iCdr: number;
  /** Row id in the per-customer rating table (sub-customer calls only). */
  iCdrsCustomer: number | null;
  iAccount: number;
  iCustomer: number;
  callId: string;
  cli: string;
  cld: string;
  cliIn: string;
  cldIn: string;
  setupMs: number;
  /** Whole seconds; for unanswered calls equal to disconnectMs's second. */
  connectMs: number;
  disconnectMs: number;
  /** When the CDR was written (becomes visible). disconnectMs for generated calls. */
  writtenAtMs: number;
  /** Seconds, fractional. 0 for unanswered calls. */
  duration: number;
  billedDuration: number;
  planDuration: number;
  cost: number;
  /** What the parent charged the sub-customer (getCustomerCDRs); null for root accounts. */
  customerCost: number | null;
  country: string;
  description: string;
  areaName: string | null;
  prefix: string;
  remoteIp: string;
  protocol: string;
  result: number;
  releaseSource: ReleaseSource;
  userAgent: string;
  delay: number;
  pdd1xx: number;
  tariff: SimTariff;
  lrnCld: string | null;
  lrnCldIn: string | null;
  pAssertedId: string | null;
  remotePartyId: string | null;
  inbound: boolean;
  /** Part of a dialer burst (spam pattern); not sent on the wire. */
  spam: boolean;
  /** Extra / overriding wire fields given to addCdr. */
  overrides: Record<string, unknown> | null;
}

const MINUTE_MS = 60_000;
const DEFAULT_ID_START = 418_000_000;
const CUSTOMER_ROW_ID_START = 52_000_000;

/** Rough exchange rates against USD, for accounts billed in other currencies. */
const CURRENCY_FACTOR: Record<SimAccount['base_currency'], number> = { USD: 1, EUR: 0.92, TRY: 41 };

/** Result mix of ordinary (non-dialer) calls: 0 answered, > 0 SIP final response, < 0 Sippy internal reject. */
const RESULT_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [0, 0.655],
  [487, 0.095],
  [486, 0.075],
  [480, 0.045],
  [503, 0.03],
  [404, 0.025],
  [408, 0.018],
  [403, 0.012],
  [-20, 0.012],
  [-25, 0.01],
  [-14, 0.008],
  [603, 0.006],
  [488, 0.005],
  [-21, 0.004],
  [-17, 0.003],
  [-16, 0.002],
];

const CARRIER = { remoteIp: '192.0.2.1', userAgent: 'Ribbon SBC SWe 9.2.3' };

export class CdrGenerator {
  private readonly seedWord: number;
  private readonly callsPerMinute: number;
  private readonly historyStart: number;
  private readonly maxCallSeconds: number;
  private readonly spamPerBucket: number;
  private readonly activeAccounts: readonly SimAccount[];

  private nextBucket: number;
  private nextCallId: number;
  private nextCdrId: number;
  private nextCustomerRowId = CUSTOMER_ROW_ID_START;
  private addedCount = 0;
  /** Generated, not yet written (ordered by nothing in particular). */
  private pending: SimCall[] = [];
  /** Written CDRs in write (i_cdr) order. */
  private readonly writtenCalls: SimCall[] = [];
  private readonly listeners: Array<(call: SimCall) => void> = [];
  private readonly tariffs = new Map<string, SimTariff>();
  /** Latest time materialized so far. */
  private materializedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: CdrGeneratorOptions) {
    if (!Number.isFinite(options.historyStart)) {
      throw new RangeError('CdrGenerator: historyStart must be a finite epoch-ms number');
    }
    const callsPerMinute = options.callsPerMinute ?? 6;
    if (!(callsPerMinute >= 0) || !Number.isFinite(callsPerMinute)) {
      throw new RangeError('CdrGenerator: callsPerMinute must be a finite number >= 0');
    }
    const maxCallSeconds = options.maxCallSeconds ?? 7200;
    if (!(maxCallSeconds >= 10)) {
      throw new RangeError('CdrGenerator: maxCallSeconds must be >= 10');
    }
    const idStart = options.idStart ?? DEFAULT_ID_START;
    if (!Number.isSafeInteger(idStart) || idStart < 1) {
      throw new RangeError('CdrGenerator: idStart must be a positive safe integer');
    }
    this.seedWord = seedToUint32(options.seed ?? 1);
    this.callsPerMinute = callsPerMinute;
    this.historyStart = Math.floor(options.historyStart);
    this.maxCallSeconds = maxCallSeconds;
    this.spamPerBucket = (options.spamBurstsPerDay ?? 4) / 1440;
    this.activeAccounts = ACCOUNTS.filter((a) => a.weight > 0 && !a.blocked);
    this.nextBucket = Math.floor(this.historyStart / MINUTE_MS);
    this.nextCdrId = idStart;
    this.nextCallId = options.callIdStart ?? idStart + 2675;
  }

  /** Called for each CDR when it is written, in i_cdr order. */
  onWrite(listener: (call: SimCall) => void): void {
    this.listeners.push(listener);
  }

  /** Every CDR written so far, in i_cdr order (may include some written after `now` if the clock went back). */
  get written(): readonly SimCall[] {
    return this.writtenCalls;
  }

  /** Writes every CDR whose call ended at or before `nowMs`. Idempotent; time never goes backwards here. */
  advanceTo(nowMs: number): void {
    if (nowMs <= this.materializedUntil) return;
    const lastBucket = Math.floor(nowMs / MINUTE_MS);
    for (; this.nextBucket <= lastBucket; this.nextBucket++) {
      for (const call of this.generateBucket(this.nextBucket)) this.pending.push(call);
    }
    const ready: SimCall[] = [];
    const keep: SimCall[] = [];
    for (const call of this.pending) (call.writtenAtMs <= nowMs ? ready : keep).push(call);
    this.pending = keep;
    ready.sort((a, b) => a.writtenAtMs - b.writtenAtMs || a.iCall - b.iCall);
    for (const call of ready) this.write(call);
    this.materializedUntil = nowMs;
  }

  /** CDRs visible at `nowMs` (written at or before it), in i_cdr order. */
  visibleAt(nowMs: number): SimCall[] {
    this.advanceTo(nowMs);
    return this.writtenCalls.filter((c) => c.writtenAtMs <= nowMs);
  }

  /** Calls in progress at `nowMs` (started, CDR not yet written). */
  activeAt(nowMs: number): SimCall[] {
    this.advanceTo(nowMs);
    return this.pending.filter((c) => c.setupMs <= nowMs).sort((a, b) => a.setupMs - b.setupMs);
  }

  /**
   * Writes a CDR now with explicit fields (wire names, e.g. `connect_time`, `duration`, `cli`,
   * `result`, `i_account`). Unspecified fields are filled like a generated call that ended now.
   * Times accept epoch ms, a Date or a format (b) string.
   */
  addCall(partial: Record<string, unknown>, nowMs: number, parseTime: (value: unknown, field: string) => number): SimCall {
    this.advanceTo(nowMs);
    const rng = new Rng(mix32(this.seedWord, 0xadd0add, this.addedCount++));
    const iAccount = partial['i_account'] === undefined ? 1042 : toInt(partial['i_account'], 'i_account');
    const account = findAccount(iAccount);
    if (!account) throw new RangeError(`addCdr: unknown i_account ${iAccount}`);

    const duration = partial['duration'] === undefined ? undefined : toNumber(partial['duration'], 'duration');
    const result = partial['result'] === undefined ? (duration === 0 ? 486 : 0) : toInt(partial['result'], 'result');
    const answered = result === 0 || (duration !== undefined && duration > 0);
    const callDuration = duration ?? (answered ? roundTo(rng.range(20, 240), 5) : 0);

    let connectMs: number;
    let disconnectMs: number;
    if (partial['connect_time'] !== undefined) {
      connectMs = parseTime(partial['connect_time'], 'connect_time');
      disconnectMs =
        partial['disconnect_time'] !== undefined
          ? parseTime(partial['disconnect_time'], 'disconnect_time')
          : connectMs + Math.round(callDuration * 1000);
    } else {
      disconnectMs = partial['disconnect_time'] !== undefined ? parseTime(partial['disconnect_time'], 'disconnect_time') : nowMs;
      connectMs = Math.floor((disconnectMs - Math.round(callDuration * 1000)) / 1000) * 1000;
    }
    const setupMs =
      partial['setup_time'] !== undefined ? parseTime(partial['setup_time'], 'setup_time') : connectMs - (answered ? 6000 : 2000);

    const base = this.makeCall(rng, account, setupMs, { forceResult: result, forceDuration: callDuration });
    const call: SimCall = {
      ...base,
      connectMs,
      disconnectMs,
      writtenAtMs: nowMs,
      delay: roundTo(Math.max(0, connectMs - setupMs) / 1000, 3),
    };
    const overrides: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(partial)) {
      switch (key) {
        case 'i_account':
        case 'duration':
        case 'result':
        case 'connect_time':
        case 'disconnect_time':
        case 'setup_time':
          break;
        case 'cli':
          call.cli = String(value);
          break;
        case 'cld':
          call.cld = String(value);
          break;
        case 'cli_in':
          call.cliIn = String(value);
          break;
        case 'cld_in':
          call.cldIn = String(value);
          break;
        case 'call_id':
          call.callId = String(value);
          break;
        case 'billed_duration':
          call.billedDuration = toInt(value, key);
          break;
        case 'cost':
          call.cost = toNumber(value, key);
          break;
        case 'i_cdr':
        case 'i_call':
          throw new RangeError(`addCdr: ${key} is assigned by the simulator`);
        default:
          overrides[key] = value;
      }
    }
    if (partial['cld'] !== undefined && partial['cost'] === undefined) {
      const dest = findDestination(call.cld);
      if (dest) this.rate(call, account, dest, false);
    }
    call.overrides = Object.keys(overrides).length > 0 ? overrides : null;
    this.write(call);
    return call;
  }

  private write(call: SimCall): void {
    call.iCdr = this.nextCdrId++;
    if (call.iCustomer !== ROOT_CUSTOMER_ID) call.iCdrsCustomer = this.nextCustomerRowId++;
    this.writtenCalls.push(call);
    for (const listener of this.listeners) listener(call);
  }

  /** All calls that start in one UTC minute (plus, rarely, a dialer burst starting in it). */
  private generateBucket(bucket: number): SimCall[] {
    const bucketStart = bucket * MINUTE_MS;
    const rng = new Rng(mix32(this.seedWord, bucket >>> 0, Math.floor(bucket / 4294967296)));
    const count = rng.poisson(this.callsPerMinute * trafficFactor(bucketStart));
    const starts: number[] = [];
    for (let i = 0; i < count; i++) starts.push(bucketStart + rng.int(0, MINUTE_MS - 1));
    starts.sort((a, b) => a - b);

    const calls: SimCall[] = [];
    for (const setupMs of starts) {
      const account = rng.weighted(this.activeAccounts, (a) => a.weight);
      const call = this.makeCall(rng, account, setupMs, {});
      if (setupMs >= this.historyStart) calls.push(call);
    }

    const nightBoost = isNightInTurkey(bucketStart) ? 3 : 0.6;
    if (this.callsPerMinute > 0 && rng.chance((this.spamPerBucket * nightBoost) / 1.2)) {
      for (const call of this.makeBurst(rng, bucketStart)) {
        if (call.setupMs >= this.historyStart) calls.push(call);
      }
    }
    return calls;
  }

  private makeBurst(rng: Rng, bucketStart: number): SimCall[] {
    const dialer = ACCOUNTS.find((a) => a.dialer && !a.blocked);
    if (!dialer) return [];
    const dest = rng.weighted(DESTINATIONS.tr_mobile, (d) => d.weight);
    const size = rng.int(15, 40);
    let subscriber = rng.int(1000, 9000) * 1000;
    let t = bucketStart + rng.int(0, 20_000);
    const calls: SimCall[] = [];
    for (let i = 0; i < size; i++) {
      const cld = dest.prefix + String(subscriber++).padStart(dest.subscriberDigits, '0');
      const u = rng.float();
      const result = u < 0.5 ? 0 : u < 0.72 ? 487 : u < 0.87 ? 480 : u < 0.95 ? 404 : 486;
      const duration = result === 0 ? roundTo(rng.range(0.6, 6), 5) : 0;
      const call = this.makeCall(rng, dialer, t, { forceResult: result, forceDuration: duration, cld, ringMs: rng.int(800, 4500) });
      call.spam = true;
      calls.push(call);
      t += rng.int(1200, 3500);
    }
    return calls;
  }

  private makeCall(
    rng: Rng,
    account: SimAccount,
    setupMs: number,
    force: { forceResult?: number; forceDuration?: number; cld?: string; ringMs?: number },
  ): SimCall {
    const inbound = force.cld === undefined && force.forceResult === undefined && rng.chance(account.inboundShare);
    let cli: string;
    let cld: string;
    let cliIn: string;
    let cldIn: string;
    let dest: Destination;
    if (inbound) {
      const callerKind: DestinationKind = rng.weighted<DestinationKind>(['tr_mobile', 'tr_fixed', 'intl'], (k) =>
        k === 'tr_mobile' ? 0.6 : k === 'tr_fixed' ? 0.3 : 0.1,
      );
      const callerDest = rng.weighted(DESTINATIONS[callerKind], (d) => d.weight);
      cli = callerDest.prefix + rng.digits(callerDest.subscriberDigits);
      cld = rng.pick(account.numbers);
      cliIn = `+${cli}`;
      cldIn = cld;
      dest = findDestination(cld) ?? callerDest;
    } else {
      if (force.cld !== undefined) {
        cld = force.cld;
        dest = findDestination(cld) ?? DESTINATIONS.tr_mobile[0];
      } else {
        const kind = rng.weighted<DestinationKind>(['tr_mobile', 'tr_fixed', 'tr_special', 'intl'], (k) => account.mix[k]);
        dest = rng.weighted(DESTINATIONS[kind], (d) =>
          account.favouriteCountries?.includes(d.country) ? d.weight * 5 : d.weight,
        );
        cld = dest.prefix + rng.digits(dest.subscriberDigits);
      }
      cli = account.numbers.length === 1 ? account.numbers[0] : rng.pick(account.numbers);
      cldIn = dest.dialPrefix === '0' ? `0${cld.slice(2)}` : `00${cld}`;
      cliIn = cli.startsWith('90') ? `0${cli.slice(2)}` : cli;
    }

    let result = force.forceResult ?? rng.weighted(RESULT_WEIGHTS, (w) => w[1])[0];
    let duration = force.forceDuration ?? 0;
    if (force.forceDuration === undefined && result === 0) {
      duration = rng.chance(0.012) ? 0 : this.sampleDuration(rng);
    }
    // Rare: talk time, then an abnormal end (session timer / media timeout). Keeps `incomplete` ≠ `errors`.
    if (force.forceResult === undefined && result === 0 && duration > 0 && rng.chance(0.006)) {
      result = 408;
    }
    const answered = duration > 0 || result === 0;
    const ringMs = force.ringMs ?? this.sampleRingMs(rng, result, answered);
    const connectMs = Math.ceil((setupMs + ringMs) / 1000) * 1000;
    const disconnectMs = connectMs + Math.round(duration * 1000);
    const pdd1xx = result < 0 ? 0 : Math.min(roundTo(rng.range(0.04, 2.5), 3), roundTo((connectMs - setupMs) / 1000, 3));

    const call: SimCall = {
      iCall: this.nextCallId++,
      iCdr: 0,
      iCdrsCustomer: null,
      iAccount: account.i_account,
      iCustomer: account.i_customer,
      callId: makeCallId(rng, inbound ? CARRIER.remoteIp : account.remoteIp, inbound ? 'Ribbon' : account.userAgent),
      cli,
      cld,
      cliIn,
      cldIn,
      setupMs,
      connectMs,
      disconnectMs,
      writtenAtMs: disconnectMs,
      duration,
      billedDuration: 0,
      planDuration: 0,
      cost: 0,
      customerCost: null,
      country: dest.country,
      description: dest.description,
      areaName: dest.areaName,
      prefix: dest.prefix,
      remoteIp: inbound ? CARRIER.remoteIp : account.remoteIp,
      protocol: inbound ? 'SIP' : account.protocol,
      result,
      releaseSource: releaseSourceFor(rng, result, duration),
      userAgent: inbound ? CARRIER.userAgent : account.userAgent,
      delay: roundTo((connectMs - setupMs) / 1000, 3),
      pdd1xx,
      tariff: EMPTY_TARIFF,
      lrnCld: null,
      lrnCldIn: null,
      pAssertedId: !inbound && account.i_account === 1042 ? `<sip:${cli}@${account.remoteIp}>` : null,
      remotePartyId: null,
      inbound,
      spam: false,
      overrides: null,
    };
    this.rate(call, account, dest, inbound);
    return call;
  }

  /** Fills tariff fields, billed_duration, plan_duration and cost. */
  private rate(call: SimCall, account: SimAccount, dest: Destination, inbound: boolean): void {
    call.country = dest.country;
    call.description = dest.description;
    call.areaName = dest.areaName;
    call.prefix = dest.prefix;
    call.tariff = this.tariffFor(dest, account.base_currency, inbound);
    const t = call.tariff;
    call.billedDuration = billedSeconds(call.duration, t.interval1, t.intervalN, t.gracePeriod);
    // Ankara office has a minute plan covering Turkish fixed lines.
    const inPlan = !inbound && account.i_account === 1043 && dest.kind === 'tr_fixed';
    call.planDuration = inPlan ? call.billedDuration : 0;
    call.cost =
      call.billedDuration > 0 && !inPlan
        ? roundTo(t.connectFee + (call.billedDuration / 60) * t.price1 + t.postCallSurcharge, 5)
        : 0;
    call.customerCost = account.i_customer === ROOT_CUSTOMER_ID ? null : roundTo(call.cost * wholesaleFactor(account), 5);
  }

  /** Tariffs are shared between calls (read-only), which keeps large histories light on memory. */
  private tariffFor(dest: Destination, currency: SimAccount['base_currency'], inbound: boolean): SimTariff {
    const key = inbound ? 'inbound' : `${dest.prefix}|${currency}`;
    let tariff = this.tariffs.get(key);
    if (!tariff) {
      if (inbound) {
        tariff = { ...emptyTariff(), interval1: 1, intervalN: 1 };
      } else {
        const factor = CURRENCY_FACTOR[currency];
        const price = roundTo(dest.price * factor, 5);
        tariff = {
          ...emptyTariff(),
          connectFee: roundTo(dest.connectFee * factor, 5),
          interval1: dest.interval1,
          intervalN: dest.intervalN,
          price1: price,
          priceN: price,
        };
      }
      this.tariffs.set(key, Object.freeze(tariff));
    }
    return tariff;
  }

  /** Many short calls, a long tail, a few up to maxCallSeconds. */
  private sampleDuration(rng: Rng): number {
    const u = rng.float();
    let seconds: number;
    if (u < 0.2) seconds = rng.range(0.6, 10);
    else if (u < 0.9) seconds = Math.min(1800, Math.max(5, Math.exp(Math.log(75) + 0.9 * rng.normal())));
    else if (u < 0.99) seconds = rng.range(600, 2400);
    else seconds = rng.range(2400, this.maxCallSeconds);
    return roundTo(Math.min(seconds, this.maxCallSeconds), 5);
  }

  private sampleRingMs(rng: Rng, result: number, answered: boolean): number {
    if (answered) return rng.int(2000, 25_000);
    if (result < 0) return rng.int(10, 200);
    switch (result) {
      case 487:
        return rng.int(3000, 30_000);
      case 480:
        return rng.int(20_000, 60_000);
      case 408:
        return rng.int(30_000, 32_000);
      case 486:
        return rng.int(500, 3000);
      default:
        return rng.int(200, 3000);
    }
  }
}

/** Convenience: the CDRs visible at `nowMs` for these options (a fresh generator each time). */
export function generateVisibleCalls(options: CdrGeneratorOptions, nowMs: number): SimCall[] {
  return new CdrGenerator(options).visibleAt(nowMs);
}

/** Billed seconds: first interval, then whole next intervals; 0 for unanswered or grace-period calls. */
export function billedSeconds(duration: number, interval1: number, intervalN: number, gracePeriod = 0): number {
  if (!(duration > 0) || duration <= gracePeriod) return 0;
  const seconds = Math.ceil(duration);
  const first = Math.max(1, interval1);
  const next = Math.max(1, intervalN);
  if (seconds <= first) return first;
  return first + Math.ceil((seconds - first) / next) * next;
}

function wholesaleFactor(account: SimAccount): number {
  return CUSTOMERS.find((c) => c.i_customer === account.i_customer)?.wholesaleFactor ?? 1;
}

function releaseSourceFor(rng: Rng, result: number, duration: number): ReleaseSource {
  if (result < 0 || result === 408) return 'switch';
  if (result === 487) return 'caller';
  if (result !== 0) return 'callee';
  if (duration === 0) return 'caller';
  return rng.chance(0.55) ? 'caller' : 'callee';
}

const EMPTY_TARIFF: SimTariff = Object.freeze(emptyTariff());

function emptyTariff(): SimTariff {
  return {
    accessibilityCost: 0,
    gracePeriod: 0,
    postCallSurcharge: 0,
    connectFee: 0,
    freeSeconds: 0,
    interval1: 60,
    intervalN: 60,
    price1: 0,
    priceN: 0,
  };
}

function makeCallId(rng: Rng, ip: string, userAgent: string): string {
  if (userAgent.startsWith('Asterisk') || userAgent.startsWith('Issabel')) {
    return `${rng.hex(32)}@${ip}:5060`;
  }
  const variant = rng.pick(['8', '9', 'a', 'b']);
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(12)}@${ip}`;
}

export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function toInt(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`addCdr: ${field} must be an integer`);
  return n;
}

function toNumber(value: unknown, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new TypeError(`addCdr: ${field} must be a non-negative number`);
  }
  return n;
}

import type { SimCall } from './cdr-generator';
import { formatSimTime } from './sim-time';
import { WireDouble, WireI8, wireDouble, wireInt, type WireStruct, type WireValue } from './xml-rpc-wire';

/** How CDR structs go out on the wire (switch-version differences, sippy-xmlrpc.md §8.3). */
export interface CdrWireFormat {
  /** Send `setup_time` (absent on some 2023 switches, back on newer ones). */
  includeSetupTime: boolean;
  /** Send `i_cdr`/`i_account` as `<string>` instead of `<int>`/`<i8>`. */
  idsAsString: boolean;
  /** Send `cost` as `<string>` instead of `<double>`. */
  costAsString: boolean;
}

export const DEFAULT_CDR_WIRE_FORMAT: CdrWireFormat = { includeSetupTime: true, idsAsString: false, costAsString: false };

/** Fields that are `<double>` even when integral. */
const DOUBLE_FIELDS = new Set([
  'duration',
  'plan_duration',
  'cost',
  'accessibility_cost',
  'post_call_surcharge',
  'connect_fee',
  'price_1',
  'price_n',
  'delay',
  'pdd1xx',
]);

function id(value: number, format: CdrWireFormat): WireValue {
  return format.idsAsString ? String(value) : wireInt(value);
}

function money(value: number, format: CdrWireFormat): WireValue {
  return format.costAsString ? String(value) : wireDouble(value);
}

/** One getAccountCDRs struct, members in the order of sippy-xmlrpc.md §10. */
export function accountCdrWire(call: SimCall, format: CdrWireFormat): WireStruct {
  const t = call.tariff;
  const s: WireStruct = {
    i_account: id(call.iAccount, format),
    i_cdr: id(call.iCdr, format),
    i_call: String(call.iCall),
    call_id: call.callId,
    cli: call.cli,
    cld: call.cld,
    cli_in: call.cliIn,
    cld_in: call.cldIn,
  };
  if (format.includeSetupTime) s['setup_time'] = formatSimTime(call.setupMs);
  Object.assign(s, {
    connect_time: formatSimTime(call.connectMs),
    disconnect_time: formatSimTime(call.disconnectMs),
    duration: wireDouble(call.duration),
    billed_duration: wireInt(call.billedDuration),
    plan_duration: wireDouble(call.planDuration),
    cost: money(call.cost, format),
    country: call.country,
    description: call.description,
    area_name: call.areaName,
    prefix: call.prefix,
    remote_ip: call.remoteIp,
    protocol: call.protocol,
    result: wireInt(call.result),
    accessibility_cost: wireDouble(t.accessibilityCost),
    grace_period: wireInt(t.gracePeriod),
    post_call_surcharge: wireDouble(t.postCallSurcharge),
    connect_fee: wireDouble(t.connectFee),
    free_seconds: wireInt(t.freeSeconds),
    interval_1: wireInt(t.interval1),
    interval_n: wireInt(t.intervalN),
    price_1: wireDouble(t.price1),
    price_n: wireDouble(t.priceN),
    delay: wireDouble(call.delay),
    pdd1xx: wireDouble(call.pdd1xx),
    lrn_cld: call.lrnCld,
    lrn_cld_in: call.lrnCldIn,
    p_asserted_id: call.pAssertedId,
    remote_party_id: call.remotePartyId,
    release_source: call.releaseSource,
    user_agent: call.userAgent,
  } satisfies WireStruct);
  applyOverrides(s, call.overrides, format);
  return s;
}

/**
 * One getCustomerCDRs struct (sippy-xmlrpc.md §4.3: the documented member list). `cost` is what
 * the parent charged this sub-customer, not the account's cost.
 */
export function customerCdrWire(call: SimCall, format: CdrWireFormat): WireStruct {
  const s: WireStruct = {
    i_customer: id(call.iCustomer, format),
    i_call: String(call.iCall),
    call_id: call.callId,
  };
  if (format.includeSetupTime) s['setup_time'] = formatSimTime(call.setupMs);
  Object.assign(s, {
    connect_time: formatSimTime(call.connectMs),
    billed_duration: wireInt(call.billedDuration),
    cli: call.cli,
    cld: call.cld,
    cli_in: call.cliIn,
    cld_in: call.cldIn,
    cost: money(call.customerCost ?? call.cost, format),
    country: call.country,
    description: call.description,
    remote_ip: call.remoteIp,
    result: wireInt(call.result),
  } satisfies WireStruct);
  return s;
}

function applyOverrides(s: WireStruct, overrides: Record<string, unknown> | null, format: CdrWireFormat): void {
  if (!overrides) return;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a wire struct is a dynamic record: undefined omits the member
      delete s[key];
    } else if (key === 'cost' && typeof value === 'number') {
      s[key] = money(value, format);
    } else {
      s[key] = looseWire(value, DOUBLE_FIELDS.has(key), key);
    }
  }
}

/** Converts a test-supplied plain value to a wire value. */
function looseWire(value: unknown, asDouble: boolean, key: string): WireValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof WireDouble || value instanceof WireI8) return value;
  if (value instanceof Date) return formatSimTime(value.getTime());
  if (typeof value === 'number') {
    if (asDouble || !Number.isInteger(value)) return wireDouble(value);
    return wireInt(value);
  }
  if (Array.isArray(value)) return value.map((v) => looseWire(v, false, key));
  if (typeof value === 'object') {
    const out: WireStruct = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = looseWire(v, DOUBLE_FIELDS.has(k), k);
    }
    return out;
  }
  throw new TypeError(`addCdr: field ${key} has an unsupported value type (${typeof value})`);
}

import type { Cdr } from '../src/cdr/cdr.model';
import type { XmlRpcStruct } from '../src/codec/xml-rpc.types';

let sequence = 0;

/** A canonical CDR with every key present; override what the test is about. */
export function makeCdr(overrides: Partial<Cdr> = {}): Cdr {
  sequence += 1;
  const start = new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + sequence * 60_000);
  return {
    id: String(418_000_000 + sequence),
    call_id: `call-${sequence}@198.51.100.20`,
    caller: '905321234567',
    callee: '902122345678',
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + 115_000).toISOString(),
    setup_time: null,
    duration: 115,
    billed_duration: 120,
    status: 'completed',
    result: 0,
    sip_code: 200,
    disconnect_reason: 'OK',
    release_source: 'caller',
    direction: 'outbound',
    country: 'Turkey',
    country_code: 'TR',
    city: 'Istanbul',
    cost: 0.024,
    currency: 'TRY',
    trunk: null,
    codec: null,
    account: '1042',
    remote_ip: '203.0.113.45',
    ...overrides,
  };
}

/** A raw getAccountCDRs struct (Sippy field names, format (b) times). */
export function makeRawSippyCdr(overrides: XmlRpcStruct = {}): XmlRpcStruct {
  sequence += 1;
  return {
    i_account: 1042,
    i_cdr: 418_000_000 + sequence,
    i_call: String(418_100_000 + sequence),
    call_id: `raw-${sequence}@198.51.100.20`,
    cli: '905321234567',
    cld: '902122345678',
    connect_time: '10:03:12.000 GMT Tue Nov 24 2026',
    disconnect_time: '10:05:07.000 GMT Tue Nov 24 2026',
    duration: 114.87321,
    billed_duration: 120,
    cost: 0.024,
    country: 'TURKEY',
    description: 'Fixed',
    area_name: 'Istanbul',
    prefix: '90212',
    remote_ip: '203.0.113.45',
    protocol: 'SIP',
    result: 0,
    release_source: 'caller',
    ...overrides,
  };
}

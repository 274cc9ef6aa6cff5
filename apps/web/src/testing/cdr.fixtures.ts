import type { Cdr, CdrSummary } from '../app/core/api/api.models';

let sequence = 0;

/** A complete `Cdr` with sensible defaults; override what the test is about. */
export function makeCdr(overrides: Partial<Cdr> = {}): Cdr {
  sequence += 1;
  return {
    id: String(1000 + sequence),
    call_id: `call-${sequence}@sippy`,
    caller: '905321234567',
    callee: '902121234567',
    start_time: '2026-11-24T10:03:12.000Z',
    end_time: '2026-11-24T10:05:17.000Z',
    setup_time: '2026-11-24T10:03:05.000Z',
    duration: 125,
    billed_duration: 126,
    status: 'completed',
    result: 0,
    sip_code: 200,
    disconnect_reason: 'Normal call clearing',
    release_source: 'caller',
    direction: 'outbound',
    country: 'TR',
    country_code: null,
    city: 'İstanbul',
    cost: 0.42,
    currency: 'TRY',
    trunk: 'trunk-1',
    codec: 'PCMA',
    account: '7',
    remote_ip: '192.0.2.10',
    ...overrides,
  };
}

export function makeSummary(overrides: Partial<CdrSummary> = {}): CdrSummary {
  return {
    from: '2026-11-24T00:00:00.000Z',
    to: '2026-11-25T00:00:00.000Z',
    calls: 1234,
    answered: 987,
    answered_pct: 79.98,
    avg_duration: 95,
    total_duration: 93765,
    total_cost: 1234.5,
    currency: 'TRY',
    by_status: { completed: 987, busy: 100, no_answer: 50, cancelled: 40, rejected: 30, failed: 27, unknown: 0 },
    by_direction: { inbound: 600, outbound: 600, internal: 34, unknown: 0 },
    ...overrides,
  };
}

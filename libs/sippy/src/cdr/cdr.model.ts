/** Standardized call outcome, derived from Sippy's `result` (0 = success, >0 SIP code, <0 internal reject). */
export const CDR_STATUSES = [
  'completed', // answered (result 0 or 200 or a positive duration)
  'busy', // 486, 600
  'no_answer', // 408, 480
  'cancelled', // 487 (caller hung up while ringing)
  'rejected', // 403, 603, 404, 484, 488 … and Sippy internal rejects (< 0): the switch or callee refused the call
  'failed', // 5xx, other 4xx: network / server failure
  'unknown',
] as const;
export type CdrStatus = (typeof CDR_STATUSES)[number];

export const CDR_DIRECTIONS = ['inbound', 'outbound', 'internal', 'unknown'] as const;
export type CdrDirection = (typeof CDR_DIRECTIONS)[number];

/**
 * The canonical CDR served by the API and shown in the CRM. Every key is always present;
 * null means "unknown". Times are ISO 8601 UTC strings (`2026-11-24T10:03:12.000Z`).
 */
export interface Cdr {
  /**
   * Stable source id, the dedupe key: Sippy i_cdr as a decimal string (ids exceed 2^31); `i_call:i_customer`
   * for getCustomerCDRs rows without one; otherwise the source's own string id.
   */
  id: string;
  /** SIP Call-ID. */
  call_id: string | null;
  caller: string | null;
  callee: string | null;
  /** Call start: Sippy connect_time (falls back to setup_time). */
  start_time: string | null;
  /** Sippy disconnect_time (falls back to start_time + duration). */
  end_time: string | null;
  setup_time: string | null;
  /** Talk time in seconds (may be fractional); 0 for unanswered calls. */
  duration: number | null;
  billed_duration: number | null;
  status: CdrStatus;
  /** Raw Sippy `result` code: 0 success, > 0 SIP final response, < 0 Sippy internal reject. */
  result: number | null;
  /** SIP final response: 200 when answered, the SIP code for failures, null for internal rejects. */
  sip_code: number | null;
  /** Human text for the result, e.g. "Busy Here", "Insufficient balance". */
  disconnect_reason: string | null;
  /** Which side released the call when known (Sippy release_source). */
  release_source: string | null;
  direction: CdrDirection;
  country: string | null;
  /** ISO 3166-1 alpha-2, upper-case: Sippy's `country_iso`, else the callee's calling code, else the country name. */
  country_code: string | null;
  city: string | null;
  cost: number | null;
  currency: string | null;
  trunk: string | null;
  codec: string | null;
  /** Sippy i_account (decimal string). */
  account: string | null;
  remote_ip: string | null;
}

/** A raw record as a source sends it (Sippy struct, or another source's JSON). */
export type RawCdr = Record<string, unknown>;

/** Every key of `Cdr`, in API order (the type check below fails the build if one is missing). */
export const CDR_FIELDS = [
  'id',
  'call_id',
  'caller',
  'callee',
  'start_time',
  'end_time',
  'setup_time',
  'duration',
  'billed_duration',
  'status',
  'result',
  'sip_code',
  'disconnect_reason',
  'release_source',
  'direction',
  'country',
  'country_code',
  'city',
  'cost',
  'currency',
  'trunk',
  'codec',
  'account',
  'remote_ip',
] as const satisfies readonly (keyof Cdr)[];
type MissingCdrField = Exclude<keyof Cdr, (typeof CDR_FIELDS)[number]>;
export const CDR_FIELDS_COMPLETE: [MissingCdrField] extends [never] ? true : never = true;


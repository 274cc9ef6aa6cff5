import type { CdrStatus } from './cdr.model';

/**
 * Sippy `result` codes (docs/sippy-xmlrpc.md §4.6): 0 = success, > 0 = SIP final response of the
 * failed attempt, < 0 = Sippy-internal reject (`-N`, N from Sippy's CallError enum). Not Q.850.
 */

/** Standard SIP reason phrases (RFC 3261 and later RFCs registered with IANA). */
export const SIP_REASON_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  199: 'Early Dialog Terminated',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Conditional Request Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  417: 'Unknown Resource-Priority',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  424: 'Bad Location Information',
  425: 'Bad Alert Message',
  428: 'Use Identity Header',
  429: 'Provide Referrer Identity',
  430: 'Flow Failed',
  433: 'Anonymity Disallowed',
  436: 'Bad Identity-Info',
  437: 'Unsupported Certificate',
  438: 'Invalid Identity Header',
  439: 'First Hop Lacks Outbound Support',
  440: 'Max-Breadth Exceeded',
  469: 'Bad Info Package',
  470: 'Consent Needed',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  493: 'Undecipherable',
  494: 'Security Agreement Required',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  555: 'Push Notification Service Not Supported',
  580: 'Precondition Failure',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
  607: 'Unwanted',
  608: 'Rejected',
});

/**
 * SIP final responses that are not `failed`. Every other 3xx–6xx code is `failed` (server/network
 * trouble or a protocol error rather than a decision about this call).
 */
const SIP_STATUS: Readonly<Record<number, CdrStatus>> = Object.freeze({
  486: 'busy',
  600: 'busy',
  408: 'no_answer',
  480: 'no_answer',
  487: 'cancelled',
  // The callee, its proxy or the destination refused this call (policy, auth, number, media offer).
  401: 'rejected',
  402: 'rejected',
  403: 'rejected',
  404: 'rejected',
  407: 'rejected',
  410: 'rejected',
  416: 'rejected',
  433: 'rejected',
  484: 'rejected',
  485: 'rejected',
  488: 'rejected',
  603: 'rejected',
  604: 'rejected',
  606: 'rejected',
  607: 'rejected',
  608: 'rejected',
});

export interface SippyInternalResult {
  reason: string;
  /** `rejected` for policy decisions about the caller; `failed` for switch/routing faults. */
  status: Extract<CdrStatus, 'rejected' | 'failed'>;
}

/**
 * Sippy-internal rejects keyed by N (the CDR carries `result = -N`). Reasons paraphrase Sippy's
 * CallError enum (§4.6). `failed` marks switch-side faults: configuration errors (translation rules),
 * resource/capacity problems and routing dead ends; everything that is a decision about the caller
 * or account (balance, limits, rates, destination policy) is `rejected`.
 */
export const SIPPY_INTERNAL_RESULTS: Readonly<Partial<Record<number, SippyInternalResult>>> = Object.freeze({
  1: { reason: 'Rejected by external translator', status: 'rejected' },
  2: { reason: 'INVITE without body not supported', status: 'rejected' },
  3: { reason: 'Account expired', status: 'rejected' },
  4: { reason: 'Connection capacity exceeded', status: 'failed' },
  5: { reason: 'Malformed SDP', status: 'rejected' },
  6: { reason: 'Unsupported content type', status: 'rejected' },
  7: { reason: 'Unacceptable codec', status: 'rejected' },
  8: { reason: 'Invalid authentication CLD translation rule', status: 'failed' },
  9: { reason: 'Invalid authentication CLI translation rule', status: 'failed' },
  10: { reason: 'Invalid account CLD translation rule', status: 'failed' },
  11: { reason: 'Invalid account CLI translation rule', status: 'failed' },
  12: { reason: 'Cannot bind session', status: 'failed' },
  13: { reason: 'Invalid DID CLI translation rule', status: 'failed' },
  14: { reason: 'No rate found', status: 'rejected' },
  15: { reason: 'Call loop detected', status: 'failed' },
  16: { reason: 'Too many sessions', status: 'rejected' },
  17: { reason: 'Account in use', status: 'rejected' },
  18: { reason: 'High call rate per account', status: 'rejected' },
  19: { reason: 'High call rate', status: 'rejected' },
  20: { reason: 'Insufficient balance', status: 'rejected' },
  21: { reason: 'Forbidden destination', status: 'rejected' },
  22: { reason: 'No customer rates', status: 'rejected' },
  23: { reason: 'Loss protection', status: 'rejected' },
  24: { reason: 'Address incomplete', status: 'rejected' },
  25: { reason: 'No routes', status: 'failed' },
  26: { reason: 'High call rate per connection', status: 'failed' },
  27: { reason: 'Invalid asserted-ID CLI translation rule', status: 'failed' },
  28: { reason: 'Blocked by DNCL', status: 'rejected' },
});

export type SippyResultKind = 'success' | 'sip' | 'internal' | 'unknown';

export interface SippyResultDescription {
  /** The code that was described (null when absent or not an integer). */
  code: number | null;
  kind: SippyResultKind;
  status: CdrStatus;
  /** SIP final response: 200 for success, the code for SIP failures, null for internal rejects. */
  sipCode: number | null;
  /** Human text ("Busy Here", "Insufficient balance"); null when there is no code. */
  reason: string | null;
}

function sipStatus(code: number): CdrStatus {
  if (code >= 200 && code < 300) {
    return 'completed';
  }
  return SIP_STATUS[code] ?? 'failed';
}

/**
 * Describes a Sippy `result` code:
 * - `0` and any 2xx → completed (0 reports SIP 200 "OK");
 * - 100–699 → the SIP code with its standard reason phrase, status per the SIP table
 *   (486/600 busy, 408/480 no_answer, 487 cancelled, refusals rejected, everything else failed);
 * - negative → Sippy internal reject `-N` (table {@link SIPPY_INTERNAL_RESULTS}; unknown N → rejected);
 * - 1–99 → also read as internal code N: they are not SIP codes, and the minus sign of internal
 *   codes is inferred, not documented (§4.6), so a switch that writes them unsigned is still decoded;
 * - ≥ 700, non-integers, null/undefined → unknown.
 */
export function describeSippyResult(code: number | null | undefined): SippyResultDescription {
  if (code === null || code === undefined || !Number.isInteger(code)) {
    return { code: null, kind: 'unknown', status: 'unknown', sipCode: null, reason: null };
  }
  if (code === 0) {
    return { code, kind: 'success', status: 'completed', sipCode: 200, reason: SIP_REASON_PHRASES[200] };
  }
  if (code < 0 || code < 100) {
    const n = Math.abs(code);
    const known = SIPPY_INTERNAL_RESULTS[n];
    return {
      code,
      kind: 'internal',
      status: known?.status ?? 'rejected',
      sipCode: null,
      reason: known?.reason ?? `Sippy internal reject ${code < 0 ? code : -code}`,
    };
  }
  if (code < 700) {
    const status = sipStatus(code);
    return {
      code,
      kind: status === 'completed' ? 'success' : 'sip',
      status,
      sipCode: code,
      reason: SIP_REASON_PHRASES[code] ?? `SIP ${code}`,
    };
  }
  return { code, kind: 'unknown', status: 'unknown', sipCode: null, reason: `Unknown result code ${code}` };
}

/**
 * Why a call to the switch failed. The API maps each kind to a clear HTTP answer
 * (timeout → 504, everything upstream → 502, config → 503) and names it in health details.
 */
export type SippyErrorKind =
  | 'auth' // HTTP 401/403 after answering the Digest challenge: wrong user or API password, API not enabled
  | 'tls' // certificate rejected, handshake failed
  | 'timeout' // no complete answer within timeoutMs
  | 'unreachable' // DNS failure, connection refused/reset, socket closed mid-response
  | 'http' // any other non-200 HTTP status (5xx, 404 …)
  | 'fault' // a well-formed XML-RPC <fault> (faultCode + faultString)
  | 'malformed' // the body is not a valid XML-RPC methodResponse, or the result has an unexpected shape
  | 'too_large' // the body exceeded maxResponseBytes
  | 'config'; // client is not configured / invalid options

export interface SippyErrorDetails {
  cause?: unknown;
  httpStatus?: number;
  faultCode?: number;
  faultString?: string;
}

/**
 * The one error type the Sippy client throws. Messages never contain credentials.
 */
export class SippyError extends Error {
  readonly kind: SippyErrorKind;
  readonly httpStatus?: number;
  readonly faultCode?: number;
  readonly faultString?: string;

  constructor(kind: SippyErrorKind, message: string, details: SippyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SippyError';
    this.kind = kind;
    this.httpStatus = details.httpStatus;
    this.faultCode = details.faultCode;
    this.faultString = details.faultString;
  }

  static isSippyError(value: unknown): value is SippyError {
    return value instanceof SippyError;
  }
}

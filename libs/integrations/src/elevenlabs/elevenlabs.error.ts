/**
 * Why a call to ElevenLabs failed. The API maps it to an HTTP answer: auth/quota/http/protocol → 502,
 * rate_limited → 429, validation/not_found → 400, timeout → 504, unreachable → 502, config → 503.
 */
export type ElevenLabsErrorKind =
  | 'auth' // 401/403: invalid or missing API key, key lacks a permission
  | 'quota' // 401 quota_exceeded (yes, 401) or 402: the character quota is used up
  | 'rate_limited' // 429: too many concurrent requests / system busy
  | 'validation' // 400/422: the request is invalid (text too long, bad voice settings…)
  | 'not_found' // voice or model does not exist
  | 'timeout' // no answer within the configured time
  | 'unreachable' // DNS, refused or reset connection
  | 'http' // any other HTTP error (5xx…)
  | 'protocol' // the answer does not have the documented shape
  | 'config'; // no API key configured, bad options

export interface ElevenLabsApiErrorDetails {
  cause?: unknown;
  httpStatus?: number;
  /** `detail.status` of the provider's error body, e.g. `invalid_api_key`, `quota_exceeded`. */
  providerStatus?: string;
  /** The provider's human-readable reason (truncated, never contains the key). */
  providerMessage?: string;
  /** `x-request-id` / `request-id` of the failed call, for ElevenLabs support. */
  requestId?: string;
  /** Seconds to wait, from Retry-After, when the provider said so. */
  retryAfterSeconds?: number;
}

/** The one error type of the ElevenLabs wrapper. Messages never contain the API key. */
export class ElevenLabsApiError extends Error {
  readonly kind: ElevenLabsErrorKind;
  readonly httpStatus?: number;
  readonly providerStatus?: string;
  readonly providerMessage?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;

  constructor(kind: ElevenLabsErrorKind, message: string, details: ElevenLabsApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ElevenLabsApiError';
    this.kind = kind;
    this.httpStatus = details.httpStatus;
    this.providerStatus = details.providerStatus;
    this.providerMessage = details.providerMessage;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Why a request to the API failed, as the UI needs to explain it. */
export type ApiErrorKind =
  /** No HTTP response at all: the API is down, the network is gone or CORS refused it. */
  | 'network'
  /** 400: the request was invalid; `details` lists the server's per-field messages. */
  | 'bad_request'
  | 'not_found'
  /** 502: the API is up but the upstream switch (Sippy) failed. */
  | 'upstream'
  /** 504: the upstream switch did not answer in time. */
  | 'timeout'
  /** 503: the API or a dependency is not ready / not configured. */
  | 'unavailable'
  /** Other 5xx. */
  | 'server'
  /** Anything else (401/403/409/…, or a malformed response). */
  | 'unexpected';

/**
 * Typed error produced by `apiErrorInterceptor` for every failed HTTP call.
 * `messageKey` is a Transloco key (translate it in the template so a language switch re-renders it);
 * `message` is the translation in the language active when the error happened (for logs/tooltips).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    /** HTTP status; 0 when there was no response. */
    readonly status: number,
    readonly messageKey: string,
    message: string,
    /** Server-provided messages (e.g. the 400 field messages), safe to show. */
    readonly details: readonly string[] = [],
    /** The parsed response body, for callers that treat some error statuses as data (health 503). */
    readonly body: unknown = null,
    readonly url: string | null = null,
    /** `Retry-After` of a 429/503, in seconds, when the server sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export function apiErrorKindForStatus(status: number): ApiErrorKind {
  if (status === 0) return 'network';
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 404) return 'not_found';
  if (status === 502) return 'upstream';
  if (status === 504) return 'timeout';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server';
  return 'unexpected';
}

/** Pulls displayable messages out of a Nest error body (`message: string | string[]`). */
export function serverMessages(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) {
    return [];
  }
  const message = (body as Record<string, unknown>)['message'];
  if (typeof message === 'string' && message.trim() !== '') {
    return [message];
  }
  if (Array.isArray(message)) {
    return message.filter((m): m is string => typeof m === 'string' && m.trim() !== '');
  }
  return [];
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  // An HTTP-date always names the weekday/month; this keeps `Date.parse('-3')` (a year) out.
  const at = /[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

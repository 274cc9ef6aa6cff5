import type { ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import { ElevenLabsApiError, type ElevenLabsErrorKind } from './elevenlabs.error';
import { loadedElevenLabsSdk } from './elevenlabs-sdk';

const MAX_REASON = 300;

/**
 * Turns whatever the SDK threw into an ElevenLabsApiError. The SDK maps only 422 to a subclass, so
 * statusCode is read here; a 401 may be `quota_exceeded`; and in 2.73 a timeout surfaces as a plain
 * ElevenLabsError whose message is `"timeout"` (quoted) with no status (docs/integrations.md).
 */
export function toElevenLabsApiError(error: unknown, apiKey?: string): ElevenLabsApiError {
  if (error instanceof ElevenLabsApiError) return error;
  const sdk = loadedElevenLabsSdk(); // an SDK error can only come from a loaded SDK
  if (sdk && error instanceof sdk.ElevenLabsTimeoutError) {
    return new ElevenLabsApiError('timeout', 'ElevenLabs did not answer in time', { cause: error });
  }
  if (sdk && error instanceof sdk.ElevenLabsError) {
    const status = error.statusCode;
    const requestId = safeRequestId(error);
    if (status === undefined) {
      if (/timeout/i.test(error.message) || isAbortTimeout(error.cause)) {
        return new ElevenLabsApiError('timeout', 'ElevenLabs did not answer in time', { cause: error, requestId });
      }
      const code = networkCode(error.cause);
      const causeMessage = isRecord(error.cause) && typeof error.cause['message'] === 'string' ? error.cause['message'] : '';
      const reason = code ?? (error.message && error.message !== '{}' ? firstLine(error.message) : causeMessage || 'network error');
      return new ElevenLabsApiError('unreachable', `cannot reach ElevenLabs: ${redact(reason, apiKey)}`, { cause: error });
    }
    return httpErrorToElevenLabsApiError(status, error.body, error.rawResponse?.headers, apiKey, error);
  }
  if (error instanceof Error && /ParseError|JsonError/.test(error.name + error.constructor.name)) {
    return new ElevenLabsApiError('protocol', `ElevenLabs answered with an unexpected shape: ${firstLine(error.message).slice(0, MAX_REASON)}`, { cause: error });
  }
  // plain fetch (the health probe's requests, without the SDK): a deadline, or a network failure under TypeError
  // (by shape, not instanceof: under Jest, fetch's errors come from another realm)
  if (isAbortTimeout(error)) {
    return new ElevenLabsApiError('timeout', 'ElevenLabs did not answer in time', { cause: error });
  }
  const code = isRecord(error) ? networkCode(error['cause']) : undefined;
  if (code !== undefined) {
    return new ElevenLabsApiError('unreachable', `cannot reach ElevenLabs: ${redact(code, apiKey)}`, { cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new ElevenLabsApiError('timeout', 'the request to ElevenLabs was aborted', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ElevenLabsApiError('unreachable', `ElevenLabs call failed: ${redact(firstLine(message), apiKey).slice(0, MAX_REASON)}`, { cause: error });
}

/** An HTTP error answer (status, parsed body, headers), from the SDK or from a plain request: one mapping for both. */
export function httpErrorToElevenLabsApiError(
  status: number,
  body: unknown,
  headers: Pick<Headers, 'get'> | undefined,
  apiKey?: string,
  cause?: unknown,
): ElevenLabsApiError {
  const { providerStatus, providerMessage } = describeBody(body);
  const reason = redact(providerMessage ?? providerStatus ?? `HTTP ${status}`, apiKey);
  const kind = kindFor(status, providerStatus);
  return new ElevenLabsApiError(kind, `ElevenLabs answered ${status}${providerStatus ? ` ${providerStatus}` : ''}: ${reason}`, {
    cause,
    httpStatus: status,
    providerStatus,
    providerMessage: redact(providerMessage ?? providerStatus ?? '', apiKey) || undefined,
    requestId: (headers?.get('x-request-id') ?? headers?.get('request-id')) || undefined,
    retryAfterSeconds: retryAfterSeconds(headers),
  });
}

function kindFor(status: number, providerStatus: string | undefined): ElevenLabsErrorKind {
  const code = (providerStatus ?? '').toLowerCase();
  if (code.includes('quota') || status === 402) return 'quota';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || code.endsWith('_not_found')) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 408 || status === 504) return 'timeout';
  return 'http';
}

/** `{detail: {status, message}}`, FastAPI `{detail: [{loc, msg}]}`, `{detail: "text"}`, or raw text. */
export function describeBody(body: unknown): { providerStatus?: string; providerMessage?: string } {
  if (typeof body === 'string') {
    const text = body.trim();
    return text && !text.startsWith('<') ? { providerMessage: text.slice(0, MAX_REASON) } : {};
  }
  if (!isRecord(body)) return {};
  const detail = body['detail'];
  if (typeof detail === 'string') return { providerMessage: detail.slice(0, MAX_REASON) };
  if (Array.isArray(detail)) {
    const parts = detail.filter(isRecord).map((d) => {
      const loc = Array.isArray(d['loc']) ? d['loc'].filter((p) => p !== 'body').join('.') : '';
      return `${loc ? `${loc}: ` : ''}${typeof d['msg'] === 'string' ? d['msg'] : 'invalid'}`;
    });
    return { providerStatus: 'validation_error', providerMessage: parts.join('; ').slice(0, MAX_REASON) || undefined };
  }
  if (isRecord(detail)) {
    const status = typeof detail['status'] === 'string' ? detail['status'] : typeof detail['code'] === 'string' ? detail['code'] : undefined;
    const message = typeof detail['message'] === 'string' ? detail['message'].slice(0, MAX_REASON) : undefined;
    return { providerStatus: status, providerMessage: message };
  }
  if (typeof body['message'] === 'string') return { providerMessage: body['message'].slice(0, MAX_REASON) };
  return {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeRequestId(error: ElevenLabsError): string | undefined {
  const headers = error.rawResponse?.headers;
  const id = headers?.get('x-request-id') ?? headers?.get('request-id');
  return id ?? undefined;
}

function retryAfterSeconds(headers: Pick<Headers, 'get'> | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

function networkCode(cause: unknown): string | undefined {
  // walk by shape, not instanceof: fetch errors may come from another realm (e.g. under Jest)
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current['code'] === 'string') return current['code'];
    current = current['cause'];
  }
  return undefined;
}

function isAbortTimeout(cause: unknown): boolean {
  if (!isRecord(cause) && !(cause instanceof Error)) return false;
  const { name, message } = cause as { name?: unknown; message?: unknown };
  return name === 'TimeoutError' || (name === 'AbortError' && typeof message === 'string' && /timeout/i.test(message));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** Belt and braces: never let the key into a message, even if a proxy echoes it back. */
function redact(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}

import { SippyError } from '../errors/sippy.error';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET', // "other side closed" / socket closed mid-response
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
]);

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}

/** Error codes along the cause chain (and inside AggregateErrors), outermost first. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const { code, cause } = value as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (value instanceof AggregateError) for (const inner of value.errors) visit(inner, depth + 1);
    visit(cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

export type TransportFailureKind = 'tls' | 'timeout' | 'unreachable';

/** Classifies a low-level failure (socket, DNS, TLS, undici timeout), or undefined if unknown. */
export function classifyTransportError(error: unknown): TransportFailureKind | undefined {
  const codes = errorCodes(error);
  if (codes.some(isTlsCode)) return 'tls';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => UNREACHABLE_CODES.has(c))) return 'unreachable';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'HeadersTimeoutError')) return 'timeout';
  return undefined;
}

export function timeoutError(endpoint: string, timeoutMs: number, cause?: unknown): SippyError {
  return new SippyError('timeout', `no answer from ${endpoint} within ${timeoutMs} ms`, { cause });
}

/**
 * Maps a low-level failure to a SippyError. Messages name the endpoint and the error code only,
 * never headers or credentials; the original error stays available as `cause`.
 */
export function toSippyError(error: unknown, endpoint: string, timeoutMs: number): SippyError {
  if (error instanceof SippyError) return error;
  const kind = classifyTransportError(error);
  const code = errorCodes(error)[0];
  const detail = code ? ` (${code})` : '';
  switch (kind) {
    case 'tls':
      return new SippyError(
        'tls',
        `TLS handshake with ${endpoint} failed${detail}: the server certificate is not trusted. ` +
          'Trust it with SIPPY_CA_FILE (PEM of the CA or the self-signed certificate), ' +
          'or set SIPPY_DISABLE_TLS_VERIFY=true for this switch only if you accept the risk.',
        { cause: error },
      );
    case 'timeout':
      return timeoutError(endpoint, timeoutMs, error);
    case 'unreachable':
      return new SippyError('unreachable', `cannot reach ${endpoint}${detail}`, { cause: error });
    default:
      return new SippyError('unreachable', `request to ${endpoint} failed${detail}`, { cause: error });
  }
}

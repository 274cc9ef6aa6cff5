import { SippyError } from './sippy.error';

/**
 * Fault strings and codes that mean "this API user may not call this method". Sippy documents no fault codes
 * beyond 403 (sippy-xmlrpc.md §7): the wording differs between versions and installations, so this matches the
 * usual words rather than one exact text.
 */
const PERMISSION_FAULT_TEXT = /permission|not allowed|not permitted|forbidden|access denied|unauthori[sz]ed|not authori[sz]ed|api access/i;
const PERMISSION_FAULT_CODES: ReadonlySet<number> = new Set([401, 403]);

/** A well-formed XML-RPC fault saying the API user may not call the method (not a transient condition). */
export function isPermissionFault(error: unknown): boolean {
  if (!(error instanceof SippyError) || error.kind !== 'fault') return false;
  if (error.faultCode !== undefined && PERMISSION_FAULT_CODES.has(error.faultCode)) return true;
  return PERMISSION_FAULT_TEXT.test(error.faultString ?? error.message);
}

/**
 * Whether asking the switch again may succeed. Idempotent reads (CDR pages, account lists) are retried on these:
 * timeouts, dropped or refused connections, 5xx / 408 / 429 answers, truncated or garbled bodies, and XML-RPC
 * faults other than permission ones ("database is busy"). Never retried: wrong credentials (`auth`), certificate
 * problems (`tls`), our own configuration (`config`), a body over the size limit (`too_large`, it will be as large
 * next time), other 4xx answers and permission faults.
 */
export function isTransientSippyError(error: unknown): boolean {
  if (!(error instanceof SippyError)) return false;
  switch (error.kind) {
    case 'timeout':
    case 'unreachable':
    case 'malformed':
      return true;
    case 'http':
      return error.httpStatus === undefined || error.httpStatus >= 500 || error.httpStatus === 408 || error.httpStatus === 429;
    case 'fault':
      return !isPermissionFault(error);
    case 'auth':
    case 'tls':
    case 'config':
    case 'too_large':
      return false;
  }
}

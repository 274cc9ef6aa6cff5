import { isPermissionFault, isTransientSippyError } from './sippy-error-class';
import { SippyError } from './sippy.error';

const fault = (faultCode: number, faultString: string): SippyError => new SippyError('fault', `fault ${faultCode}: ${faultString}`, { faultCode, faultString });

describe('isPermissionFault', () => {
  it.each([
    [403, 'Access denied: method is not allowed for this user'],
    [401, 'Unauthorized'],
    [1, 'Permission denied'],
    [2, 'API access is not enabled for this customer'],
    [500, 'Method getAccountCDRs is not permitted'],
  ])('recognises fault %d "%s"', (code, text) => {
    expect(isPermissionFault(fault(code, text))).toBe(true);
  });

  it.each([
    [500, 'Database is busy, try again later'],
    [500, 'Internal error'],
    [404, 'Unknown method'],
  ])('does not take fault %d "%s" for a permission problem', (code, text) => {
    expect(isPermissionFault(fault(code, text))).toBe(false);
  });

  it('is false for anything but a fault', () => {
    expect(isPermissionFault(new SippyError('auth', 'rejected'))).toBe(false);
    expect(isPermissionFault(new Error('Permission denied'))).toBe(false);
  });
});

describe('isTransientSippyError', () => {
  it.each([
    ['timeout', new SippyError('timeout', 'no answer')],
    ['unreachable', new SippyError('unreachable', 'ECONNRESET')],
    ['malformed (truncated body)', new SippyError('malformed', 'unexpected end')],
    ['http 502', new SippyError('http', 'bad gateway', { httpStatus: 502 })],
    ['http 503', new SippyError('http', 'unavailable', { httpStatus: 503 })],
    ['http 429', new SippyError('http', 'slow down', { httpStatus: 429 })],
    ['a busy fault', fault(500, 'Database is busy, try again later')],
  ])('retries %s', (_label, error) => {
    expect(isTransientSippyError(error)).toBe(true);
  });

  it.each([
    ['auth', new SippyError('auth', 'wrong password')],
    ['tls', new SippyError('tls', 'self-signed')],
    ['config', new SippyError('config', 'bad url')],
    ['too_large', new SippyError('too_large', '65 MB')],
    ['http 404', new SippyError('http', 'not found', { httpStatus: 404 })],
    ['a permission fault', fault(403, 'Access denied')],
    ['a plain Error', new Error('boom')],
  ])('does not retry %s', (_label, error) => {
    expect(isTransientSippyError(error)).toBe(false);
  });
});

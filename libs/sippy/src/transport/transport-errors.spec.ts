import { SippyError } from '../errors/sippy.error';
import { classifyTransportError, errorCodes, toSippyError } from './transport-errors';

const withCode = (code: string, cause?: unknown): Error =>
  Object.assign(new Error(`failure ${code}`, cause === undefined ? undefined : { cause }), { code });

describe('transport error mapping', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['EAI_AGAIN', 'unreachable'],
    ['ECONNRESET', 'unreachable'],
    ['UND_ERR_SOCKET', 'unreachable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ])('classifies %s as %s, also when wrapped as a cause', (code, kind) => {
    expect(classifyTransportError(withCode(code))).toBe(kind);
    expect(classifyTransportError(new TypeError('fetch failed', { cause: withCode(code) }))).toBe(kind);
  });

  it('looks inside AggregateError (happy eyeballs) and prefers tls over socket codes', () => {
    const aggregate = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'all failed');
    expect(errorCodes(aggregate)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(classifyTransportError(aggregate)).toBe('unreachable');
    expect(classifyTransportError(withCode('ECONNRESET', withCode('ERR_SSL_DECRYPTION_FAILED')))).toBe('tls');
    expect(classifyTransportError(new Error('mystery'))).toBeUndefined();
  });

  it('builds SippyErrors that keep the cause and name the endpoint and code only', () => {
    const cause = withCode('DEPTH_ZERO_SELF_SIGNED_CERT');
    const tls = toSippyError(cause, 'https://sw.test/xmlapi/xmlapi', 1000);
    expect(tls).toMatchObject({ kind: 'tls' });
    expect(tls.cause).toBe(cause);
    expect(tls.message).toContain('https://sw.test/xmlapi/xmlapi');
    expect(tls.message).toContain('(DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(toSippyError(withCode('UND_ERR_HEADERS_TIMEOUT'), 'http://x/', 250).message).toBe(
      'no answer from http://x/ within 250 ms',
    );
    expect(toSippyError(new Error('mystery'), 'http://x/', 1).kind).toBe('unreachable');
    const existing = new SippyError('fault', 'f');
    expect(toSippyError(existing, 'http://x/', 1)).toBe(existing);
  });
});

import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

import {
  AuthHeaderParseError,
  DigestSession,
  buildDigestAuthorization,
  computeDigestResponse,
  formatNonceCount,
  generateCnonce,
  parseAuthHeader,
  selectDigestChallenge,
  type DigestChallenge,
} from './digest-auth';

// RFC 7616 §3.9.1
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};
const RFC7616_HEADERS = [
  `Digest
    realm="http-auth@example.org",
    qop="auth, auth-int",
    algorithm=SHA-256,
    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`.replace(/\n/g, ''),
  `Digest
    realm="http-auth@example.org",
    qop="auth, auth-int",
    algorithm=MD5,
    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`.replace(/\n/g, ''),
];

// RFC 2617 §3.5
const RFC2617 = {
  username: 'Mufasa',
  password: 'Circle Of Life',
  realm: 'testrealm@host.com',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  cnonce: '0a4f113b',
  opaque: '5ccc069c403ebaf9f0171e9517f40e41',
};

describe('parseAuthHeader', () => {
  it('parses several challenges in one header, quoted strings with escapes and token68', () => {
    const parsed = parseAuthHeader(
      'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Negotiate abc+/9==,Bearer',
    );
    expect(parsed).toEqual([
      { scheme: 'Newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'Basic', params: { realm: 'simple' } },
      { scheme: 'Negotiate', params: {}, token68: 'abc+/9==' },
      { scheme: 'Bearer', params: {} },
    ]);
  });

  it('parses several header values and lower-cases parameter names', () => {
    const parsed = parseAuthHeader(['Basic REALM="a"', 'Digest Realm = "b" , NONCE=xyz']);
    expect(parsed.map((c) => [c.scheme, { ...c.params }])).toEqual([
      ['Basic', { realm: 'a' }],
      ['Digest', { realm: 'b', nonce: 'xyz' }],
    ]);
  });

  it.each([
    ['Digest realm="unterminated', /unterminated/],
    ['Digest realm="a", realm="b"', /duplicate/],
    ['realm="a"', /outside a challenge/],
    ['Digest nonce="x", realm=', /empty value/],
    ['Digest realm=, nonce="x"', /outside a challenge/],
    ['Digest realm="a" nonce="b"', /expected ","/],
    ['Digest @', /unexpected character/],
  ])('rejects %s', (header, message) => {
    expect(() => parseAuthHeader(header)).toThrow(AuthHeaderParseError);
    expect(() => parseAuthHeader(header)).toThrow(message);
  });
});

describe('computeDigestResponse (RFC test vectors)', () => {
  it('matches RFC 7616 §3.9.1 for MD5 and SHA-256', () => {
    const base = { ...RFC7616, qop: 'auth' as const, nc: '00000001' };
    expect(computeDigestResponse({ ...base, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(computeDigestResponse({ ...base, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('matches RFC 2617 §3.5', () => {
    expect(computeDigestResponse({ ...RFC2617, algorithm: 'MD5', qop: 'auth', nc: '00000001' })).toBe(
      '6629fae49393a05397450978507c4ef1',
    );
  });

  it('computes the RFC 2069 form without qop and the -sess HA1', () => {
    // RFC 2069 form: H(H(A1):nonce:H(A2)) (the RFC's own example value is wrong, see its errata).
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5('Mufasa:testrealm@host.com:Circle Of Life');
    const ha2 = md5('GET:/dir/index.html');
    expect(computeDigestResponse({ ...RFC2617, algorithm: 'MD5', cnonce: undefined })).toBe(
      md5(`${ha1}:${RFC2617.nonce}:${ha2}`),
    );
    const sessHa1 = md5(`${ha1}:${RFC2617.nonce}:${RFC2617.cnonce}`);
    expect(computeDigestResponse({ ...RFC2617, algorithm: 'MD5-sess', qop: 'auth', nc: '00000001' })).toBe(
      md5(`${sessHa1}:${RFC2617.nonce}:00000001:${RFC2617.cnonce}:auth:${ha2}`),
    );
    const sess = computeDigestResponse({ ...RFC2617, algorithm: 'MD5-sess', qop: 'auth', nc: '00000001' });
    expect(sess).toMatch(/^[0-9a-f]{32}$/);
    expect(sess).not.toBe('6629fae49393a05397450978507c4ef1');
    expect(() => computeDigestResponse({ ...RFC2617, cnonce: undefined, algorithm: 'MD5-sess' })).toThrow(/cnonce/);
  });
});

describe('selectDigestChallenge', () => {
  it('picks SHA-256 from the RFC 7616 pair regardless of order, with qop=auth', () => {
    for (const headers of [RFC7616_HEADERS, [...RFC7616_HEADERS].reverse(), RFC7616_HEADERS.join(', ')]) {
      expect(selectDigestChallenge(headers)).toEqual({
        realm: RFC7616.realm,
        nonce: RFC7616.nonce,
        opaque: RFC7616.opaque,
        algorithm: 'SHA-256',
        qop: 'auth',
        stale: false,
        userhash: false,
      });
    }
  });

  it('defaults to MD5, reads stale, skips unsupported algorithms, auth-int only and non-Digest schemes', () => {
    expect(
      selectDigestChallenge([
        'Basic realm="x"',
        'Digest realm="r", nonce="n1", algorithm=SHA-512-256, qop="auth"',
        'Digest realm="r", nonce="n2", qop="auth-int"',
        'Digest realm="r", nonce="n3", qop="auth", stale=TRUE',
      ]),
    ).toMatchObject({ nonce: 'n3', algorithm: 'MD5', stale: true });
    expect(selectDigestChallenge('Digest realm="r", nonce="n", algorithm=md5-SESS')).toMatchObject({
      algorithm: 'MD5-sess',
      qop: undefined,
    });
    expect(selectDigestChallenge('Basic realm="x"')).toBeUndefined();
    expect(selectDigestChallenge('Digest realm="r"')).toBeUndefined();
  });

  it('ranks SHA-256 > SHA-256-sess > MD5 > MD5-sess', () => {
    const pick = (...algs: string[]) =>
      selectDigestChallenge(algs.map((a) => `Digest realm="r", nonce="n", qop="auth", algorithm=${a}`))?.algorithm;
    expect(pick('MD5-sess', 'MD5')).toBe('MD5');
    expect(pick('MD5', 'SHA-256-sess')).toBe('SHA-256-sess');
    expect(pick('SHA-256-sess', 'SHA-256', 'MD5')).toBe('SHA-256');
  });
});

describe('buildDigestAuthorization', () => {
  const challenge = (algorithm: DigestChallenge['algorithm']): DigestChallenge => ({
    realm: RFC7616.realm,
    nonce: RFC7616.nonce,
    opaque: RFC7616.opaque,
    algorithm,
    qop: 'auth',
    stale: false,
    userhash: false,
  });

  it('produces the RFC 7616 §3.9.1 Authorization headers', () => {
    const input = { ...RFC7616, nc: 1 };
    expect(buildDigestAuthorization({ ...input, challenge: challenge('MD5') })).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    const sha = parseAuthHeader(buildDigestAuthorization({ ...input, challenge: challenge('SHA-256') }))[0];
    expect(sha.params).toMatchObject({
      algorithm: 'SHA-256',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    });
  });

  it('formats nc as 8 hex digits and escapes quotes in quoted values', () => {
    const header = buildDigestAuthorization({
      ...RFC7616,
      username: 'a"b\\c',
      nc: 255,
      challenge: challenge('MD5'),
    });
    expect(header).toContain('nc=000000ff');
    expect(parseAuthHeader(header)[0].params.username).toBe('a"b\\c');
  });

  it('uses username* for non-ASCII names and H(username:realm) for userhash', () => {
    const ext = buildDigestAuthorization({ ...RFC7616, username: 'Jäsøn Doe', nc: 1, challenge: challenge('SHA-256') });
    expect(ext).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe,");
    const hashed = buildDigestAuthorization({
      ...RFC7616,
      nc: 1,
      challenge: { ...challenge('SHA-256'), userhash: true },
    });
    expect(parseAuthHeader(hashed)[0].params).toMatchObject({
      userhash: 'true',
      username: createHash('sha256').update(`Mufasa:${RFC7616.realm}`).digest('hex'),
    });
  });

  it('omits nc/cnonce/qop for a challenge without qop (RFC 2069)', () => {
    const header = buildDigestAuthorization({ ...RFC7616, nc: 1, challenge: { ...challenge('MD5'), qop: undefined } });
    expect(header).not.toMatch(/nc=|cnonce=|qop=/);
  });
});

describe('formatNonceCount / generateCnonce', () => {
  it('formats and validates', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(0xffffffff)).toBe('ffffffff');
    expect(() => formatNonceCount(0)).toThrow(RangeError);
    expect(() => formatNonceCount(2 ** 32)).toThrow(RangeError);
    expect(generateCnonce()).toMatch(/^[0-9a-f]{32}$/);
    expect(generateCnonce()).not.toBe(generateCnonce());
  });
});

describe('DigestSession', () => {
  const header = (nonce: string, extra = '') => `Digest realm="r", nonce="${nonce}", qop="auth", opaque="o"${extra}`;
  const ncOf = (value: string | undefined) => (value ? parseAuthHeader(value)[0].params.nc : undefined);
  const cnonceOf = (value: string | undefined) => (value ? parseAuthHeader(value)[0].params.cnonce : undefined);

  it('sends nothing before a challenge, then nc 1, 2, 3 … per nonce, restarting with a new nonce', () => {
    let i = 0;
    const session = new DigestSession({ username: 'u', password: 'p' }, () => `c${++i}`);
    expect(session.authorize('POST', '/x')).toBeUndefined();
    session.acceptChallenge(header('n1'));
    const first = session.authorize('POST', '/x');
    expect(ncOf(first)).toBe('00000001');
    expect(ncOf(session.authorize('POST', '/x'))).toBe('00000002');
    expect(cnonceOf(session.authorize('POST', '/x'))).toBe('c1');
    // Same nonce again (e.g. a repeated challenge): nc continues.
    session.acceptChallenge(header('n1'));
    expect(ncOf(session.authorize('POST', '/x'))).toBe('00000004');
    session.acceptChallenge(header('n2', ', stale=true'));
    expect(session.challenge?.stale).toBe(true);
    const fresh = session.authorize('POST', '/x');
    expect(ncOf(fresh)).toBe('00000001');
    expect(cnonceOf(fresh)).toBe('c2');
    expect(session.nonceCount).toBe(1);
  });

  it('forgets the challenge when a 401 offers nothing usable, and on reset()', () => {
    const session = new DigestSession({ username: 'u', password: 'p' });
    session.acceptChallenge(header('n1'));
    expect(session.acceptChallenge('Basic realm="x"')).toBeUndefined();
    expect(session.authorize('POST', '/x')).toBeUndefined();
    session.acceptChallenge(header('n1'));
    session.reset();
    expect(session.challenge).toBeUndefined();
  });

  it('never exposes the password through inspect or JSON', () => {
    const session = new DigestSession({ username: 'u', password: 'hunter2-secret' });
    session.acceptChallenge(header('n1'));
    expect(inspect(session, { showHidden: true, depth: 5 })).not.toContain('hunter2-secret');
    expect(JSON.stringify(session)).not.toContain('hunter2-secret');
  });
});

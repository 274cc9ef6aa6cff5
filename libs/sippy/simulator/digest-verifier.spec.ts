import { computeDigestResponse, parseAuthHeader, quoteHeaderValue, type AuthChallenge, type DigestAlgorithm } from '../src/transport/digest-auth';
import { DigestVerifier, type DigestVerdict } from './digest-verifier';

const REALM = 'sippy@switch.test';
const USERS = { ssp: 'api-secret' };

/** A challenge's params with the members every challenge of the verifier carries. */
type ChallengeParams = AuthChallenge['params'] & { realm: string; nonce: string; opaque: string };

function complete(params: AuthChallenge['params']): ChallengeParams {
  const { realm, nonce, opaque } = params;
  if (realm === undefined || nonce === undefined || opaque === undefined) throw new Error('incomplete challenge');
  return { ...params, realm, nonce, opaque };
}

function challengeOf(verdict: DigestVerdict): ChallengeParams {
  if (verdict.ok) throw new Error('expected a failure');
  const header = verdict.headers['WWW-Authenticate'];
  if (header === undefined) throw new Error('no challenge');
  const [first] = parseAuthHeader(header);
  return complete(first.params);
}

interface AuthArgs {
  challenge: ChallengeParams;
  username?: string;
  password?: string;
  method?: string;
  uri?: string;
  nc?: number;
  algorithm?: DigestAlgorithm;
  extra?: string;
}

function authorization(args: AuthArgs): string {
  const {
    challenge,
    username = 'ssp',
    password = 'api-secret',
    method = 'POST',
    uri = '/xmlapi/xmlapi',
    nc = 1,
    algorithm = 'MD5',
  } = args;
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = '0a4f113b';
  const response = computeDigestResponse({
    algorithm,
    username,
    realm: challenge.realm,
    password,
    method,
    uri,
    nonce: challenge.nonce,
    qop: 'auth',
    nc: ncHex,
    cnonce,
  });
  return (
    `Digest username=${quoteHeaderValue(username)}, realm=${quoteHeaderValue(challenge.realm)}, ` +
    `nonce=${quoteHeaderValue(challenge.nonce)}, uri=${quoteHeaderValue(uri)}, algorithm=${algorithm}, ` +
    `qop=auth, nc=${ncHex}, cnonce="${cnonce}", response="${response}", opaque=${quoteHeaderValue(challenge.opaque)}` +
    (args.extra ?? '')
  );
}

function reason(verdict: DigestVerdict): string {
  return verdict.ok ? 'ok' : verdict.reason;
}

describe('DigestVerifier', () => {
  it('challenges a request without credentials with MD5 + qop=auth, random nonce and opaque', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const first = verifier.verify('POST', '/xmlapi/xmlapi', undefined);
    const second = verifier.verify('POST', '/xmlapi/xmlapi', '');
    expect(reason(first)).toBe('missing');
    expect(reason(second)).toBe('missing');
    const c1 = challengeOf(first);
    expect(c1).toMatchObject({ realm: REALM, qop: 'auth', algorithm: 'MD5' });
    expect(c1.nonce.length).toBeGreaterThan(20);
    expect(c1.opaque).toMatch(/^[0-9a-f]{32}$/);
    expect(challengeOf(second).nonce).not.toBe(c1.nonce);
    expect(c1.stale).toBeUndefined();
  });

  it('accepts a correct response and then requires the next nc for the same nonce', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const challenge = challengeOf(verifier.verify('POST', '/xmlapi/xmlapi', undefined));
    expect(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, nc: 1 }))).toEqual({
      ok: true,
      username: 'ssp',
    });
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, nc: 1 })))).toBe('replay');
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, nc: 3 })))).toBe('replay');
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, nc: 2 })))).toBe('ok');
  });

  it("with ncCheck 'increasing' accepts gaps but never a repeat", () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS, ncCheck: 'increasing' });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 5 })))).toBe('ok');
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 5 })))).toBe('replay');
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 4 })))).toBe('replay');
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 0x10 })))).toBe('ok');
  });

  it('rejects a wrong password, an unknown user, a wrong method and a mismatched uri', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const challenge = challengeOf(verifier.verify('POST', '/xmlapi/xmlapi', undefined));
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, password: 'nope' })))).toBe(
      'bad_response',
    );
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, username: 'eve' })))).toBe(
      'unknown_user',
    );
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge, method: 'GET' })))).toBe(
      'bad_response',
    );
    expect(reason(verifier.verify('POST', '/other', authorization({ challenge })))).toBe('uri_mismatch');
    // None of the failures consumed the nonce count.
    expect(reason(verifier.verify('POST', '/xmlapi/xmlapi', authorization({ challenge })))).toBe('ok');
  });

  it('rejects malformed or foreign credentials as bad_header', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    const good = authorization({ challenge, uri: '/x' });
    const cases = [
      'Digest username="ssp", realm=',
      'Bearer abc',
      'Digest abc',
      good.replace(/qop=auth, /, ''),
      good.replace(/qop=auth/, 'qop=auth-int'),
      good.replace(/nc=00000001/, 'nc=1'),
      good.replace(/opaque="[^"]*"/, 'opaque="0000"'),
      good.replace(/realm="[^"]*"/, 'realm="other"'),
      good.replace(/nonce="[^"]*"/, `nonce="${challenge.nonce.slice(0, -2)}ff"`),
      good + ', userhash=true',
      good + ', response="x"',
      `${good}, Digest realm="x"`,
    ];
    for (const header of cases) {
      expect([header, reason(verifier.verify('POST', '/x', header))]).toEqual([header, 'bad_header']);
    }
  });

  it('answers stale=true for an expired nonce, but only if the response is otherwise right', () => {
    let now = 1_000_000;
    const verifier = new DigestVerifier({ realm: REALM, users: USERS, nonceTtlMs: 1000, now: () => now });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 1 })))).toBe('ok');
    now += 1001;
    const wrong = verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 2, password: 'bad' }));
    expect(reason(wrong)).toBe('bad_response');
    expect(challengeOf(wrong).stale).toBeUndefined();
    const stale = verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 2 }));
    expect(reason(stale)).toBe('stale');
    const fresh = challengeOf(stale);
    expect(fresh.stale).toBe('true');
    expect(fresh.nonce).not.toBe(challenge.nonce);
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge: fresh, uri: '/x', nc: 1 })))).toBe('ok');
  });

  it('expireAllNonces forces stale=true on the next request', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 1 })))).toBe('ok');
    verifier.expireAllNonces();
    const verdict = verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc: 2 }));
    expect(reason(verdict)).toBe('stale');
    expect(challengeOf(verdict).stale).toBe('true');
  });

  it('handles Basic according to basicPolicy', () => {
    const basic = `Basic ${Buffer.from('ssp:api-secret').toString('base64')}`;
    const lenient = new DigestVerifier({ realm: REALM, users: USERS }).verify('POST', '/x', basic);
    expect(reason(lenient)).toBe('basic');
    expect(challengeOf(lenient).algorithm).toBe('MD5');
    const strict = new DigestVerifier({ realm: REALM, users: USERS, basicPolicy: 'strict' }).verify('POST', '/x', basic);
    expect(strict).toEqual({ ok: false, status: 401, reason: 'basic', headers: {} });
  });

  it('offers several algorithms in order and verifies each of them, refusing unoffered ones', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS, algorithms: ['SHA-256', 'MD5-sess'] });
    const verdict = verifier.verify('POST', '/x', undefined);
    if (verdict.ok) throw new Error('unexpected');
    const headers = verdict.headers['WWW-Authenticate'];
    if (!Array.isArray(headers)) throw new Error('expected one challenge per algorithm');
    const challenges = parseAuthHeader(headers);
    expect(challenges.map((c) => c.params.algorithm)).toEqual(['SHA-256', 'MD5-sess']);
    const challenge = complete(challenges[0].params);
    const auth = (algorithm: DigestAlgorithm, nc: number) =>
      verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', nc, algorithm }));
    expect(reason(auth('SHA-256', 1))).toBe('ok');
    expect(reason(auth('MD5-sess', 2))).toBe('ok');
    expect(reason(auth('MD5', 3))).toBe('bad_header');
    expect(reason(auth('SHA-256-sess', 3))).toBe('bad_header');
  });

  it('setUsers replaces the credentials at runtime', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: USERS });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    verifier.setUsers({ ssp: 'rotated' });
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x' })))).toBe('bad_response');
    expect(reason(verifier.verify('POST', '/x', authorization({ challenge, uri: '/x', password: 'rotated' })))).toBe(
      'ok',
    );
  });

  it('accepts an RFC 8187 username* and bounds the number of remembered nonces', () => {
    const verifier = new DigestVerifier({ realm: REALM, users: { 'Jäsøn': 'pw' }, maxNonces: 2 });
    const challenge = challengeOf(verifier.verify('POST', '/x', undefined));
    const withExtName = (nc: number) =>
      authorization({ challenge, uri: '/x', username: 'Jäsøn', password: 'pw', nc }).replace(
        /username="[^"]*"/,
        `username*=UTF-8''${encodeURIComponent('Jäsøn')}`,
      );
    expect(reason(verifier.verify('POST', '/x', withExtName(1)))).toBe('ok');
    verifier.verify('POST', '/x', undefined);
    verifier.verify('POST', '/x', undefined);
    const evicted = verifier.verify('POST', '/x', withExtName(2));
    expect(reason(evicted)).toBe('stale');
  });
});

import { createHash, randomBytes } from 'node:crypto';

/**
 * RFC 7616 (HTTP Digest) helpers shared by the client transport and the simulator's verifier.
 * Pure functions plus a small stateful DigestSession (current challenge, per-nonce nc).
 */

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

/** One challenge (WWW-Authenticate) or credentials (Authorization) element. */
export interface AuthChallenge {
  /** Scheme as sent (compare case-insensitively). */
  scheme: string;
  /** auth-params; names lower-cased, quoted values unescaped. Any may be missing (peer input). */
  params: Partial<Record<string, string>>;
  /** token68 form (e.g. Basic credentials), when present instead of params. */
  token68?: string;
}

/** The header is not valid RFC 7235 challenge/credentials syntax. */
export class AuthHeaderParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthHeaderParseError';
  }
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_AHEAD = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)/;

function isWs(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/**
 * Parses one or more `WWW-Authenticate` (or one `Authorization`) header values into challenges.
 * Accepts several challenges in one header, several headers, quoted strings with `\"` escapes and
 * token68. Throws AuthHeaderParseError on malformed syntax or a duplicated parameter.
 */
export function parseAuthHeader(header: string | readonly string[]): AuthChallenge[] {
  const values = typeof header === 'string' ? [header] : header;
  const out: AuthChallenge[] = [];
  for (const value of values) out.push(...parseOne(value));
  return out;
}

function parseOne(s: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const n = s.length;
  const readToken = (): string => {
    const start = i;
    while (i < n && TCHAR.test(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < n) {
    while (i < n && (isWs(s[i]) || s[i] === ',')) i++;
    if (i >= n) break;
    const token = readToken();
    if (token === '') throw new AuthHeaderParseError(`unexpected character at position ${i}`);
    let j = i;
    while (j < n && isWs(s[j])) j++;
    if (s[j] === '=') {
      if (!current || current.token68 !== undefined) {
        throw new AuthHeaderParseError(`parameter "${token}" outside a challenge`);
      }
      i = j + 1;
      while (i < n && isWs(s[i])) i++;
      let value: string;
      if (s[i] === '"') {
        i++;
        let buf = '';
        let closed = false;
        while (i < n) {
          const ch = s[i];
          if (ch === '\\') {
            if (i + 1 >= n) break;
            buf += s[i + 1];
            i += 2;
          } else if (ch === '"') {
            closed = true;
            i++;
            break;
          } else {
            buf += ch;
            i++;
          }
        }
        if (!closed) throw new AuthHeaderParseError(`unterminated quoted string for "${token}"`);
        value = buf;
      } else {
        value = readToken();
        if (value === '') throw new AuthHeaderParseError(`empty value for "${token}"`);
      }
      const name = token.toLowerCase();
      if (Object.prototype.hasOwnProperty.call(current.params, name)) {
        throw new AuthHeaderParseError(`duplicate parameter "${name}"`);
      }
      current.params[name] = value;
      while (i < n && isWs(s[i])) i++;
      if (i < n && s[i] !== ',') throw new AuthHeaderParseError(`expected "," at position ${i}`);
    } else {
      current = { scheme: token, params: Object.create(null) as AuthChallenge['params'] };
      out.push(current);
      i = j;
      const m = TOKEN68_AHEAD.exec(s.slice(i));
      if (m && i > 0 && isWs(s[i - 1])) {
        current.token68 = m[1];
        i += m[1].length;
      } else if (i < n && s[i] !== ',' && !isWs(s[i - 1])) {
        throw new AuthHeaderParseError(`expected a space after scheme "${token}"`);
      }
    }
  }
  return out;
}

export function isDigestAlgorithm(value: string): value is DigestAlgorithm {
  return (DIGEST_ALGORITHMS as readonly string[]).includes(value);
}

/** Normalizes the algorithm parameter (case-insensitive); absent means MD5 (RFC 7616 §3.3). */
export function normalizeAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === value.toLowerCase());
}

function baseHash(algorithm: DigestAlgorithm): 'md5' | 'sha256' {
  return algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
}

export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(baseHash(algorithm)).update(data, 'utf8').digest('hex');
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** 'auth' (auth-int is not supported); undefined = RFC 2069 compatibility (no qop). */
  qop?: 'auth';
  /** 8 hex digits; required with qop. */
  nc?: string;
  /** required with qop or a -sess algorithm. */
  cnonce?: string;
}

/** Computes the `response` value (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1). */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm } = input;
  let ha1 = digestHash(algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (algorithm.endsWith('-sess')) {
    if (input.cnonce === undefined) throw new Error(`${algorithm} requires a cnonce`);
    ha1 = digestHash(algorithm, `${ha1}:${input.nonce}:${input.cnonce}`);
  }
  const ha2 = digestHash(algorithm, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return digestHash(algorithm, `${ha1}:${input.nonce}:${ha2}`);
  if (input.nc === undefined || input.cnonce === undefined) throw new Error('qop requires nc and cnonce');
  return digestHash(algorithm, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** Quotes a value as an RFC 7230 quoted-string. */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Formats a nonce count as 8 lower-case hex digits (RFC 7616 §3.4). */
export function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) throw new RangeError(`nonce count out of range: ${nc}`);
  return nc.toString(16).padStart(8, '0');
}

export function generateCnonce(): string {
  return randomBytes(16).toString('hex');
}

/** A usable Digest challenge picked from a 401 answer. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** 'auth' when the server offers it; undefined = RFC 2069 compatibility (server sent no qop). */
  qop?: 'auth';
  opaque?: string;
  /** The server says the previous nonce was stale (credentials were right). */
  stale: boolean;
  /** RFC 7616 §3.4.4: send H(username:realm) instead of the user name. */
  userhash: boolean;
}

/** Preference order when several Digest challenges are offered (strongest hash first). */
const ALGORITHM_RANK: Record<DigestAlgorithm, number> = {
  'SHA-256': 4,
  'SHA-256-sess': 3,
  MD5: 2,
  'MD5-sess': 1,
};

/**
 * Picks the Digest challenge with the strongest supported algorithm (SHA-256 > SHA-256-sess >
 * MD5 > MD5-sess) from one or more WWW-Authenticate values. Challenges with an unknown algorithm
 * (e.g. SHA-512-256), with only qop=auth-int, or without realm/nonce are skipped. Returns
 * undefined when nothing usable is offered; throws AuthHeaderParseError on malformed syntax.
 */
export function selectDigestChallenge(header: string | readonly string[]): DigestChallenge | undefined {
  let best: DigestChallenge | undefined;
  for (const challenge of parseAuthHeader(header)) {
    if (challenge.scheme.toLowerCase() !== 'digest') continue;
    const p = challenge.params;
    const algorithm = normalizeAlgorithm(p.algorithm);
    if (algorithm === undefined || p.realm === undefined || p.nonce === undefined || p.nonce === '') continue;
    let qop: 'auth' | undefined;
    if (p.qop !== undefined) {
      const offered = p.qop.split(',').map((q) => q.trim().toLowerCase());
      if (!offered.includes('auth')) continue;
      qop = 'auth';
    }
    const candidate: DigestChallenge = {
      realm: p.realm,
      nonce: p.nonce,
      algorithm,
      qop,
      opaque: p.opaque,
      stale: p.stale?.toLowerCase() === 'true',
      userhash: p.userhash?.toLowerCase() === 'true',
    };
    if (!best || ALGORITHM_RANK[candidate.algorithm] > ALGORITHM_RANK[best.algorithm]) best = candidate;
  }
  return best;
}

export interface DigestAuthorizationInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** Request-target as sent: path + query. */
  uri: string;
  /** Nonce count (1 for the first request with this nonce). */
  nc: number;
  cnonce: string;
}

/** Builds the `Authorization: Digest …` value (RFC 7616 §3.4). */
export function buildDigestAuthorization(input: DigestAuthorizationInput): string {
  const { challenge } = input;
  const ncHex = formatNonceCount(input.nc);
  const response = computeDigestResponse({
    algorithm: challenge.algorithm,
    username: input.username,
    realm: challenge.realm,
    password: input.password,
    method: input.method,
    uri: input.uri,
    nonce: challenge.nonce,
    qop: challenge.qop,
    nc: challenge.qop ? ncHex : undefined,
    cnonce: challenge.qop || challenge.algorithm.endsWith('-sess') ? input.cnonce : undefined,
  });
  const parts: string[] = [];
  if (challenge.userhash) {
    parts.push(`username=${quoteHeaderValue(digestHash(challenge.algorithm, `${input.username}:${challenge.realm}`))}`);
  } else if (/^[\x20-\x7e]*$/.test(input.username)) {
    parts.push(`username=${quoteHeaderValue(input.username)}`);
  } else {
    parts.push(`username*=UTF-8''${encodeRfc8187(input.username)}`);
  }
  parts.push(
    `realm=${quoteHeaderValue(challenge.realm)}`,
    `uri=${quoteHeaderValue(input.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `nonce=${quoteHeaderValue(challenge.nonce)}`,
  );
  if (challenge.qop) parts.push(`nc=${ncHex}`, `cnonce=${quoteHeaderValue(input.cnonce)}`, `qop=${challenge.qop}`);
  else if (challenge.algorithm.endsWith('-sess')) parts.push(`cnonce=${quoteHeaderValue(input.cnonce)}`);
  parts.push(`response=${quoteHeaderValue(response)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quoteHeaderValue(challenge.opaque)}`);
  if (challenge.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface DigestCredentials {
  username: string;
  password: string;
}

/**
 * Client-side Digest state for one connection target: the current challenge, its nonce count and
 * cnonce. nc starts at 1 for every new nonce and increases by one per authorize(); the cnonce is
 * random (crypto.randomBytes) and kept for the lifetime of a nonce (needed by -sess algorithms).
 * Not safe for interleaved use: callers serialize requests (the transport holds a mutex).
 * The password lives in a private field (#password), invisible to util.inspect and JSON.
 */
export class DigestSession {
  readonly username: string;
  readonly #password: string;
  readonly #newCnonce: () => string;
  #challenge: DigestChallenge | undefined;
  #nc = 0;
  #cnonce = '';

  constructor(credentials: DigestCredentials, cnonceFactory: () => string = generateCnonce) {
    this.username = credentials.username;
    this.#password = credentials.password;
    this.#newCnonce = cnonceFactory;
  }

  /** The challenge in use, if any. */
  get challenge(): DigestChallenge | undefined {
    return this.#challenge;
  }

  /** The last nonce count sent with the current nonce (0 = none yet). */
  get nonceCount(): number {
    return this.#nc;
  }

  /**
   * Adopts the best challenge of a 401 answer. A new nonce restarts nc at 1 with a new cnonce.
   * Returns the adopted challenge, or undefined (and keeps no state) when nothing usable is offered.
   */
  acceptChallenge(header: string | readonly string[]): DigestChallenge | undefined {
    const challenge = selectDigestChallenge(header);
    if (!challenge) {
      this.reset();
      return undefined;
    }
    if (!this.#challenge || this.#challenge.nonce !== challenge.nonce) {
      this.#nc = 0;
      this.#cnonce = this.#newCnonce();
    }
    this.#challenge = challenge;
    return challenge;
  }

  /** Authorization value for the next request (nc + 1), or undefined before any challenge. */
  authorize(method: string, uri: string): string | undefined {
    const challenge = this.#challenge;
    if (!challenge) return undefined;
    if (this.#nc >= 0xffffffff) {
      // nc would overflow: drop the nonce so the next request is challenged afresh.
      this.reset();
      return undefined;
    }
    this.#nc += 1;
    return buildDigestAuthorization({
      challenge,
      username: this.username,
      password: this.#password,
      method,
      uri,
      nc: this.#nc,
      cnonce: this.#cnonce,
    });
  }

  /** Forgets the challenge (the next request goes without credentials). */
  reset(): void {
    this.#challenge = undefined;
    this.#nc = 0;
    this.#cnonce = '';
  }

  toJSON(): { username: string; nonceCount: number } {
    return { username: this.username, nonceCount: this.#nc };
  }
}

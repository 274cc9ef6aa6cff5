import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import {
  AuthHeaderParseError,
  computeDigestResponse,
  normalizeAlgorithm,
  parseAuthHeader,
  quoteHeaderValue,
  type AuthChallenge,
  type DigestAlgorithm,
} from '../src/transport/digest-auth';

export type { DigestAlgorithm } from '../src/transport/digest-auth';

export interface DigestVerifierOptions {
  realm: string;
  /** username -> password (replace at runtime with setUsers). */
  users: Record<string, string>;
  /** Challenges offered, in order; default ['MD5'] (Sippy's is MD5 + qop=auth). */
  algorithms?: DigestAlgorithm[];
  /** Expired nonce -> 401 with stale=true; default 300000. */
  nonceTtlMs?: number;
  /** A pre-sent Basic header: 401 with a fresh challenge (default) or 401 without any challenge. */
  basicPolicy?: 'challenge' | 'strict';
  /**
   * 'next' (default, like Apache's AuthDigestNcCheck): nc must be exactly the previous nc + 1 for
   * that nonce. 'increasing': any nc greater than the last accepted one.
   */
  ncCheck?: 'next' | 'increasing';
  /** Upper bound of remembered nonces (oldest evicted first). Default 10000. */
  maxNonces?: number;
  now?: () => number;
}

export type DigestFailureReason =
  | 'missing'
  | 'basic'
  | 'bad_header'
  | 'unknown_user'
  | 'bad_response'
  | 'stale'
  | 'replay'
  | 'uri_mismatch';

export type DigestVerdict =
  | { ok: true; username: string }
  | {
      ok: false;
      status: 401;
      reason: DigestFailureReason;
      /** WWW-Authenticate challenge(s) to send (none for basicPolicy 'strict'). */
      headers: ChallengeHeaders;
    };

export interface ChallengeHeaders {
  'WWW-Authenticate'?: string | string[];
}

interface NonceState {
  issuedAt: number;
  /** Last accepted nonce count (0 = none yet). */
  lastNc: number;
}

const NONCE_SEP = '.';

/**
 * Strict server-side RFC 7616/2617 Digest verifier (qop=auth), framework-free.
 *
 * Nonces are `<issuedAt>.<random>.<hmac>` signed with a per-instance secret, so a nonce the
 * verifier never issued is rejected as bad_header, while one it issued but forgot or that expired
 * is answered with stale=true (only when the response hash is otherwise correct, RFC 7616 §3.3).
 * nc is tracked per nonce; a repeated or out-of-order count is a 'replay'.
 */
export class DigestVerifier {
  private readonly realm: string;
  private users: Map<string, string>;
  private readonly algorithms: DigestAlgorithm[];
  private readonly nonceTtlMs: number;
  private readonly basicPolicy: 'challenge' | 'strict';
  private readonly ncCheck: 'next' | 'increasing';
  private readonly maxNonces: number;
  private readonly now: () => number;
  private readonly secret = randomBytes(32);
  private readonly opaque = randomBytes(16).toString('hex');
  private readonly nonces = new Map<string, NonceState>();

  constructor(options: DigestVerifierOptions) {
    if (!options.realm) throw new Error('DigestVerifier: realm is required');
    this.realm = options.realm;
    this.users = new Map(Object.entries(options.users));
    this.algorithms = options.algorithms && options.algorithms.length > 0 ? [...options.algorithms] : ['MD5'];
    for (const a of this.algorithms) {
      if (normalizeAlgorithm(a) !== a) throw new Error(`DigestVerifier: unsupported algorithm ${a}`);
    }
    this.nonceTtlMs = options.nonceTtlMs ?? 300_000;
    this.basicPolicy = options.basicPolicy ?? 'challenge';
    this.ncCheck = options.ncCheck ?? 'next';
    this.maxNonces = options.maxNonces ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  setUsers(users: Record<string, string>): void {
    this.users = new Map(Object.entries(users));
  }

  /** Forgets every issued nonce: the next request with an old nonce gets 401 stale=true. */
  expireAllNonces(): void {
    this.nonces.clear();
  }

  /** A fresh challenge, e.g. for a request without credentials. */
  challenge(stale = false): Required<ChallengeHeaders> {
    const nonce = this.issueNonce();
    const values = this.algorithms.map((algorithm) => {
      const parts = [
        `realm=${quoteHeaderValue(this.realm)}`,
        `qop="auth"`,
        `algorithm=${algorithm}`,
        `nonce=${quoteHeaderValue(nonce)}`,
        `opaque=${quoteHeaderValue(this.opaque)}`,
      ];
      if (stale) parts.push('stale=true');
      return `Digest ${parts.join(', ')}`;
    });
    return { 'WWW-Authenticate': values.length === 1 ? values[0] : values };
  }

  verify(method: string, requestUri: string, authorization: string | undefined): DigestVerdict {
    if (authorization === undefined || authorization.trim() === '') return this.fail('missing');

    let credentials: AuthChallenge[];
    try {
      credentials = parseAuthHeader(authorization);
    } catch (error) {
      if (error instanceof AuthHeaderParseError) return this.fail('bad_header');
      throw error;
    }
    if (credentials.length !== 1) return this.fail('bad_header');
    const [cred] = credentials;
    const scheme = cred.scheme.toLowerCase();
    if (scheme === 'basic') {
      return this.basicPolicy === 'strict'
        ? { ok: false, status: 401, reason: 'basic', headers: {} }
        : this.fail('basic');
    }
    if (scheme !== 'digest' || cred.token68 !== undefined) return this.fail('bad_header');

    const p = cred.params;
    const username = p.username ?? decodeExtValue(p['username*']);
    const { realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (
      username === undefined ||
      (p.username !== undefined && p['username*'] !== undefined) ||
      realm === undefined ||
      nonce === undefined ||
      uri === undefined ||
      response === undefined ||
      qop === undefined ||
      nc === undefined ||
      cnonce === undefined ||
      cnonce === ''
    ) {
      return this.fail('bad_header');
    }
    if (p.userhash !== undefined && p.userhash.toLowerCase() !== 'false') return this.fail('bad_header');
    if (realm !== this.realm || qop !== 'auth' || !/^[0-9a-fA-F]{8}$/.test(nc)) return this.fail('bad_header');
    if (p.opaque !== this.opaque) return this.fail('bad_header');
    const algorithm = normalizeAlgorithm(p.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) return this.fail('bad_header');
    if (!this.isOurNonce(nonce)) return this.fail('bad_header');
    if (uri !== requestUri) return this.fail('uri_mismatch');

    const password = this.users.get(username);
    const expected = computeDigestResponse({
      algorithm,
      username,
      realm,
      // Hash even for an unknown user, so the answer time does not reveal which names exist.
      password: password ?? this.opaque,
      method,
      uri,
      nonce,
      qop: 'auth',
      nc,
      cnonce,
    });
    const matches = constantTimeEqualHex(expected, response);
    if (password === undefined) return this.fail('unknown_user');
    if (!matches) return this.fail('bad_response');

    const state = this.nonces.get(nonce);
    if (state === undefined || this.now() - state.issuedAt > this.nonceTtlMs) {
      this.nonces.delete(nonce);
      return this.fail('stale', true);
    }
    const count = Number.parseInt(nc, 16);
    const inOrder = this.ncCheck === 'next' ? count === state.lastNc + 1 : count > state.lastNc;
    if (!inOrder) return this.fail('replay');
    state.lastNc = count;
    return { ok: true, username };
  }

  private fail(reason: DigestFailureReason, stale = false): DigestVerdict {
    return { ok: false, status: 401, reason, headers: this.challenge(stale) };
  }

  private issueNonce(): string {
    const issuedAt = this.now();
    const body = `${issuedAt}${NONCE_SEP}${randomBytes(12).toString('hex')}`;
    const nonce = `${body}${NONCE_SEP}${this.sign(body)}`;
    this.prune(issuedAt);
    this.nonces.set(nonce, { issuedAt, lastNc: 0 });
    return nonce;
  }

  private prune(now: number): void {
    for (const [nonce, state] of this.nonces) {
      if (now - state.issuedAt > this.nonceTtlMs) this.nonces.delete(nonce);
    }
    while (this.nonces.size >= this.maxNonces) {
      const oldest = this.nonces.keys().next();
      if (oldest.done) break;
      this.nonces.delete(oldest.value);
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('hex').slice(0, 32);
  }

  private isOurNonce(nonce: string): boolean {
    const cut = nonce.lastIndexOf(NONCE_SEP);
    if (cut <= 0) return false;
    return constantTimeEqualHex(this.sign(nonce.slice(0, cut)), nonce.slice(cut + 1));
  }
}

function constantTimeEqualHex(expected: string, actual: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(actual.toLowerCase(), 'utf8');
  if (a.length !== b.length) {
    // Keep the timing independent of where the strings differ.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** RFC 8187 ext-value (UTF-8''percent-encoded) used by username*. */
function decodeExtValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^UTF-8'[^']*'(.*)$/i.exec(value);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

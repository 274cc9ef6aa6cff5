import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FakeServer } from '@velora/simulator-kit';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** The person the fake issuer signs in (auto-approved at /authorize). */
export interface FakeOidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Put in the `roles` claim and in `realm_access.roles` (Keycloak style). */
  roles?: string[];
  /** Any other claims for the ID token. */
  extra?: Record<string, unknown>;
}

/** What the next tokens look like: the knobs of the failure tests. */
export interface FakeOidcTokenKnobs {
  /** aud of the ID token (default: the client id). */
  audience?: string;
  /** exp an hour ago. */
  expired?: boolean;
  /** Signed with another key that claims the published kid. */
  badSignature?: boolean;
  /** Use this nonce instead of the one of the authorization request (replay of an old ID token). */
  nonce?: string;
  /** iss of the ID token (default: the issuer). */
  issuer?: string;
}

export interface FakeOidcIssuerOptions {
  clientId: string;
  /** Confidential client: /token requires it (Basic or client_secret_post). Unset = public client (PKCE only). */
  clientSecret?: string;
  /** Host name in the issuer URL (the server listens on 127.0.0.1); `localhost` makes it cross-site to 127.0.0.1. */
  host?: '127.0.0.1' | 'localhost';
  /** Registered redirect URIs (exact match); unset = any http(s) URL on a loopback host. */
  redirectUris?: string[];
  user?: FakeOidcUser;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string;
  user: FakeOidcUser;
  knobs: FakeOidcTokenKnobs;
}

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

const LOOPBACK_REDIRECT = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

/**
 * A small but real OpenID Connect issuer on 127.0.0.1 (port 0) for tests: discovery, JWKS (RSA key made
 * with jose), /authorize (auto-approves `user`; checks client_id, redirect_uri, response_type, S256 PKCE)
 * and /token (checks code, code_verifier, client authentication; returns an RS256 ID token and a JWT access
 * token). Knobs make the next tokens wrong in one way each; `setDown(true)` makes every request fail at the
 * socket while the port stays bound (FakeServerLifecycle downMode 'reset'), so the issuer URL stays valid.
 */
export class FakeOidcIssuer extends FakeServer<Server> {
  /** The user /authorize signs in. */
  user: FakeOidcUser;
  /** Applied to tokens of codes issued from now on. */
  knobs: FakeOidcTokenKnobs = {};
  /** /authorize answers with this error (e.g. access_denied) instead of a code. */
  authorizeError: string | undefined;
  /** Requests seen, by path (to assert that discovery is cached, that nothing was called…). */
  readonly requests: string[] = [];
  /** Form bodies of /token requests. */
  readonly tokenRequests: Array<{ params: URLSearchParams; authorization: string | undefined }> = [];

  private readonly codes = new Map<string, PendingCode>();
  private key!: KeyPair;
  private rogueKey!: KeyPair;
  private jwk!: JWK;
  private readonly kid = `fake-${randomBytes(4).toString('hex')}`;

  constructor(private readonly options: FakeOidcIssuerOptions) {
    super('FakeOidcIssuer', { downMode: 'reset' });
    this.user = options.user ?? { sub: 'user-1', email: 'sso.user@example.com', email_verified: true, name: 'SSO User' };
  }

  get issuer(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** Called by start(): the signing key, a rogue key (badSignature) and the published JWK. */
  protected override async prepare(): Promise<void> {
    this.key = await generateKeyPair('RS256', { extractable: true });
    this.rogueKey = await generateKeyPair('RS256', { extractable: true });
    this.jwk = { ...(await exportJWK(this.key.publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  /** down() or up(): while down, open keep-alive connections are dropped and new ones reset (the port stays bound). */
  async setDown(down: boolean): Promise<void> {
    await (down ? this.down() : this.up());
  }

  /** A JWT access token as the issuer would mint it (for Bearer tests). */
  async accessToken(claims: Record<string, unknown> & { sub: string }, options: { audience?: string; expired?: boolean; badSignature?: boolean } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, scope: 'openid email', azp: this.options.clientId })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(options.audience ?? this.options.clientId)
      .setIssuedAt(options.expired ? now - 7200 : now)
      .setExpirationTime(options.expired ? now - 3600 : now + 300)
      .sign(options.badSignature ? this.rogueKey.privateKey : this.key.privateKey);
  }

  protected override createServer(): Server {
    return createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { error: 'server_error', error_description: error instanceof Error ? error.message : String(error) });
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    this.requests.push(url.pathname);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        { this.json(res, 200, this.metadata()); return; }
      case 'GET /jwks':
        { this.json(res, 200, { keys: [this.jwk] }); return; }
      case 'GET /authorize':
        { this.authorize(url.searchParams, res); return; }
      case 'POST /token':
        return this.token(req, res);
      default:
        { this.json(res, 404, { error: 'not_found' }); return; }
    }
  }

  private metadata(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      jwks_uri: `${this.issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: ['openid', 'email', 'profile'],
      claims_supported: ['sub', 'email', 'email_verified', 'name', 'roles'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  private authorize(params: URLSearchParams, res: ServerResponse): void {
    const redirectUri = params.get('redirect_uri') ?? '';
    const allowed = this.options.redirectUris !== undefined ? this.options.redirectUris.includes(redirectUri) : LOOPBACK_REDIRECT.test(redirectUri);
    // per RFC 6749 §4.1.2.1 never redirect to an unchecked redirect_uri: answer here instead
    if (params.get('client_id') !== this.options.clientId) { this.text(res, 400, 'unknown client_id'); return; }
    if (!allowed) { this.text(res, 400, 'redirect_uri is not registered'); return; }
    const state = params.get('state');
    const back = new URL(redirectUri);
    if (state !== null) back.searchParams.set('state', state);
    back.searchParams.set('iss', this.issuer);
    const problem =
      params.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : !(params.get('scope') ?? '').split(' ').includes('openid')
          ? 'invalid_scope'
          : params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')
            ? 'invalid_request'
            : this.authorizeError;
    if (problem !== undefined) {
      back.searchParams.set('error', problem);
      this.redirect(res, back.href); return;
    }
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId: this.options.clientId,
      redirectUri,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge: params.get('code_challenge') ?? '',
      user: structuredClone(this.user),
      knobs: { ...this.knobs },
    });
    back.searchParams.set('code', code);
    this.redirect(res, back.href);
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    this.tokenRequests.push({ params, authorization: req.headers.authorization });

    const clientProblem = this.checkClient(params, req.headers.authorization);
    if (clientProblem !== undefined) { this.json(res, 401, { error: 'invalid_client', error_description: clientProblem }); return; }
    if (params.get('grant_type') !== 'authorization_code') { this.json(res, 400, { error: 'unsupported_grant_type' }); return; }
    const code = params.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code); // one use only
    if (pending === undefined) { this.json(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' }); return; }
    if (params.get('redirect_uri') !== pending.redirectUri) { this.json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri differs' }); return; }
    const verifier = params.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge) {
      this.json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' }); return;
    }

    const { user, knobs } = pending;
    const now = Math.floor(Date.now() / 1000);
    const iat = knobs.expired ? now - 7200 : now;
    const claims: Record<string, unknown> = {
      ...user.extra,
      ...(user.email !== undefined ? { email: user.email } : {}),
      ...(user.email_verified !== undefined ? { email_verified: user.email_verified } : {}),
      ...(user.name !== undefined ? { name: user.name } : {}),
      ...(user.roles !== undefined ? { roles: user.roles, realm_access: { roles: user.roles } } : {}),
      ...(knobs.nonce !== undefined ? { nonce: knobs.nonce } : pending.nonce !== undefined ? { nonce: pending.nonce } : {}),
    };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(knobs.issuer ?? this.issuer)
      .setSubject(user.sub)
      .setAudience(knobs.audience ?? pending.clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(knobs.badSignature ? this.rogueKey.privateKey : this.key.privateKey);
    const accessToken = await this.accessToken({ sub: user.sub, ...(user.email !== undefined ? { email: user.email } : {}) });
    this.json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid email profile' });
  }

  private checkClient(params: URLSearchParams, authorization: string | undefined): string | undefined {
    const secret = this.options.clientSecret;
    let clientId = params.get('client_id') ?? undefined;
    let presented = params.get('client_secret') ?? undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, at));
      presented = decodeURIComponent(decoded.slice(at + 1));
    }
    if (clientId !== this.options.clientId) return 'unknown client';
    if (secret !== undefined && presented !== secret) return 'client authentication failed';
    if (secret === undefined && presented !== undefined) return 'public client must not send a secret';
    return undefined;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  private text(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  }

  private redirect(res: ServerResponse, location: string): void {
    res.writeHead(302, { location });
    res.end();
  }
}

import { BadGatewayException, GatewayTimeoutException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { Clock } from '../common/clock';
import { AppConfig, type OidcConfig } from '../config/app-config';
import { isLoopbackHost } from '../config/env.validation';
import type { UserRow } from '../database/database.types';
import { AuditService } from './audit.service';
import { AuthService, type IssuedSession } from './auth.service';
import { type AuthContext, isRole, type Role } from './auth.types';
import { displayNameOf, emailOf, mapRole, OidcError, safeReturnTo } from './oidc-claims';
import { SSO_ONLY_PASSWORD_HASH } from './password-hasher';
import { SessionSecretService } from './session-secret.service';
import { type OidcIdentity, UsersRepository } from './users.repository';
import { isUniqueViolation } from '../database/errors/unique-violation';

/** The short-lived cookie that carries one sign-in attempt from /login to /callback. */
export const OIDC_FLOW_COOKIE = 'velora_oidc_flow';
export const OIDC_FLOW_COOKIE_PATH = '/api/auth/oidc';
export const OIDC_FLOW_LIFETIME_MS = 10 * 60_000;
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
/** Discovery metadata is re-read this often (keys are refreshed by the JWKS cache on unknown kids). */
const DISCOVERY_TTL_MS = 3_600_000;
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Claims of the signed flow cookie (HS256 with the session key; typ keeps it apart from session JWTs). */
interface FlowClaims {
  typ: 'oidc_flow';
  /** state */
  st: string;
  /** nonce */
  n: string;
  /** PKCE code_verifier */
  v: string;
  /** redirect_uri sent to the issuer (the token request must repeat it exactly) */
  r: string;
  /** where to go afterwards */
  rt: string;
}

export interface OidcPublicConfig {
  enabled: boolean;
  display_name: string | null;
}

export interface BegunLogin {
  authorizationUrl: string;
  /** Value of the OIDC_FLOW_COOKIE. */
  flowToken: string;
}

export interface CompletedLogin {
  session: IssuedSession;
  returnTo: string;
}

interface CachedDiscovery {
  configuration: oidc.Configuration;
  jwks?: ReturnType<typeof createRemoteJWKSet>;
  at: number;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** The error and its causes. Duck-typed: fetch errors may come from another realm (instanceof fails there). */
function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8) {
    chain.push(current);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

function describeError(error: unknown): string {
  const chain = errorChain(error);
  if (chain.length === 0) return String(error);
  return chain
    .map((e) => (typeof e.message === 'string' ? e.message : ''))
    .filter((m, i, all) => m !== '' && all.indexOf(m) === i)
    .join(': ');
}

function isTimeout(error: unknown): boolean {
  return errorChain(error).some(
    (e) => e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'OAUTH_TIMEOUT' || e.code === 'ERR_JWKS_TIMEOUT' || e instanceof joseErrors.JWKSTimeout,
  );
}

/** A failure to talk to the issuer at all (connection refused, DNS, timeout, TLS). */
function isNetworkError(error: unknown): boolean {
  return (
    isTimeout(error) ||
    errorChain(error).some(
      (e) =>
        (e.name === 'TypeError' && typeof e.message === 'string' && /fetch failed|network/i.test(e.message)) ||
        (typeof e.code === 'string' && /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR|CERT_|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(e.code)),
    )
  );
}

/**
 * OpenID Connect single sign-on with openid-client (discovery, authorization code + PKCE + state + nonce,
 * ID token verified against the issuer's JWKS: signature, iss, aud, exp, nonce). Users are linked by issuer +
 * subject after their first SSO sign-in; the session is the normal Velora session (AuthService.issueSession).
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OIDC');
  private discovery: Promise<CachedDiscovery> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly secret: SessionSecretService,
    private readonly clock: Clock,
  ) {}

  private get settings(): OidcConfig {
    return this.config.oidc;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  get acceptsBearerTokens(): boolean {
    return this.settings.enabled && this.settings.acceptBearerTokens;
  }

  publicConfig(): OidcPublicConfig {
    return { enabled: this.enabled, display_name: this.enabled ? this.settings.displayName : null };
  }

  /** 404 on every SSO endpoint while OIDC_ISSUER_URL is unset. */
  assertEnabled(): void {
    if (!this.enabled) throw new NotFoundException('Single sign-on is not configured (OIDC_ISSUER_URL is unset)');
  }

  /** OIDC_REDIRECT_URL, else the callback on the origin the browser used (needs TRUST_PROXY behind a proxy). */
  redirectUriFor(origin: string): string {
    return this.settings.redirectUrl ?? `${origin}${OIDC_CALLBACK_PATH}`;
  }

  /** Step 1: the issuer's authorization URL and the signed flow cookie (state, nonce, PKCE verifier). */
  async beginLogin(redirectUri: string, returnTo: unknown): Promise<BegunLogin> {
    const { configuration } = await this.discovered();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const claims: FlowClaims = { typ: 'oidc_flow', st: state, n: nonce, v: verifier, r: redirectUri, rt: safeReturnTo(returnTo) };
    const flowToken = await this.jwt.signAsync(claims, { secret: await this.secret.get(), algorithm: 'HS256', expiresIn: OIDC_FLOW_LIFETIME_MS / 1000 });
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.scopes(),
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, flowToken };
  }

  /** The return_to of a flow cookie, if it is genuine (for redirects after a failure). */
  async returnToOf(flowToken: string | undefined): Promise<string> {
    const flow = await this.readFlow(flowToken);
    return flow?.rt ?? '/';
  }

  /**
   * Step 2 (the callback): checks state against the flow cookie, exchanges the code (PKCE), verifies the
   * ID token, finds or creates the user, maps the role and issues a Velora session. Audits success and failure.
   * Throws OidcError with the code the login page shows.
   */
  async completeLogin(flowToken: string | undefined, query: URLSearchParams, ip: string | null): Promise<CompletedLogin> {
    try {
      const flow = await this.readFlow(flowToken);
      if (flow === undefined) throw new OidcError('flow_expired', 'no valid sign-in flow cookie (expired, already used, or cookies blocked)');
      if (query.get('state') !== flow.st) throw new OidcError('state_mismatch', 'the state returned by the issuer does not match this browser\'s sign-in');
      const idpError = query.get('error');
      if (idpError !== null) throw new OidcError('idp_error', `the issuer refused the sign-in: ${idpError.slice(0, 100)}`);
      const claims = await this.exchangeCode(flow, query);
      const user = await this.resolveUser(claims, ip);
      const now = new Date(this.clock.now());
      await this.users.touchLogin(user.row.id, now);
      await this.audit.record({
        action: 'auth.login',
        actor: { userId: user.row.id, email: user.row.email },
        target: user.row.email,
        ip,
        details: { via: 'oidc', issuer: this.settings.issuerUrl, ...user.details },
      });
      return { session: await this.auth.issueSession({ ...user.row, last_login_at: now }), returnTo: flow.rt };
    } catch (error) {
      const failure = error instanceof OidcError ? error : new OidcError('internal', describeError(error));
      if (failure.code === 'internal') this.logger.error(`SSO sign-in failed: ${failure.message}`, error instanceof Error ? error.stack : undefined);
      else this.logger.warn(`SSO sign-in refused (${failure.code}): ${failure.message}`);
      await this.audit.record({
        action: 'auth.login_failed',
        actor: null,
        target: failure instanceof SsoUserError ? failure.target : null,
        ip,
        details: { via: 'oidc', reason: failure.code, detail: failure.message.slice(0, 300) },
      });
      throw failure;
    }
  }

  /** A Bearer JWT access token from the issuer (OIDC_ACCEPT_BEARER_TOKENS): the linked or same-email user, or null. */
  async authenticateAccessToken(token: string): Promise<AuthContext | null> {
    if (!this.acceptsBearerTokens) return null;
    let payload: JWTPayload;
    try {
      const { jwks } = await this.discovered();
      if (jwks === undefined) throw new OidcError('issuer_unreachable', 'the issuer metadata has no jwks_uri');
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: this.settings.issuerUrl,
        audience: this.settings.audience ?? this.settings.clientId,
        algorithms: ASYMMETRIC_ALGORITHMS,
      }));
    } catch (error) {
      if (error instanceof OidcError || isNetworkError(error)) {
        const message = `Cannot verify the access token: the SSO issuer ${this.settings.issuerUrl} ${isTimeout(error) ? 'did not answer in time' : 'is unreachable'} (${describeError(error)})`;
        throw isTimeout(error) ? new GatewayTimeoutException(message) : new BadGatewayException(message);
      }
      return null;
    }
    // an ID token is no access token (it carries the nonce of a browser sign-in)
    if (payload.nonce !== undefined || typeof payload.sub !== 'string') return null;
    let user = await this.users.findByOidcIdentity({ issuer: this.issuer(), subject: payload.sub });
    if (user === undefined) {
      const email = emailOf(payload);
      user = 'email' in email ? await this.users.findByEmail(email.email) : undefined;
      if (user !== undefined && user.oidc_subject !== null && user.oidc_subject !== payload.sub) return null;
    }
    if (user === undefined || user.disabled) return null;
    return {
      userId: user.id,
      email: user.email,
      role: isRole(user.role) ? user.role : 'agent',
      displayName: user.display_name,
      mustChangePassword: false,
      via: 'oidc',
    };
  }

  private issuer(): string {
    return this.settings.issuerUrl ?? '';
  }

  private scopes(): string {
    const scopes = this.settings.scopes.split(' ');
    return (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' ');
  }

  private async readFlow(flowToken: string | undefined): Promise<FlowClaims | undefined> {
    if (flowToken === undefined || flowToken === '') return undefined;
    try {
      const claims = await this.jwt.verifyAsync<Partial<FlowClaims>>(flowToken, { secret: await this.secret.get(), algorithms: ['HS256'] });
      if (claims.typ !== 'oidc_flow' || typeof claims.st !== 'string' || typeof claims.n !== 'string' || typeof claims.v !== 'string' || typeof claims.r !== 'string') {
        return undefined;
      }
      return { typ: 'oidc_flow', st: claims.st, n: claims.n, v: claims.v, r: claims.r, rt: safeReturnTo(claims.rt) };
    } catch {
      return undefined;
    }
  }

  /** Lazy, cached discovery; a failure is not cached (the next sign-in tries again) and never stops the app. */
  private discovered(): Promise<CachedDiscovery> {
    const cached = this.discovery;
    if (cached !== undefined) {
      return cached.then((d) => {
        if (Date.now() - d.at < DISCOVERY_TTL_MS) return d;
        this.discovery = undefined;
        return this.discovered();
      });
    }
    const settings = this.settings;
    const issuer = new URL(this.issuer());
    const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
    const clientAuth = settings.clientSecret !== undefined ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
    const pending = oidc
      .discovery(issuer, settings.clientId ?? '', settings.clientSecret !== undefined ? { client_secret: settings.clientSecret } : undefined, clientAuth, {
        timeout: Math.ceil(settings.timeoutMs / 1000),
        // ID tokens are verified against the issuer's JWKS (signature), not only by TLS to the token endpoint.
        // allowInsecureRequests is "deprecated" only to stand out: plain http is allowed for a loopback issuer only.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
      })
      .then((configuration): CachedDiscovery => {
        const jwksUri = configuration.serverMetadata().jwks_uri;
        this.logger.log(`discovered the SSO issuer ${this.issuer()}`);
        return {
          configuration,
          jwks: jwksUri !== undefined ? createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: settings.timeoutMs }) : undefined,
          at: Date.now(),
        };
      })
      .catch((error: unknown) => {
        this.discovery = undefined;
        const timedOut = isTimeout(error);
        throw new OidcError(
          'issuer_unreachable',
          `OpenID Connect discovery of ${this.issuer()} failed${timedOut ? ' (timed out)' : ''}: ${describeError(error)}`,
          timedOut,
        );
      });
    this.discovery = pending;
    return pending;
  }

  /** Token request with the PKCE verifier; the ID token is checked (signature via JWKS, iss, aud, exp, iat, nonce). */
  private async exchangeCode(flow: FlowClaims, query: URLSearchParams): Promise<Record<string, unknown>> {
    const { configuration } = await this.discovered();
    const currentUrl = new URL(flow.r);
    for (const [key, value] of query) currentUrl.searchParams.append(key, value);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.v,
        expectedState: flow.st,
        expectedNonce: flow.n,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        throw new OidcError('idp_error', `the issuer refused the sign-in: ${error.error}`);
      }
      if (isNetworkError(error)) {
        throw new OidcError('issuer_unreachable', `the token request to ${this.issuer()} failed: ${describeError(error)}`, isTimeout(error));
      }
      if (error instanceof oidc.ResponseBodyError) {
        throw new OidcError('token_invalid', `the issuer rejected the authorization code: ${error.error}`);
      }
      throw new OidcError('token_invalid', `the ID token was rejected: ${describeError(error)}`);
    }
    const claims = tokens.claims();
    if (claims === undefined) throw new OidcError('token_invalid', 'the token response has no ID token');
    return { ...claims };
  }

  /** Finds the user (linked identity, else email) or creates one; applies the IdP role; refuses disabled users. */
  private async resolveUser(claims: Record<string, unknown>, ip: string | null): Promise<{ row: UserRow; details: Record<string, unknown> }> {
    const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
    const identity: OidcIdentity = { issuer: this.issuer(), subject };
    const mail = emailOf(claims);
    if ('error' in mail) {
      throw new SsoUserError(mail.error, mail.error === 'no_email' ? 'the ID token has no usable email claim (add the email scope/mapper at the IdP)' : 'the IdP says the email is not verified', `sub:${subject.slice(0, 200)}`);
    }
    const email = mail.email;
    const details: Record<string, unknown> = {};
    const mappedRole = mapRole(claims, this.settings);

    let row = await this.users.findByOidcIdentity(identity);
    if (row === undefined) {
      row = await this.users.findByEmail(email);
      if (row !== undefined) {
        if (row.oidc_issuer !== null && (row.oidc_issuer !== identity.issuer || row.oidc_subject !== identity.subject)) {
          throw new SsoUserError('not_allowed', 'the Velora user with this email is linked to another SSO identity', email);
        }
        if (row.disabled) throw new SsoUserError('disabled', 'the account is disabled', email);
        row = (await this.users.update(row.id, { oidcIdentity: identity })) ?? row;
        details['linked'] = true;
      } else {
        if (!this.settings.autoCreateUsers) {
          throw new SsoUserError('not_allowed', 'no Velora user has this email and OIDC_AUTO_CREATE_USERS is off', email);
        }
        row = await this.createUser(identity, email, mappedRole ?? this.settings.defaultRole, displayNameOf(claims), ip);
        details['created'] = true;
      }
    }
    if (row.disabled) throw new SsoUserError('disabled', 'the account is disabled', row.email);

    const changes: { role?: Role; passwordHash?: string; mustChangePassword?: boolean; bumpSessionEpoch?: boolean } = {};
    if (mappedRole !== undefined && mappedRole !== row.role) {
      if (row.role === 'admin' && !(await this.isAnotherActiveAdmin())) {
        details['role_kept'] = 'last_admin';
        this.logger.warn(`the IdP no longer grants ${row.email} the admin role, but they are the last active admin: role kept`);
      } else {
        details['role'] = { from: row.role, to: mappedRole };
        changes.role = mappedRole;
        changes.bumpSessionEpoch = true;
      }
    }
    if (row.must_change_password) {
      // an admin-set temporary password is void once the IdP has vouched for the user: SSO only from now on
      changes.passwordHash = SSO_ONLY_PASSWORD_HASH;
      changes.mustChangePassword = false;
      changes.bumpSessionEpoch = true;
      details['temporary_password_voided'] = true;
    }
    if (Object.keys(changes).length > 0) {
      row = (await this.users.update(row.id, changes)) ?? row;
    }
    return { row, details };
  }

  private async isAnotherActiveAdmin(): Promise<boolean> {
    return (await this.users.countActiveAdmins()) > 1;
  }

  private async createUser(identity: OidcIdentity, email: string, role: Role, displayName: string | null, ip: string | null): Promise<UserRow> {
    let row: UserRow | undefined;
    try {
      row = await this.users.insert({ id: randomUUID(), email, passwordHash: SSO_ONLY_PASSWORD_HASH, role, displayName, mustChangePassword: false, oidcIdentity: identity });
    } catch (error) {
      // two first sign-ins at once: the other one created the user
      if (!isUniqueViolation(error)) throw error;
      row = await this.users.findByOidcIdentity(identity);
      if (row === undefined) throw new SsoUserError('not_allowed', 'a Velora user with this email appeared concurrently', email);
      return row;
    }
    await this.audit.record({ action: 'user.created', actor: null, target: row.email, ip, details: { user_id: row.id, role: row.role, via: 'oidc' } });
    return row;
  }
}

/** A refusal about a particular user (the audit target names them). */
class SsoUserError extends OidcError {
  constructor(
    code: 'no_email' | 'email_unverified' | 'not_allowed' | 'disabled',
    message: string,
    readonly target: string,
  ) {
    super(code, message);
  }
}

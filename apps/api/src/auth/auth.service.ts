import { BadRequestException, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { ApiTokenRow, UserRow } from '../database/database.types';
import { ApiTokensRepository } from './api-tokens.repository';
import { AuditService } from './audit.service';
import { API_TOKEN_PREFIX, type AuthContext, isRole, type PublicUser } from './auth.types';
import { dummyPasswordHash, hashPassword, SSO_ONLY_PASSWORD_HASH, verifyPassword } from './password-hasher';
import { SessionSecretService } from './session-secret.service';
import { UsersRepository } from './users.repository';

/** The generic answer to every failed login (never says whether the email exists). */
export const INVALID_LOGIN = 'Invalid email or password';
/** last_used_at of an API token is written at most this often. */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;
const TOKEN_PATTERN = /^vlr_[A-Za-z0-9_-]{43}$/;

interface SessionClaims {
  sub: string;
  /** users.session_epoch when the session was issued. */
  sv: number;
  typ: 'session';
}

export interface IssuedSession {
  user: PublicUser;
  /** The JWT for the session cookie. */
  sessionToken: string;
  /** The double-submit CSRF token (cookie + X-CSRF-Token). */
  csrfToken: string;
  expiresAt: Date;
}

export interface ApiTokenView {
  id: string;
  user_id: string;
  name: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiToken extends ApiTokenView {
  /** The token itself: shown only in this response. */
  token: string;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    role: isRole(row.role) ? row.role : 'agent',
    display_name: row.display_name,
    disabled: row.disabled,
    must_change_password: row.must_change_password,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_login_at: row.last_login_at?.toISOString() ?? null,
    sso: row.oidc_issuer !== null && row.oidc_subject !== null ? { issuer: row.oidc_issuer } : null,
    password_login: row.password_hash !== SSO_ONLY_PASSWORD_HASH,
  };
}

function toTokenView(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    prefix: row.prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function contextOf(user: UserRow, via: AuthContext['via'], tokenId?: string): AuthContext {
  return {
    userId: user.id,
    email: user.email,
    role: isRole(user.role) ? user.role : 'agent',
    displayName: user.display_name,
    mustChangePassword: user.must_change_password,
    via,
    ...(tokenId !== undefined ? { tokenId } : {}),
  };
}

/** Login, sessions, API tokens and the caller's own password. User administration is UsersService. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: ApiTokensRepository,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly secret: SessionSecretService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get sessionLifetimeMs(): number {
    return this.config.auth.sessionHours * 3_600_000;
  }

  /** Checks the password (argon2id, constant work for unknown emails); audits success and failure. */
  async login(email: string, password: string, ip: string | null): Promise<IssuedSession> {
    const user = await this.users.findByEmail(email);
    const ok = user !== undefined ? await verifyPassword(user.password_hash, password) : await verifyPassword(await dummyPasswordHash(), password).then(() => false);
    if (user === undefined || !ok || user.disabled) {
      const reason = user === undefined ? 'unknown_email' : !ok ? 'wrong_password' : 'disabled';
      await this.audit.record({ action: 'auth.login_failed', actor: null, target: email.toLowerCase().slice(0, 320), ip, details: { reason } });
      throw new UnauthorizedException(INVALID_LOGIN);
    }
    const now = new Date(this.clock.now());
    await this.users.touchLogin(user.id, now);
    await this.audit.record({ action: 'auth.login', actor: { userId: user.id, email: user.email }, target: user.email, ip });
    return this.issueSession({ ...user, last_login_at: now });
  }

  async issueSession(user: UserRow): Promise<IssuedSession> {
    const claims: SessionClaims = { sub: user.id, sv: user.session_epoch, typ: 'session' };
    const sessionToken = await this.jwt.signAsync(claims, {
      secret: await this.secret.get(),
      algorithm: 'HS256',
      expiresIn: this.config.auth.sessionHours * 3600,
    });
    return {
      user: toPublicUser(user),
      sessionToken,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + this.sessionLifetimeMs),
    };
  }

  /** The caller behind a session JWT, or null (bad signature, expired, user gone/disabled, password changed since). */
  async authenticateSession(token: string): Promise<AuthContext | null> {
    let claims: Partial<SessionClaims>;
    try {
      claims = await this.jwt.verifyAsync<SessionClaims>(token, { secret: await this.secret.get(), algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (claims.typ !== 'session' || typeof claims.sub !== 'string' || typeof claims.sv !== 'number') return null;
    const user = await this.users.findById(claims.sub);
    if (user === undefined || user.disabled || user.session_epoch !== claims.sv) return null;
    return contextOf(user, 'session');
  }

  /** The caller behind an API token, or null (unknown, revoked, expired, user disabled). */
  async authenticateToken(token: string): Promise<AuthContext | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const row = await this.tokens.findByHash(hashApiToken(token));
    const now = this.clock.now();
    if (row === undefined || row.revoked_at !== null || (row.expires_at !== null && row.expires_at.getTime() <= now)) return null;
    const user = await this.users.findById(row.user_id);
    if (user === undefined || user.disabled) return null;
    if (row.last_used_at === null || now - row.last_used_at.getTime() >= TOKEN_TOUCH_INTERVAL_MS) {
      await this.tokens.touch(row.id, new Date(now));
    }
    return contextOf(user, 'token', row.id);
  }

  async me(auth: AuthContext): Promise<PublicUser> {
    const user = await this.users.findById(auth.userId);
    if (user === undefined) throw new UnauthorizedException('The account no longer exists');
    return toPublicUser(user);
  }

  /**
   * Changes the caller's password: all their other sessions end (session epoch bumped); a fresh session is
   * returned for the caller's own browser.
   */
  async changePassword(auth: AuthContext, currentPassword: string, newPassword: string, ip: string | null): Promise<IssuedSession> {
    const user = await this.users.findById(auth.userId);
    if (user === undefined) throw new UnauthorizedException('The account no longer exists');
    if (!(await verifyPassword(user.password_hash, currentPassword))) {
      throw new BadRequestException('current_password is not correct');
    }
    if (currentPassword === newPassword) {
      throw new BadRequestException('new_password must differ from current_password');
    }
    const updated = await this.users.update(user.id, { passwordHash: await hashPassword(newPassword), mustChangePassword: false, bumpSessionEpoch: true });
    if (updated === undefined) throw new UnauthorizedException('The account no longer exists');
    await this.audit.record({ action: 'auth.password_changed', actor: auth, target: user.email, ip, details: { via: auth.via } });
    return this.issueSession(updated);
  }

  async createToken(auth: AuthContext, name: string, expiresInDays: number | undefined, ip: string | null): Promise<CreatedApiToken> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = expiresInDays !== undefined ? new Date(this.clock.now() + expiresInDays * 86_400_000) : null;
    const row = await this.tokens.insert({
      id: randomUUID(),
      userId: auth.userId,
      name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      expiresAt,
    });
    await this.audit.record({ action: 'auth.token_created', actor: auth, target: row.id, ip, details: { name, prefix: row.prefix, expires_at: row.expires_at?.toISOString() ?? null } });
    return { ...toTokenView(row), token };
  }

  /** The caller's tokens; an admin may ask for another user's (userId) or everyone's (all). */
  async listTokens(auth: AuthContext, query: { userId?: string; all?: boolean }): Promise<ApiTokenView[]> {
    if ((query.all === true || (query.userId !== undefined && query.userId !== auth.userId)) && auth.role !== 'admin') {
      throw new ForbiddenException("Only admins may list other users' tokens");
    }
    const rows = await this.tokens.list(query.all === true ? undefined : (query.userId ?? auth.userId));
    return rows.map(toTokenView);
  }

  /** Revokes one of the caller's tokens (admins: anyone's). Unknown or foreign ids are 404. Idempotent. */
  async revokeToken(auth: AuthContext, id: string, ip: string | null): Promise<void> {
    const row = await this.tokens.findById(id);
    if (row === undefined || (row.user_id !== auth.userId && auth.role !== 'admin')) {
      throw new NotFoundException(`API token ${id} not found`);
    }
    if (row.revoked_at === null) {
      await this.tokens.revoke(id, new Date(this.clock.now()));
      await this.audit.record({ action: 'auth.token_revoked', actor: auth, target: id, ip, details: { name: row.name, prefix: row.prefix, owner_user_id: row.user_id } });
    }
  }
}

import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { AuditService } from './audit.service';
import { toPublicUser } from './auth.service';
import type { AuthContext, PublicUser, Role } from './auth.types';
import { hashPassword, SSO_ONLY_PASSWORD_HASH } from './password-hasher';
import { UsersRepository } from './users.repository';
import { isUniqueViolation } from '../database/errors/unique-violation';

export const DEFAULT_ADMIN_EMAIL = 'admin@velora.local';

export interface CreateUserInput {
  email: string;
  password: string;
  role: Role;
  displayName?: string | null;
  /** Default true: the user picks their own password at first sign-in. */
  mustChangePassword?: boolean;
}

export interface UpdateUserInput {
  role?: Role;
  displayName?: string | null;
  disabled?: boolean;
  /** Reset: the user must change it at the next sign-in; their sessions end. */
  password?: string;
}

/** User administration (admin only) and the first-start admin. Never returns password hashes. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersRepository,
    private readonly database: DatabaseService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<PublicUser[]> {
    return (await this.users.list()).map(toPublicUser);
  }

  async get(id: string): Promise<PublicUser> {
    const user = await this.users.findById(id);
    if (user === undefined) throw new NotFoundException(`User ${id} not found`);
    return toPublicUser(user);
  }

  async create(input: CreateUserInput, actor: AuthContext | null, ip: string | null = null): Promise<PublicUser> {
    const email = input.email.trim().toLowerCase();
    let row;
    try {
      row = await this.users.insert({
        id: randomUUID(),
        email,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        displayName: input.displayName ?? null,
        mustChangePassword: input.mustChangePassword ?? true,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`A user with email ${email} already exists`);
      throw error;
    }
    await this.audit.record({ action: 'user.created', actor, target: row.email, ip, details: { user_id: row.id, role: row.role } });
    return toPublicUser(row);
  }

  async update(id: string, input: UpdateUserInput, actor: AuthContext, ip: string | null): Promise<PublicUser> {
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    const { before, after } = await this.database.transaction(async (trx) => {
      const current = await this.users.findById(id, trx);
      if (current === undefined) throw new NotFoundException(`User ${id} not found`);
      const losesAdmin = current.role === 'admin' && !current.disabled && ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
      if (losesAdmin && (await this.users.countActiveAdmins(trx)) <= 1) {
        throw new ConflictException('This is the last active admin: make another user admin first');
      }
      const updated = await this.users.update(
        id,
        {
          role: input.role,
          displayName: input.displayName,
          disabled: input.disabled,
          ...(passwordHash !== undefined ? { passwordHash, mustChangePassword: true } : {}),
          bumpSessionEpoch: passwordHash !== undefined || input.disabled === true || (input.role !== undefined && input.role !== current.role),
        },
        trx,
      );
      if (updated === undefined) throw new NotFoundException(`User ${id} not found`);
      return { before: current, after: updated };
    });
    const changes: Record<string, unknown> = {};
    if (input.role !== undefined && input.role !== before.role) changes['role'] = { from: before.role, to: input.role };
    if (input.disabled !== undefined && input.disabled !== before.disabled) changes['disabled'] = input.disabled;
    if (input.displayName !== undefined && input.displayName !== before.display_name) changes['display_name'] = true;
    if (passwordHash !== undefined) changes['password_reset'] = true;
    await this.audit.record({ action: 'user.updated', actor, target: after.email, ip, details: { user_id: id, ...changes } });
    return toPublicUser(after);
  }

  /**
   * Removes the user's SSO link (issuer + subject), e.g. when their account at the IdP was replaced and the
   * old link now refuses the new identity. Sessions stay valid (disable the user to end them). The next SSO
   * sign-in whose verified email matches links the user again; a user without a password (`password_login`
   * false) cannot sign in until then or until an admin sets a password.
   */
  async unlinkSso(id: string, actor: AuthContext, ip: string | null): Promise<PublicUser> {
    const { before, after } = await this.database.transaction(async (trx) => {
      const current = await this.users.findById(id, trx);
      if (current === undefined) throw new NotFoundException(`User ${id} not found`);
      if (current.oidc_issuer === null) throw new BadRequestException('This user is not linked to an SSO identity');
      const updated = await this.users.update(id, { oidcIdentity: null }, trx);
      if (updated === undefined) throw new NotFoundException(`User ${id} not found`);
      return { before: current, after: updated };
    });
    await this.audit.record({
      action: 'user.sso_unlinked',
      actor,
      target: after.email,
      ip,
      details: { user_id: id, issuer: before.oidc_issuer, password_login: after.password_hash !== SSO_ONLY_PASSWORD_HASH },
    });
    return toPublicUser(after);
  }

  async delete(id: string, actor: AuthContext, ip: string | null): Promise<void> {
    if (id === actor.userId) throw new ConflictException('You cannot delete your own account');
    const deleted = await this.database.transaction(async (trx) => {
      const current = await this.users.findById(id, trx);
      if (current === undefined) throw new NotFoundException(`User ${id} not found`);
      if (current.role === 'admin' && !current.disabled && (await this.users.countActiveAdmins(trx)) <= 1) {
        throw new ConflictException('This is the last active admin: make another user admin first');
      }
      await this.users.delete(id, trx);
      return current;
    });
    await this.audit.record({ action: 'user.deleted', actor, target: deleted.email, ip, details: { user_id: id, role: deleted.role } });
  }

  /**
   * First start (no user at all): creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated
   * password printed once to the log (it must be changed at the first sign-in). Later starts do nothing.
   * Safe with several replicas starting together (the unique email index lets one of them win).
   */
  async ensureInitialAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const email = (this.config.auth.initialAdmin.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const configured = this.config.auth.initialAdmin.password;
    const password = configured ?? randomBytes(18).toString('base64url');
    try {
      await this.create({ email, password, role: 'admin', displayName: 'Administrator', mustChangePassword: configured === undefined }, null);
    } catch (error) {
      if (error instanceof ConflictException) return; // another replica created it first
      throw error;
    }
    if (configured !== undefined) {
      this.logger.log(`Created the first admin ${email} with the password from ADMIN_PASSWORD`);
      return;
    }
    const bar = '='.repeat(72);
    this.logger.warn(
      [
        '',
        bar,
        'FIRST START: created the admin account (this is shown only once).',
        `  email:    ${email}`,
        `  password: ${password}`,
        'Sign in and change the password now (it must be changed at the first sign-in).',
        bar,
      ].join('\n'),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { Database, UserRow } from '../database/database.types';
import type { Role } from './auth.types';

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  displayName: string | null;
  mustChangePassword: boolean;
  /** The SSO identity the user is created for (see linkOidcIdentity). */
  oidcIdentity?: OidcIdentity;
}

/** An OpenID Connect identity: issuer + subject (`sub`), stable across email changes at the IdP. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
}

export interface UserChanges {
  role?: Role;
  displayName?: string | null;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
  /** Link the user to this SSO identity; null removes the link. */
  oidcIdentity?: OidcIdentity | null;
  /** Void every session of the user. */
  bumpSessionEpoch?: boolean;
}

/** The only code that touches `users`. Emails are stored lower-case and compared case-insensitively. */
@Injectable()
export class UsersRepository {
  constructor(private readonly database: DatabaseService) {}

  private db(trx?: Kysely<Database>): Kysely<Database> {
    return trx ?? this.database.db;
  }

  count(trx?: Kysely<Database>): Promise<number> {
    return this.db(trx)
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => r.n);
  }

  /** Enabled admins (the last one may not be demoted, disabled or deleted). */
  countActiveAdmins(trx?: Kysely<Database>): Promise<number> {
    return this.db(trx)
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .executeTakeFirstOrThrow()
      .then((r) => r.n);
  }

  findById(id: string, trx?: Kysely<Database>): Promise<UserRow | undefined> {
    return this.db(trx).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string, trx?: Kysely<Database>): Promise<UserRow | undefined> {
    return this.db(trx)
      .selectFrom('users')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  }

  findByOidcIdentity(identity: OidcIdentity, trx?: Kysely<Database>): Promise<UserRow | undefined> {
    return this.db(trx)
      .selectFrom('users')
      .selectAll()
      .where('oidc_issuer', '=', identity.issuer)
      .where('oidc_subject', '=', identity.subject)
      .executeTakeFirst();
  }

  list(trx?: Kysely<Database>): Promise<UserRow[]> {
    return this.db(trx).selectFrom('users').selectAll().orderBy('email').execute();
  }

  async insert(user: NewUser, trx?: Kysely<Database>): Promise<UserRow> {
    return this.db(trx)
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email.toLowerCase(),
        password_hash: user.passwordHash,
        role: user.role,
        display_name: user.displayName,
        must_change_password: user.mustChangePassword,
        oidc_issuer: user.oidcIdentity?.issuer ?? null,
        oidc_subject: user.oidcIdentity?.subject ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: string, changes: UserChanges, trx?: Kysely<Database>): Promise<UserRow | undefined> {
    return this.db(trx)
      .updateTable('users')
      .set((eb) => ({
        updated_at: sql`now()`,
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
        ...(changes.mustChangePassword !== undefined ? { must_change_password: changes.mustChangePassword } : {}),
        ...(changes.oidcIdentity !== undefined
          ? { oidc_issuer: changes.oidcIdentity?.issuer ?? null, oidc_subject: changes.oidcIdentity?.subject ?? null }
          : {}),
        ...(changes.bumpSessionEpoch ? { session_epoch: eb('session_epoch', '+', 1) } : {}),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async touchLogin(id: string, at: Date): Promise<void> {
    await this.database.db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
  }

  async delete(id: string, trx?: Kysely<Database>): Promise<boolean> {
    const result = await this.db(trx).deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

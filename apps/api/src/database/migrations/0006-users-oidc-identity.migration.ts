import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Single sign-on: the OpenID Connect identity (issuer + subject) a user is linked to after their first SSO
 * sign-in. Later SSO sign-ins find the user by this pair, not by email (emails can change at the IdP).
 */
export const usersOidcIdentityMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('users')
      .addColumn('oidc_issuer', 'text')
      .addColumn('oidc_subject', 'text')
      .execute();
    await sql`alter table users add constraint users_oidc_identity_pair check ((oidc_issuer is null) = (oidc_subject is null))`.execute(db);
    await sql`create unique index users_oidc_identity_key on users (oidc_issuer, oidc_subject) where oidc_issuer is not null`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index users_oidc_identity_key`.execute(db);
    await sql`alter table users drop constraint users_oidc_identity_pair`.execute(db);
    await db.schema.alterTable('users').dropColumn('oidc_subject').dropColumn('oidc_issuer').execute();
  },
};

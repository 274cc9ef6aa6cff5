/**
 * Shapes of the authentication endpoints (`/api/auth/*`, `/api/users`). They mirror the API's DTOs in
 * `apps/api/src/auth/dto/auth.dto.ts`; the web app never sees a password hash or a stored token.
 */
export const ROLES = ['admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** Translation key of each role (literal keys, so the translation test sees them). */
export const ROLE_LABEL_KEYS: Readonly<Record<Role, string>> = {
  admin: 'auth.roles.admin',
  agent: 'auth.roles.agent',
};

/** The API's minimum password length (`PASSWORD_MIN_LENGTH` in `apps/api/src/auth/password-hasher.ts`). */
export const PASSWORD_MIN_LENGTH = 12;
/** The API's maximum password length. */
export const PASSWORD_MAX_LENGTH = 256;

export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly display_name: string | null;
  readonly disabled: boolean;
  readonly must_change_password: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_login_at: string | null;
  /** The SSO (OIDC) identity the user is linked to; the API shows only its issuer. */
  readonly sso: SsoLink | null;
  /** False: created by SSO without a password, so only SSO sign-in works. */
  readonly password_login: boolean;
}

export interface SsoLink {
  /** The OIDC issuer URL (`https://login.example.com/realms/velora`). */
  readonly issuer: string;
}

/** `GET /api/auth/me`. */
export interface Me extends User {
  readonly auth: 'session' | 'token' | 'oidc';
}

/** `POST /api/auth/login` and `POST /api/auth/change-password`. */
export interface Session {
  readonly user: User;
  readonly csrf_token: string;
  readonly expires_at: string;
}

export interface ApiToken {
  readonly id: string;
  readonly user_id: string;
  readonly name: string;
  readonly prefix: string;
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
}

/** `POST /api/auth/tokens`: the only response that carries the token itself. */
export interface CreatedApiToken extends ApiToken {
  readonly token: string;
}

export interface CreateUserRequest {
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  readonly display_name?: string;
  readonly must_change_password?: boolean;
}

export interface UpdateUserRequest {
  readonly role?: Role;
  readonly display_name?: string | null;
  readonly disabled?: boolean;
  readonly password?: string;
}

export function isRole(value: unknown): value is Role {
  return value === 'admin' || value === 'agent';
}

/** `GET /api/auth/oidc/config`: whether the login page offers single sign-on, and its label. */
export interface SsoConfig {
  readonly enabled: boolean;
  readonly display_name: string | null;
}

/** `?sso_error=` codes the API's SSO callback sends back to `/login` (one list, owned by the API). */
export { SSO_ERROR_CODES, type SsoErrorCode } from '@velora/contracts';

/** The host of an OIDC issuer URL (`https://login.example.com/realms/x` → `login.example.com`), for display. */
export function issuerHost(issuer: string): string {
  try {
    return new URL(issuer).host || issuer;
  } catch {
    return issuer;
  }
}

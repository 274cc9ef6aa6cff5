import type { Request } from 'express';

export const ROLES = ['admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** Session cookie (JWT, httpOnly, SameSite=strict). */
export const SESSION_COOKIE = 'velora_session';
/** Double-submit CSRF cookie (readable by the web app, echoed in X-CSRF-Token). */
export const CSRF_COOKIE = 'velora_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Prefix of API tokens: `vlr_` + base64url of 32 random bytes. */
export const API_TOKEN_PREFIX = 'vlr_';

/** Who made the request, set by AuthGuard. */
export interface AuthContext {
  userId: string;
  email: string;
  role: Role;
  displayName: string | null;
  mustChangePassword: boolean;
  /** session = cookie (password or SSO sign-in); token = Velora API token; oidc = the SSO issuer's JWT access token. */
  via: 'session' | 'token' | 'oidc';
  /** Id of the API token when via = 'token'. */
  tokenId?: string;
}

export interface AuthenticatedRequest extends Request {
  auth?: AuthContext;
}

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  display_name: string | null;
  disabled: boolean;
  must_change_password: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  /**
   * The SSO identity the user is linked to (OIDC), or null. Only the issuer is shown: the subject is the
   * IdP's opaque id of the person, which an admin does not need to manage the link.
   */
  sso: { issuer: string } | null;
  /** False for users created by SSO that never got a password: they can only sign in with SSO. */
  password_login: boolean;
}

export function isRole(value: unknown): value is Role {
  return value === 'admin' || value === 'agent';
}

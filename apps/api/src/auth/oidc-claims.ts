import type { OidcConfig } from '../config/app-config';
import type { Role } from './auth.types';
import type { SsoErrorCode } from '@velora/contracts';

export { SSO_ERROR_CODES, type SsoErrorCode } from '@velora/contracts';

/**
 * A failed SSO step. `message` is for the log and the audit reason only (it may name the issuer, never a
 * token); the browser sees just the code.
 */
export class OidcError extends Error {
  constructor(
    readonly code: SsoErrorCode,
    message: string,
    /** For issuer_unreachable: the issuer did not answer in time (504) rather than failed (502). */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

/**
 * The value of a claim: the whole name first (Azure AD and Auth0 use URL-like names with dots), else a
 * dotted path into nested objects (Keycloak: `realm_access.roles`, `resource_access.velora.roles`).
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, part)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The IdP roles/groups in the configured claim (a list of strings, or one string). */
export function idpRoles(claims: Record<string, unknown>, rolesClaim: string): string[] {
  const value = claimAt(claims, rolesClaim);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The Velora role the IdP grants: admin when any value of OIDC_ROLES_CLAIM is in OIDC_ADMIN_ROLES, else
 * OIDC_DEFAULT_ROLE. Undefined when no roles claim is configured (roles are then managed in Velora only).
 */
export function mapRole(claims: Record<string, unknown>, config: Pick<OidcConfig, 'rolesClaim' | 'adminRoles' | 'defaultRole'>): Role | undefined {
  if (config.rolesClaim === undefined) return undefined;
  const roles = idpRoles(claims, config.rolesClaim);
  return roles.some((role) => config.adminRoles.includes(role)) ? 'admin' : config.defaultRole;
}

const MAX_RETURN_TO_LENGTH = 2048;

/**
 * Where to go after an SSO sign-in: a path on this site only (`/…`, not `//host` or `/\host`, which
 * browsers read as another origin; no control characters; not the login page). Anything else gives `/`.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO_LENGTH) return '/';
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return '/';
  return value;
}

/** Email from the ID token: present, shaped like an address, and not explicitly unverified. */
export function emailOf(claims: Record<string, unknown>): { email: string } | { error: 'no_email' | 'email_unverified' } {
  const raw = claims['email'];
  if (typeof raw !== 'string') return { error: 'no_email' };
  const email = raw.trim().toLowerCase();
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+$/.test(email)) return { error: 'no_email' };
  if (claims['email_verified'] === false || claims['email_verified'] === 'false') return { error: 'email_unverified' };
  return { email };
}

/** A display name for a user created by SSO (name, else preferred_username). */
export function displayNameOf(claims: Record<string, unknown>): string | null {
  for (const key of ['name', 'preferred_username']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 100);
  }
  return null;
}

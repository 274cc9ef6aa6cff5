// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.

/** Why an SSO sign-in failed: the login page shows a translated message for each (`/login?sso_error=<code>`). */
export const SSO_ERROR_CODES = [
  'flow_expired',
  'state_mismatch',
  'idp_error',
  'issuer_unreachable',
  'token_invalid',
  'no_email',
  'email_unverified',
  'not_allowed',
  'disabled',
  'internal',
] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

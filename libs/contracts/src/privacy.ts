// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.
// Privacy (KVKK/GDPR): role-based phone number masking and the audited "reveal". docs/security.md#privacy.

/** The roles of Velora (the API's `ROLES`); repeated here so that the web app can list them. */
export const PRIVACY_ROLES = ['admin', 'agent'] as const;
export type PrivacyRole = (typeof PRIVACY_ROLES)[number];

/** GET/PUT /api/privacy/settings (admin). */
export interface PrivacySettings {
  /** Masking on/off. Off (the default): every role sees full numbers. */
  masking_enabled: boolean;
  /** Roles that see `+90 532 *** ** 67` instead of the number while masking is on. */
  masked_roles: PrivacyRole[];
  /** Roles that may reveal one number of one CDR (POST /api/privacy/reveal, audited). */
  reveal_roles: PrivacyRole[];
}

/** The defaults: masking off; when an admin turns it on, agents are masked and may reveal. */
export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = {
  masking_enabled: false,
  masked_roles: ['agent'],
  reveal_roles: ['admin', 'agent'],
};

/** GET /api/privacy/me: what the caller's role gets (the web app shows the reveal button from this). */
export interface PrivacyStatus {
  /** Numbers the API sends to the caller are masked. */
  masked: boolean;
  /** The caller may use POST /api/privacy/reveal (only meaningful when `masked`). */
  can_reveal: boolean;
}

/** The CDR fields that hold a phone number and can be revealed. */
export const REVEALABLE_FIELDS = ['caller', 'callee'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

/** POST /api/privacy/reveal. */
export interface RevealRequest {
  cdr_id: string;
  field: RevealableField;
}

export interface RevealResponse {
  cdr_id: string;
  field: RevealableField;
  /** The stored number, unmasked (null when the CDR has none). */
  value: string | null;
}

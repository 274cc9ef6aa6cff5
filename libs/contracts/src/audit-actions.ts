// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.

/** Audit actions (stable strings: they are stored and filtered on). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'auth.token_created',
  'auth.token_revoked',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.sso_unlinked',
  'sippy.test_connection',
  'sippy.reconcile',
  'issabel.test_connection',
  'elevenlabs.test_connection',
  'integration.settings_saved',
  'integration.settings_cleared',
  'notifications.test_channel',
  'cdrs.export',
  'reports.export',
  'privacy.settings_saved',
  'privacy.number_revealed',
  'privacy.reveal_refused',
  'detection.rule_updated',
  'detection.number_marked_spam',
  'detection.number_allow_listed',
  'detection.prefix_block_listed',
  'detection.list_entry_removed',
  'detection.finding_status_changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

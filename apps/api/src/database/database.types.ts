import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely schema of the Velora database. Must match the migrations in `./migrations`.
 *
 * Value types are the same on both drivers (PGlite and `pg`); see `database-type-parsers.ts`:
 * - `timestamptz` → JS `Date` (write a `Date` or an ISO 8601 string);
 * - `double precision`, `integer` → JS `number`;
 * - `jsonb` → parsed JSON (write a JSON string, see `toJsonb()`);
 * - `int8`/`bigint` (only produced by `count(*)`/`sum(integer)`) → JS `number` (throws past 2^53);
 * - `numeric` (only produced by aggregates such as `avg(integer)`) → decimal `string`.
 * Ids are stored as `text`: Sippy ids exceed 2^31 and JS numbers lose digits past 2^53.
 */
export interface Database {
  cdrs: CdrsTable;
  sync_state: SyncStateTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
  rate_limits: RateLimitsTable;
  saved_views: SavedViewsTable;
  cdr_reconciliations: CdrReconciliationsTable;
  integration_settings: IntegrationSettingsTable;
  cdr_rollup_hourly: CdrRollupHourlyTable;
  cdr_rollup_hourly_totals: Omit<CdrRollupHourlyTable, 'account' | 'trunk'>;
  cdr_rollup_report_hourly: CdrRollupReportHourlyTable;
  cdr_rollup_report_hourly_totals: Omit<CdrRollupReportHourlyTable, 'account' | 'trunk'>;
  cdr_rollup_report_daily: CdrRollupReportHourlyTable;
  insights: InsightsTable;
  insight_narratives: InsightNarrativesTable;
  events: EventsTable;
  events_pruned: { singleton: ColumnType<boolean, boolean | undefined, boolean>; through_id: number };
  notification_reads: NotificationReadsTable;
  notification_cursors: NotificationCursorsTable;
  integration_states: IntegrationStatesTable;
  detection_findings: DetectionFindingsTable;
  detection_finding_cdrs: { cdr_id: string; finding_id: number };
  detection_lists: DetectionListsTable;
  detection_rule_settings: DetectionRuleSettingsTable;
  detection_cursor: DetectionCursorTable;
}

/** Hourly rollup of `cdrs` (docs/reports.md); null dimensions are stored as ''. */
export interface CdrRollupHourlyTable {
  bucket: Timestamp;
  country_code: string;
  status: string;
  direction: string;
  account: string;
  trunk: string;
  currency: string;
  calls: number;
  answered: number;
  duration_sum: number;
  answered_duration_sum: number;
  answered_duration_count: number;
  billed_sum: number;
  cost_sum: number;
  cost_count: number;
  pdd_sum: number;
  pdd_count: number;
}

/**
 * The reports' hourly rollup (migration 0018, docs/reports.md *Storage*): dimensions keep their NULLs; talk time, cost
 * and PDD sums are `numeric` (read as decimal strings).
 */
export interface CdrRollupReportHourlyTable {
  bucket: Timestamp;
  country_code: string | null;
  status: string;
  direction: string;
  account: string | null;
  trunk: string | null;
  currency: string | null;
  result: number | null;
  answered: boolean;
  calls: number;
  talk_seconds: string;
  billed_seconds: number;
  cost_sum: string;
  cost_count: number;
  pdd_sum: string;
  pdd_count: number;
}

/** Timestamp column: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Timestamp column with a SQL default (`now()`). */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb column: read as parsed JSON, written as a JSON text (always `JSON.stringify` it yourself). */
export type Jsonb<T> = ColumnType<T, string, string>;

export interface CdrsTable {
  /** Source record id (Sippy i_cdr as a decimal string). */
  id: string;
  /** Where the record came from ('sippy', …). */
  source: ColumnType<string, string | undefined, string>;
  call_id: string | null;
  caller: string | null;
  callee: string | null;
  start_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  end_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  setup_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  duration: number | null;
  billed_duration: number | null;
  /** One of CDR_STATUSES (check constraint). */
  status: string;
  result: number | null;
  sip_code: number | null;
  disconnect_reason: string | null;
  release_source: string | null;
  /** One of CDR_DIRECTIONS (check constraint). */
  direction: string;
  country: string | null;
  /** ISO 3166-1 alpha-2, upper-case (check constraint). */
  country_code: string | null;
  city: string | null;
  cost: number | null;
  currency: string | null;
  trunk: string | null;
  codec: string | null;
  account: string | null;
  remote_ip: string | null;
  /** The source record as received, unknown fields kept. */
  raw: Jsonb<Record<string, unknown>>;
  first_seen_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SyncStateTable {
  key: string;
  state: Jsonb<unknown>;
  updated_at: GeneratedTimestamp;
}

export interface UsersTable {
  /** UUID. */
  id: string;
  /** Stored lower-case; unique case-insensitively. */
  email: string;
  /** argon2id PHC string. */
  password_hash: string;
  /** 'admin' | 'agent' (check constraint). */
  role: string;
  display_name: string | null;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  /** Sessions signed with an older epoch are void (bumped on password change/reset and disable). */
  session_epoch: ColumnType<number, number | undefined, number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  last_login_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** OpenID Connect issuer of the linked SSO identity (null = never signed in with SSO). */
  oidc_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  /** `sub` of the linked SSO identity at oidc_issuer. */
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApiTokensTable {
  /** UUID. */
  id: string;
  user_id: string;
  name: string;
  /** Hex SHA-256 of the whole token (`vlr_…`). */
  token_hash: string;
  /** First characters of the token, for display. */
  prefix: string;
  created_at: GeneratedTimestamp;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: GeneratedTimestamp;
  actor_user_id: string | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** Connection settings saved from the Integrations page (secrets only as AES-256-GCM envelopes). */
export interface IntegrationSettingsTable {
  /** 'sippy' | 'issabel' | 'elevenlabs' (check constraint). */
  integration: string;
  /** Plain values; `{}` after a clear. */
  settings: Jsonb<Record<string, unknown>>;
  /** field → encrypted envelope; `{}` after a clear. */
  secrets: Jsonb<Record<string, unknown>>;
  /** Grows with every save and clear. */
  version: number;
  /** Email of the admin who saved. */
  updated_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface AppSettingsTable {
  key: string;
  value: Jsonb<unknown>;
  updated_at: GeneratedTimestamp;
}

export type UserRow = Selectable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditLogRow = Selectable<AuditLogTable>;

export type CdrRow = Selectable<CdrsTable>;
export type NewCdrRow = Insertable<CdrsTable>;
export type CdrRowUpdate = Updateable<CdrsTable>;
export type SyncStateRow = Selectable<SyncStateTable>;

/** Fixed-window rate-limit counters (apps/api/src/auth/database-throttler.storage.ts). */
export interface RateLimitsTable {
  /** SHA-256 of route + tracker + throttler name (from @nestjs/throttler). */
  key: string;
  hits: number;
  window_ends_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface SavedViewsTable {
  /** UUID. */
  id: string;
  owner_id: string;
  name: string;
  /** 'cdrs' (the live view / CDR list) | 'reports' (check constraint). */
  scope: string;
  /** Visible to every user (only admins share). */
  shared: boolean;
  /** CDR list filters (names and values as in GET /api/sippy/cdrs). */
  filters: Jsonb<Record<string, string | number>>;
  /** CDR columns in display order. */
  columns: Jsonb<string[]>;
  /** `<column>:<asc|desc>`. */
  sort: string;
  /** IANA time zone the view shows times in. */
  time_zone: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export type SavedViewRow = Selectable<SavedViewsTable>;

/** Anomalies found on the hourly rollup (docs/insights.md); unique per kind × subject × currency × hour. */
export interface InsightsTable {
  id: Generated<number>;
  /** One of INSIGHT_KINDS (check constraint). */
  kind: string;
  /** One of INSIGHT_SEVERITIES (check constraint). */
  severity: string;
  /** 'all' | 'country' (check constraint). */
  subject_type: string;
  /** The country code; '' for 'all'. */
  subject: string;
  /** cost_jump: the currency compared; '' otherwise. */
  currency: string;
  /** UTC start of the hour. */
  hour: Timestamp;
  /** 'calls' | 'asr' | 'cost'. */
  metric: string;
  observed: number;
  expected: number | null;
  band_low: number | null;
  band_high: number | null;
  score: number | null;
  evidence: Jsonb<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export type InsightRow = Selectable<InsightsTable>;

/** Daily narratives (LLM or built-in), one per local day × time zone × language. */
export interface InsightNarrativesTable {
  /** YYYY-MM-DD in time_zone. */
  day: string;
  time_zone: string;
  /** 'tr' | 'en'. */
  lang: string;
  text: string;
  /** 'llm' | 'builtin'. */
  source: string;
  model: string | null;
  note: string | null;
  facts: Jsonb<Record<string, unknown>>;
  generated_at: GeneratedTimestamp;
}
export type InsightNarrativeRow = Selectable<InsightNarrativesTable>;
/** One check of one window against the switch (migration 0012; docs/reports.md#completeness). */
export interface CdrReconciliationsTable {
  id: Generated<number>;
  window_start: Timestamp;
  window_end: Timestamp;
  /** 'complete' | 'healed' | 'failed' (check constraint). */
  status: string;
  /** Distinct CDRs the switch returned for the window; null when it could not be read. */
  switch_count: number | null;
  stored_before: number;
  healed: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  stored_after: number;
  error: string | null;
  /** 'manual' | 'nightly' (check constraint). */
  trigger: string;
  checked_by_user_id: string | null;
  checked_by_email: string | null;
  checked_at: GeneratedTimestamp;
}
export type CdrReconciliationRow = Selectable<CdrReconciliationsTable>;
/** Published events (migration 0014, docs/notifications.md). */
export interface EventsTable {
  /** Sequence id (bigint identity, read as a number). */
  id: Generated<number>;
  at: GeneratedTimestamp;
  /** One of EVENT_TYPES (@velora/contracts). */
  type: string;
  /** 'info' | 'warn' | 'crit' (check constraint). */
  level: string;
  /** 'all' | 'admin' (check constraint). */
  audience: string;
  /** Only this user sees it (null = the audience). */
  user_id: string | null;
  /** Shown in the bell and on the notifications page (kept longer). */
  notification: ColumnType<boolean, boolean | undefined, boolean>;
  data: Jsonb<Record<string, unknown>>;
}
export type EventRow = Selectable<EventsTable>;

export interface NotificationReadsTable {
  user_id: string;
  event_id: number;
  read_at: GeneratedTimestamp;
}

export interface NotificationCursorsTable {
  user_id: string;
  /** Every notification with an id up to this one is read ("mark all read"). */
  read_up_to: number;
  updated_at: GeneratedTimestamp;
}

/** Last known up/down state of each integration, shared by the replicas. */
export interface IntegrationStatesTable {
  name: string;
  up: boolean;
  cause: string | null;
  changed_at: GeneratedTimestamp;
}

/** Spam/fraud findings (migration 0017, docs/detection.md); unique per rule × subject × window. */
export interface DetectionFindingsTable {
  id: Generated<number>;
  rule: string;
  /** 'number' | 'prefix' | 'account' (check constraint). */
  subject_type: string;
  subject: string;
  window_start: Timestamp;
  window_end: Timestamp;
  /** 'warn' | 'crit' (check constraint). */
  level: string;
  score: number;
  reason_en: string;
  reason_tr: string;
  evidence: Jsonb<Record<string, unknown>>;
  cdr_count: ColumnType<number, number | undefined, number>;
  first_seen: Timestamp;
  last_seen: Timestamp;
  /** 'open' | 'spam' | 'dismissed' | 'allowed' (check constraint). */
  status: ColumnType<string, string | undefined, string>;
  /** The rule's mode when the finding was last raised: 'active' | 'report_only'. */
  mode: string;
  /** The highest level published as an event (null: never published). */
  published_level: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export type DetectionFindingRow = Selectable<DetectionFindingsTable>;

/** Allow-listed / spam-marked numbers and block-listed / high-risk prefixes. */
export interface DetectionListsTable {
  /** 'allow_number' | 'spam_number' | 'block_prefix' | 'high_risk_prefix' (check constraint). */
  kind: string;
  value: string;
  note: string | null;
  /** 'user' | 'seed' (the repository's data file). */
  source: ColumnType<string, string | undefined, string>;
  created_by_user_id: string | null;
  created_by_email: string | null;
  created_at: GeneratedTimestamp;
}
export type DetectionListRow = Selectable<DetectionListsTable>;

/** Per-rule overrides of the defaults in code. */
export interface DetectionRuleSettingsTable {
  rule: string;
  enabled: boolean;
  mode: string;
  window_seconds: number;
  warn: number;
  crit: number;
  min_sample: number;
  /** Null: the rule's default (migration 0021). */
  cooldown_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  updated_by_email: string | null;
  updated_at: GeneratedTimestamp;
}

/** How far the incremental detection runner has read `cdrs` (by first_seen_at, id). */
export interface DetectionCursorTable {
  key: string;
  seen_until: Timestamp;
  last_id: string;
  updated_at: GeneratedTimestamp;
}

// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.
// Live events (GET /api/events, Server-Sent Events), the notification bell and the outbound channels.
// docs/notifications.md describes every type.

/** Severity of an event; outbound channels send events at or above NOTIFY_MIN_LEVEL. */
export const EVENT_LEVELS = ['info', 'warn', 'crit'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** True when `level` is `min` or more severe. */
export function isLevelAtLeast(level: EventLevel, min: EventLevel): boolean {
  return EVENT_LEVELS.indexOf(level) >= EVENT_LEVELS.indexOf(min);
}

/** The systems whose up/down changes are events. */
export const INTEGRATION_NAMES = ['sippy', 'issabel', 'elevenlabs'] as const;
export type IntegrationName = (typeof INTEGRATION_NAMES)[number];

/** Stored, numbered events (the SSE `event:` name is the type). */
export const EVENT_TYPES = ['cdrs', 'finding', 'insight', 'integration', 'sync_error', 'sync_recovered', 'notifications_read'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event types that are also notifications (the bell, the notifications page). */
export const NOTIFICATION_TYPES = ['finding', 'insight', 'integration', 'sync_error', 'sync_recovered'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** New CDRs were committed by the sync (one event per committed window that inserted rows). */
export interface CdrsEventData {
  /** Rows inserted by this commit. */
  count: number;
  /** Ids of the newest inserted rows (by start time, newest first; at most 20). */
  newest_ids: string[];
  /** Start time of the newest inserted row (ISO), or null when none has one. */
  newest_start_time: string | null;
}

export const FINDING_LEVELS = ['warn', 'crit'] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];

/** A detection rule fired (published by the detection module). */
export interface FindingEventData {
  id: string;
  /** Rule id, e.g. `short_calls`. */
  rule: string;
  level: FindingLevel;
  /** What the finding is about: a number, a prefix or an account. */
  subject: string;
  reason_en: string;
  reason_tr: string;
}

/**
 * A statistical anomaly of the hourly series (docs/insights.md), published when it is first stored: warning → `warn`,
 * critical → `crit` (informational insights stay on the VoIP CRM page). Aggregates only, never a phone number.
 */
export interface InsightEventData {
  /** Id of the insight (GET /api/insights). */
  id: number;
  /** `traffic_spike`, `asr_drop`, `cost_jump` or `new_destination`. */
  kind: string;
  severity: 'warning' | 'critical';
  /** ISO 3166-1 code of the destination, or null for all traffic. */
  country_code: string | null;
  /** Start of the hour (ISO instant). */
  hour: string;
  message_en: string;
  message_tr: string;
  /** Query of GET /api/sippy/cdrs (and the /voip-crm page) selecting the hour's calls. */
  filter: Record<string, string>;
}

/** An integration went down or came back (every replica's probes agree through the database). */
export interface IntegrationEventData {
  integration: IntegrationName;
  up: boolean;
  /** Why it is down (the health endpoint's cause, e.g. `timeout`, `auth`); null when up. */
  cause: string | null;
  /** The explanation the health endpoint gives signed-in users (never credentials); null when up. */
  message: string | null;
}

/** CDR sync runs failed: at the first failure (warn) and when SIPPY_HEALTH_DEGRADED_AFTER_FAILURES is reached (crit). */
export interface SyncErrorEventData {
  message: string;
  consecutive_failures: number;
}

/** A sync run succeeded after failed ones. */
export interface SyncRecoveredEventData {
  failed_runs: number;
  /** The highest level the failures reached: the recovery goes out wherever that alert went. */
  outage_level: 'warn' | 'crit';
}

/** Some of the user's notifications were marked read (only sent to that user: other tabs update their bell). */
export interface NotificationsReadEventData {
  /** Ids marked read one by one. */
  ids: number[];
  /** "Mark all read": everything up to this id; null otherwise. */
  up_to: number | null;
}

/** What a publisher hands to `EventsService.publish`. */
export type VeloraEventInput =
  | { readonly type: 'cdrs'; readonly level: 'info'; readonly data: CdrsEventData }
  | { readonly type: 'finding'; readonly level: FindingLevel; readonly data: FindingEventData }
  | { readonly type: 'insight'; readonly level: 'warn' | 'crit'; readonly data: InsightEventData }
  | { readonly type: 'integration'; readonly level: EventLevel; readonly data: IntegrationEventData }
  | { readonly type: 'sync_error'; readonly level: 'warn' | 'crit'; readonly data: SyncErrorEventData }
  | { readonly type: 'sync_recovered'; readonly level: 'info'; readonly data: SyncRecoveredEventData }
  | { readonly type: 'notifications_read'; readonly level: 'info'; readonly data: NotificationsReadEventData };

/** A stored event as GET /api/events sends it (`data:` of the SSE message, `id:` = `id`). */
export type VeloraEvent = VeloraEventInput & {
  /** Sequence number: increases with every event, across all API replicas. */
  readonly id: number;
  /** When it was published (ISO). */
  readonly at: string;
};

/** A notification (an event of a NOTIFICATION_TYPES type) with the caller's read state. */
export type NotificationItem = Extract<VeloraEvent, { type: NotificationType }> & { readonly read: boolean };

/** GET /api/notifications. */
export interface NotificationPage {
  items: NotificationItem[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next_cursor: number | null;
}

/** GET /api/notifications/unread-count. */
export interface UnreadCount {
  /** Unread notifications, counted up to UNREAD_COUNT_CAP. */
  unread: number;
  /** True when there are more than `unread`. */
  capped: boolean;
}
export const UNREAD_COUNT_CAP = 99;

/**
 * Control messages of the stream (no `id:`, never stored):
 * - `ready` first, after the missed events were replayed: `{ last_event_id, heartbeat_ms }`;
 * - `heartbeat` every EVENTS_HEARTBEAT_SECONDS: `{ at }`;
 * - `reset`: the stream cannot replay what the client missed (too old or unknown `Last-Event-ID`): reload state;
 * - `reconnect`: the server is about to close the stream (`rotate`: reconnect now; `shutdown`: reconnect with back-off).
 */
export const STREAM_MESSAGE_TYPES = ['ready', 'heartbeat', 'reset', 'reconnect'] as const;
export type StreamMessageType = (typeof STREAM_MESSAGE_TYPES)[number];
export interface StreamReadyData {
  /** The newest event id the client has now (replayed or current); null when there is no event yet. */
  last_event_id: number | null;
  heartbeat_ms: number;
}
export interface StreamResetData {
  reason: 'gap' | 'unknown_id';
}
export interface StreamReconnectData {
  reason: 'rotate' | 'shutdown';
}

/** Outbound channels (each optional, configured in the API's environment). */
export const NOTIFICATION_CHANNELS = ['webhook', 'email', 'telegram'] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** GET /api/notifications/channels (admin). */
export interface NotificationChannelStatus {
  channel: NotificationChannelName;
  configured: boolean;
  /** Where it sends, without secrets: the webhook's origin, the email recipients, the Telegram chat id. */
  target: string | null;
  /** Deliveries waiting (in this API process). */
  queued: number;
  delivered: number;
  /** Deliveries given up after every retry. */
  failed: number;
  /** Dropped because the queue was full. */
  dropped: number;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

/** POST /api/notifications/channels/:channel/test. */
export interface NotificationChannelTestResult {
  channel: NotificationChannelName;
  ok: true;
  latency_ms: number;
}

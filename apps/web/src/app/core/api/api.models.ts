/**
 * Wire types of the Velora REST API as the web app sees them (see docs/web.md and the API's Swagger).
 * `Cdr`, its value lists and the TTS output formats come from plain library files that import nothing, so no
 * server runtime code reaches the bundle.
 */
import type { Cdr, CdrDirection, CdrStatus } from '@velora/sippy/cdr-model';
import { DEFAULT_OUTPUT_FORMAT, type ElevenLabsOutputFormat } from '@velora/integrations/output-formats';
import type { ApiError } from '../http/api-error';
import type { CdrDetailExtras } from '@velora/contracts';

export type { Cdr, CdrDirection, CdrStatus };

/** GET /api/sippy/cdrs/:id: the CDR, its PDD, source and stored times; `raw` only for admins. */
export type CdrDetail = Cdr & CdrDetailExtras;

/** The status and direction values for the filter dropdowns: the library's own lists (`cdr.model.ts` imports nothing). */
export { CDR_STATUSES as CDR_STATUS_VALUES, CDR_DIRECTIONS as CDR_DIRECTION_VALUES } from '@velora/sippy/cdr-model';

/** Query of `GET /api/sippy/cdrs` (already in API terms: ISO instants, offset/limit). */
export interface CdrListQuery {
  readonly limit: number;
  readonly offset: number;
  readonly from?: string;
  readonly to?: string;
  readonly caller?: string;
  readonly callee?: string;
  readonly status?: CdrStatus;
  readonly direction?: CdrDirection;
  readonly country?: string;
  readonly city?: string;
  readonly account?: string;
  readonly trunk?: string;
  /** Sippy result code as text (`486`, `-20`). */
  readonly result?: string;
  /** `true` answered only, `false` the others. */
  readonly answered?: string;
  /** Minimum talk time, seconds. */
  readonly min_duration?: string;
}

export interface CdrPage {
  readonly rows: readonly Cdr[];
  /** From `X-Total-Count`; falls back to offset + rows when the header is missing. */
  readonly total: number;
  /** False when the API stopped counting (`X-Total-Count-Exact: false`): there are more than `total`. */
  readonly totalExact?: boolean;
}

export interface CdrSummary {
  readonly from: string;
  readonly to: string;
  readonly calls: number;
  readonly answered: number;
  readonly answered_pct: number | null;
  readonly avg_duration: number | null;
  readonly total_duration: number;
  readonly total_cost: number;
  readonly currency: string | null;
  readonly by_status: Readonly<Record<CdrStatus, number>>;
  readonly by_direction: Readonly<Record<CdrDirection, number>>;
}

export type SippyFailureCause =
  | 'auth'
  | 'tls'
  | 'timeout'
  | 'unreachable'
  | 'http'
  | 'fault'
  | 'malformed'
  | 'too_large'
  | 'config'
  | 'not_configured';

export interface SyncStatus {
  readonly enabled: boolean;
  readonly running: boolean;
  readonly last_success_at: string | null;
  readonly last_error: string | null;
  readonly last_error_at: string | null;
  readonly lag_seconds: number | null;
  readonly rows_total: number;
  readonly last_run_rows: number;
  readonly consecutive_failures: number;
  readonly next_run_at: string | null;
}

export interface IntegrationHealthDetails {
  readonly status: 'up' | 'down';
  readonly mode?: 'live' | 'simulator' | 'unconfigured';
  /** Why it is down: a {@link SippyFailureCause} for Sippy; Issabel AMI and ElevenLabs send their own error kinds. */
  readonly cause?: string;
  readonly message?: string;
  readonly latency_ms: number | null;
  readonly checked_at?: string;
  readonly sync?: SyncStatus;
  /** Where the API reached the system (no credentials): Sippy URL, `tcp://host:5038`, ElevenLabs base URL. */
  readonly endpoint?: string | null;
  // Issabel (Asterisk AMI)
  readonly ami_version?: string;
  readonly asterisk_version?: string | null;
  readonly current_calls?: number | null;
  readonly processed_calls?: number | null;
  readonly startup_time?: string | null;
  /** AMI actions the user may not run (the check still passes). */
  readonly denied_actions?: readonly string[];
  // ElevenLabs (subscription)
  readonly tier?: string | null;
  readonly character_count?: number | null;
  readonly character_limit?: number | null;
  readonly characters_remaining?: number | null;
  readonly next_reset_at?: string | null;
}

/** Terminus body of `/api/<integration>/health` (200 or 503). */
export interface HealthCheckBody {
  readonly status: 'ok' | 'error' | 'shutting_down';
  readonly info?: Record<string, unknown>;
  readonly error?: Record<string, unknown>;
  readonly details: Record<string, IntegrationHealthDetails>;
}

export type IntegrationId = 'sippy' | 'issabel' | 'elevenlabs';

/** What a health card shows. */
export type IntegrationHealth =
  | { readonly state: 'up'; readonly details: IntegrationHealthDetails }
  | { readonly state: 'down'; readonly details: IntegrationHealthDetails }
  | { readonly state: 'not_configured'; readonly details: IntegrationHealthDetails | null }
  /** The API has no such endpoint (404): the integration ships in a later release. */
  | { readonly state: 'not_available' }
  /** The API itself could not be asked (network error, 5xx without a health body…). */
  | { readonly state: 'unreachable'; readonly error: ApiError };

export interface TestConnectionRequest {
  readonly api_url: string;
  readonly username: string;
  readonly password: string;
  readonly tls_verify: boolean;
}

export interface TestConnectionResult {
  readonly ok: boolean;
  readonly message: string;
  readonly details: {
    readonly endpoint: string;
    readonly latency_ms: number | null;
    readonly methods: readonly string[] | null;
    readonly cause?: string;
    readonly tls_verify: boolean;
    readonly account_id?: number;
    readonly cdr_sample_count?: number;
  };
}

/** `ok`, or why a section of `GET /api/issabel/status` is empty. */
export type IssabelSectionAvailability = 'ok' | 'permission_denied' | 'not_available';

export interface IssabelChannel {
  readonly channel: string;
  readonly state: string;
  readonly caller_id_num: string | null;
  readonly caller_id_name: string | null;
  readonly connected_line_num: string | null;
  readonly context: string | null;
  readonly exten: string | null;
  readonly application: string | null;
  readonly duration_seconds: number | null;
  readonly bridge_id: string | null;
  readonly linked_id: string | null;
}

export interface IssabelPeerSummary {
  readonly technology: 'sip' | 'pjsip';
  readonly total: number;
  readonly online: number;
  readonly offline: number;
}

/** `GET /api/issabel/status` (200). */
export interface IssabelStatus {
  readonly mode: 'live' | 'simulator' | 'unconfigured';
  readonly checked_at: string;
  readonly latency_ms: number;
  readonly active_channels: number | null;
  readonly active_calls: number | null;
  readonly channels_availability: IssabelSectionAvailability;
  readonly channels: readonly IssabelChannel[];
  readonly peers_availability: IssabelSectionAvailability;
  readonly peer_summary: readonly IssabelPeerSummary[];
  readonly truncated: boolean;
}

/** One voice of `GET /api/elevenlabs/voices`. */
export interface Voice {
  readonly voice_id: string;
  readonly name: string;
  readonly category: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly preview_url: string | null;
  readonly description: string | null;
}

export interface VoiceList {
  readonly voices: readonly Voice[];
  readonly total_count: number;
  readonly truncated: boolean;
}

/**
 * `output_format` values `POST /api/elevenlabs/tts` accepts: the list of libs/integrations itself (a plain file with
 * no imports, aliased for the web app).
 */
export { ELEVENLABS_OUTPUT_FORMATS as TTS_OUTPUT_FORMATS, type ElevenLabsOutputFormat as TtsOutputFormat } from '@velora/integrations/output-formats';

/** The API's default `output_format`. */
export const DEFAULT_TTS_OUTPUT_FORMAT: ElevenLabsOutputFormat = DEFAULT_OUTPUT_FORMAT;

/** `TTS_MAX_TEXT_CHARS` of the API (`apps/api/src/elevenlabs/dto/tts-request.dto.ts`): longer text gets a 400. */
export const TTS_MAX_TEXT_CHARS = 5000;

/** Body of `POST /api/elevenlabs/tts`. */
export interface TtsRequest {
  readonly text: string;
  readonly voice_id: string;
  /** Omitted: the server's ELEVENLABS_DEFAULT_MODEL. */
  readonly model_id?: string;
  readonly output_format?: ElevenLabsOutputFormat;
}

/** A finished synthesis: the whole audio as a Blob plus what the API told about it. */
export interface TtsAudio {
  readonly blob: Blob;
  /** From Content-Type (e.g. `audio/mpeg`). */
  readonly contentType: string;
  /** `X-Character-Cost`: characters billed; null when not sent. */
  readonly characterCost: number | null;
  /** `X-Upstream-Request-Id` (for ElevenLabs support). */
  readonly requestId: string | null;
}

/** What `synthesize()` emits: download progress, then the audio. */
export type TtsEvent =
  | { readonly type: 'progress'; readonly loadedBytes: number }
  | { readonly type: 'done'; readonly audio: TtsAudio };

/** One audit log entry (`GET /api/audit-log`, admin only). */
export interface AuditEntry {
  readonly id: number;
  /** ISO 8601 instant. */
  readonly at: string;
  readonly actor_user_id: string | null;
  readonly actor_email: string | null;
  /** e.g. `auth.login_failed`. */
  readonly action: string;
  readonly target: string | null;
  readonly ip: string | null;
  /** Plain, secret-free facts about the event. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Query of `GET /api/audit-log`; unset or empty filters are not sent. */
export interface AuditListQuery {
  readonly limit: number;
  readonly offset: number;
  /** An action (`auth.login`) or a category prefix ending in a dot (`auth.`). */
  readonly action?: string;
  /** Part of the actor's email (case-insensitive). */
  readonly actor?: string;
  /** Part of the target (case-insensitive). */
  readonly target?: string;
  /** Part of the client IP address. */
  readonly ip?: string;
  /** ISO instant, inclusive. */
  readonly from?: string;
  /** ISO instant, inclusive. */
  readonly to?: string;
}

export interface AuditPage {
  readonly rows: readonly AuditEntry[];
  /** Entries matching the filter (`X-Total-Count`). */
  readonly total: number;
}

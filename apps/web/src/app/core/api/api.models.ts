/**
 * Wire types of the Velora REST API as the web app sees them (see docs/web.md and the API's Swagger).
 * `Cdr` comes from the library contract as a type-only import: no server runtime code reaches the bundle.
 */
import type { Cdr, CdrDirection, CdrStatus } from '@velora/sippy/cdr-model';
import type { ApiError } from '../http/api-error';

export type { Cdr, CdrDirection, CdrStatus };

/** Kept in sync with `CDR_STATUSES` of the library: the `satisfies` checks below fail to compile otherwise. */
export const CDR_STATUS_VALUES = [
  'completed',
  'busy',
  'no_answer',
  'cancelled',
  'rejected',
  'failed',
  'unknown',
] as const satisfies readonly CdrStatus[];
export const CDR_DIRECTION_VALUES = [
  'inbound',
  'outbound',
  'internal',
  'unknown',
] as const satisfies readonly CdrDirection[];
type MissingStatus = Exclude<CdrStatus, (typeof CDR_STATUS_VALUES)[number]>;
type MissingDirection = Exclude<CdrDirection, (typeof CDR_DIRECTION_VALUES)[number]>;
const exhaustiveStatus: [MissingStatus] extends [never] ? true : MissingStatus = true;
const exhaustiveDirection: [MissingDirection] extends [never] ? true : MissingDirection = true;
void exhaustiveStatus;
void exhaustiveDirection;

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
}

export interface CdrPage {
  readonly rows: readonly Cdr[];
  /** From `X-Total-Count`; falls back to offset + rows when the header is missing. */
  readonly total: number;
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
  readonly cause?: SippyFailureCause | string;
  readonly message?: string;
  readonly latency_ms: number | null;
  readonly checked_at?: string;
  readonly sync?: SyncStatus;
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

import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  validateSync,
  ValidatorConstraint,
  type ValidationError,
  type ValidatorConstraintInterface,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toFloat = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An IANA zone name the runtime knows (`Europe/Istanbul`, `UTC`); no raw offsets or abbreviations. */
@ValidatorConstraint({ name: 'ianaTimeZone' })
class IanaTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'must be an IANA time zone such as Europe/Istanbul or UTC';
  }
}

/**
 * Every environment variable the API reads, validated at start-up. Documented in docs/configuration.md
 * and .env.example. Error messages name the variable and the rule, never the value.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Comma-separated origins allowed by CORS; empty = same origin only. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /**
   * Express "trust proxy": unset = trust no proxy (req.ip is the socket peer). Behind a reverse proxy set the
   * number of hops (1) or the proxy addresses/CIDRs, so that rate limits and the audit log see the client IP.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(
    /^(\d{1,2}|true|false|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
    {
      message: 'TRUST_PROXY must be a hop count, true/false, or comma-separated proxy addresses/CIDRs (loopback, uniquelocal, 10.0.0.0/8…)',
    },
  )
  TRUST_PROXY?: string;

  // --- Authentication ---
  /** HMAC key of the session JWTs (min 32 characters). Required in production; elsewhere generated once and stored in the database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters (e.g. openssl rand -base64 48)' })
  AUTH_JWT_SECRET?: string;

  /** Lifetime of a web session (the cookie and its JWT). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(720)
  AUTH_SESSION_HOURS = 12;

  /** Login attempts per minute per client IP and email (the IP alone gets 5 times as many). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AUTH_LOGIN_RATE_LIMIT = 10;

  /** First start only (no user in the database): the admin to create. Unset = admin@velora.local. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({ require_tld: false }, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  /** First start only: the admin's password (min 12 characters). Unset = a generated one, printed once to the log. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(256, { message: 'ADMIN_PASSWORD must be at most 256 characters' })
  ADMIN_PASSWORD?: string;

  // --- Single sign-on (OpenID Connect); off while OIDC_ISSUER_URL is unset ---
  /** Issuer identifier (https; http only for loopback test issuers), e.g. https://sso.example.com/realms/acme. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true },
    { message: 'OIDC_ISSUER_URL must be an https URL such as https://sso.example.com/realms/acme' },
  )
  OIDC_ISSUER_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(255, { message: 'OIDC_CLIENT_ID must be at most 255 characters' })
  OIDC_CLIENT_ID?: string;

  /** Confidential clients only; public clients leave it unset (PKCE alone). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, {
    message: 'OIDC_SCOPES must be space-separated scope names (openid is added when missing)',
  })
  OIDC_SCOPES = 'openid email profile';

  /** Unset = <origin of the request>/api/auth/oidc/callback (set it behind a reverse proxy). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'OIDC_REDIRECT_URL must be an http(s) URL ending in /api/auth/oidc/callback' },
  )
  OIDC_REDIRECT_URL?: string;

  /** Label of the login button ("Sign in with <name>"). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'OIDC_DISPLAY_NAME must be at most 64 characters' })
  OIDC_DISPLAY_NAME?: string;

  /** Claim with the user's IdP roles/groups: a name (roles, groups) or a dotted path (realm_access.roles). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:/.-]{1,200}$/, { message: 'OIDC_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles' })
  OIDC_ROLES_CLAIM?: string;

  /** Comma-separated claim values that make a Velora admin. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OIDC_ADMIN_ROLES?: string;

  @IsIn(['admin', 'agent'])
  OIDC_DEFAULT_ROLE: 'admin' | 'agent' = 'agent';

  /** true = the first SSO sign-in creates the user; false = only users an admin created (matched by email). */
  @Transform(toBool)
  @IsBoolean()
  OIDC_AUTO_CREATE_USERS = false;

  /** Accept the issuer's JWT access tokens as Authorization: Bearer (machine clients; mapped to a user by email). */
  @Transform(toBool)
  @IsBoolean()
  OIDC_ACCEPT_BEARER_TOKENS = false;

  /** aud of accepted access tokens; unset = OIDC_CLIENT_ID. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  /** Per request to the issuer (discovery, token, JWKS). */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60_000)
  OIDC_TIMEOUT_MS = 10_000;

  // --- Operations: metrics and shutdown (docs/deploy.md) ---
  /**
   * Bearer token that unlocks GET /metrics on the main port (compared in constant time). Unset = /metrics on the
   * main port answers 404. Min 16 characters.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)' })
  @Matches(/^[\x21-\x7E]+$/, { message: 'METRICS_TOKEN must be printable ASCII without spaces' })
  METRICS_TOKEN?: string;

  /** A separate listener (on HOST) that serves GET /metrics without authentication, e.g. 9464. Unset = none. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** On SIGTERM/SIGINT: how long in-flight requests may take to finish before their connections are closed. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SHUTDOWN_TIMEOUT_SECONDS = 25;

  // --- Connection settings saved from the Integrations page ---
  /**
   * Key of the AES-256-GCM encryption of saved integration secrets (min 32 characters). Unset = generated on the
   * first start and kept in the database (app_settings).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SETTINGS_ENCRYPTION_KEY must be at least 32 characters (e.g. openssl rand -base64 32)' })
  SETTINGS_ENCRYPTION_KEY?: string;

  /** How often each replica looks for settings saved by another replica. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SETTINGS_REFRESH_SECONDS = 10;

  @IsIn(['json', 'pretty'])
  @IsOptional()
  LOG_FORMAT?: 'json' | 'pretty';

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(postgres|postgresql):\/\/.+|^memory:\/\/.*$/, { message: 'DATABASE_URL must be a postgres:// URL (or memory:// for tests)' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './data';

  /**
   * The embedded database's shared buffer cache (MB). PGlite runs PostgreSQL in WebAssembly inside this
   * process, so the cache is the process's memory; the OS page cache still holds the data files.
   * PostgreSQL's 128 MB default costs ~60 MB of RSS more than 32 MB for no gain at this size.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(4096)
  PGLITE_SHARED_BUFFERS_MB = 32;

  /**
   * Keep CDRs that started in the last this many days (whole UTC months: a month goes once it ended this long ago);
   * unset = keep everything. The rollups (summary, reports over rollups, insights) keep the dropped months.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  CDR_RETENTION_DAYS?: number;

  /** PostgreSQL 15+: monthly CDR partitions created ahead of the current month. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  CDR_PARTITION_MONTHS_AHEAD = 3;

  /** CDR list totals that need raw rows count at most this many (`X-Total-Count-Exact: false` past it). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  CDR_COUNT_CAP = 10_000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'SIPPY_RPC_URL must be an http(s) URL such as https://HOST/xmlapi/xmlapi' },
  )
  SIPPY_RPC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIPPY_RPC_USER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIPPY_RPC_PASS?: string;

  @Transform(toBool)
  @IsBoolean()
  SIPPY_DISABLE_TLS_VERIFY = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SIPPY_CA_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SIPPY_TIMEOUT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(4096)
  SIPPY_MAX_RESPONSE_MB = 256;

  @IsIn(['account', 'customer'])
  SIPPY_CDR_SOURCE: 'account' | 'customer' = 'account';

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  SIPPY_I_ACCOUNT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  SIPPY_I_CUSTOMER?: number;

  /** Trusted mode (no credentials): the i_customer / i_wholesaler we act for. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  SIPPY_TRUSTED_CUSTOMER_ID?: number;

  @IsIn(['all', 'non_zero_and_errors', 'non_zero', 'complete', 'incomplete', 'errors'])
  SIPPY_CDR_TYPE: 'all' | 'non_zero_and_errors' | 'non_zero' | 'complete' | 'incomplete' | 'errors' = 'all';

  /**
   * Health probe call. getAccountCDRs (default) = the CDR method the sync itself uses (getCustomerCDRs with
   * SIPPY_CDR_SOURCE=customer), so a CDR-only API user is healthy; listAccounts falls back to it on a fault.
   */
  @IsIn(['listAccounts', 'getAccountCDRs'])
  SIPPY_PROBE_METHOD: 'listAccounts' | 'getAccountCDRs' = 'getAccountCDRs';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  SIPPY_HEALTH_CACHE_SECONDS = 5;

  /** /api/sippy/health says "degraded" (still 200) after this many sync runs in a row failed while the probe passes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SIPPY_HEALTH_DEGRADED_AFTER_FAILURES = 3;
  /**
   * true: GET /api/sippy/health answers 503 while the switch is down (a readiness/alerting signal). false: it
   * answers 200 with status "degraded" for upstream failures, so it is safe as a Kubernetes liveness probe (a
   * switch outage must not restart every pod). Never-configured SippySoft is a 503 either way.
   */
  @Transform(toBool)
  @IsBoolean()
  SIPPY_HEALTH_STRICT = true;

  /** POST /api/sippy/test-connection calls per minute per user. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SIPPY_TEST_RATE_LIMIT = 10;

  /**
   * Comma-separated host names, IPs and CIDRs that POST /api/sippy/test-connection may reach; unset = any host
   * except link-local/cloud-metadata addresses (always refused).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:/[\]_-]+(\s*,\s*[A-Za-z0-9.:/[\]_-]+)*$/, {
    message: 'SIPPY_TEST_ALLOWED_HOSTS must be comma-separated host names, IP addresses or CIDRs',
  })
  SIPPY_TEST_ALLOWED_HOSTS?: string;

  @Transform(toBool)
  @IsBoolean()
  SIPPY_SYNC_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SIPPY_SYNC_INTERVAL_SECONDS = 15;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100_000)
  SIPPY_SYNC_PAGE_SIZE = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  SIPPY_SYNC_WINDOW_MINUTES = 60;

  /** The newest CDRs asked for are this old, so that rows being written on the switch are not half-seen. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SIPPY_SYNC_SAFETY_LAG_SECONDS = 5;

  /** Frequent passes re-read this much before the cursor (catches calls shorter than this quickly). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  SIPPY_SYNC_OVERLAP_SECONDS = 900;

  /** Every this often a full pass re-reads SIPPY_MAX_CALL_SECONDS back (catches long calls that end late). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SIPPY_SYNC_FULL_PASS_SECONDS = 300;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 86_400)
  SIPPY_MAX_CALL_SECONDS = 7200;

  /** How far back the very first sync reaches. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 92)
  SIPPY_SYNC_INITIAL_LOOKBACK_HOURS = 24;

  /** Ceiling of the wait after sync runs that failed without committing anything (runs that made progress do not back off). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SIPPY_SYNC_MAX_BACKOFF_SECONDS = 300;

  /** Tries per CDR/list request (1 = no retry); transient failures only (timeouts, 5xx, "busy" faults). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  SIPPY_SYNC_RETRY_ATTEMPTS = 4;

  /** First retry back-off (ms, doubled per retry, full jitter, at most 30 s). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SIPPY_SYNC_RETRY_BASE_MS = 500;

  /** On a backlog, read the newest window first so the live view fills while older windows catch up. */
  @Transform(toBool)
  @IsBoolean()
  SIPPY_SYNC_NEWEST_FIRST = true;

  /**
   * How long a replica's sync lease lasts without renewal (renewed after every window): another replica
   * takes over this long after the poller dies (kill -9, node lost). Unset = max(3 × interval,
   * 2 × SIPPY_TIMEOUT_MS, 60 s). Keep it longer than one window's read.
   */
  @Transform(emptyToUndefined) @Transform(toInt) @IsOptional() @IsInt() @Min(5) @Max(3600)
  SIPPY_SYNC_LEASE_SECONDS?: number;

  /** auto = start the built-in simulator when SIPPY_RPC_URL is unset outside production. */
  @IsIn(['auto', 'off'])
  SIPPY_SIMULATOR: 'auto' | 'off' = 'auto';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'SIPPY_DEFAULT_CURRENCY must be an ISO 4217 code such as TRY' })
  SIPPY_DEFAULT_CURRENCY?: string;

  /** Comma-separated prefixes of our own numbers (DIDs): calls to them are inbound. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\+?\d+(\s*,\s*\+?\d+)*$/, { message: 'SIPPY_LOCAL_NUMBER_PREFIXES must be comma-separated digit prefixes' })
  SIPPY_LOCAL_NUMBER_PREFIXES?: string;

  /** Comma-separated i_account values whose CDRs are inbound (DID / termination accounts). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+(\s*,\s*\d+)*$/, { message: 'SIPPY_INBOUND_ACCOUNTS must be comma-separated account ids' })
  SIPPY_INBOUND_ACCOUNTS?: string;

  @IsIn(['inbound', 'outbound', 'unknown'])
  SIPPY_DEFAULT_DIRECTION: 'inbound' | 'outbound' | 'unknown' = 'outbound';

  // --- Issabel PBX (Asterisk Manager Interface) ---
  /** AMI host; unset = Issabel not configured (demo simulator outside production, see ISSABEL_SIMULATOR). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:[\]_-]+$/, { message: 'ISSABEL_AMI_HOST must be a host name or IP address' })
  ISSABEL_AMI_HOST?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  ISSABEL_AMI_PORT = 5038;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ISSABEL_AMI_USER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ISSABEL_AMI_SECRET?: string;

  /** Budget of one whole check (connect, Login, actions, Logoff). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  ISSABEL_AMI_TIMEOUT_MS = 5000;

  @Transform(toBool)
  @IsBoolean()
  ISSABEL_AMI_TLS = false;

  @Transform(toBool)
  @IsBoolean()
  ISSABEL_AMI_DISABLE_TLS_VERIFY = false;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  ISSABEL_HEALTH_CACHE_SECONDS = 5;

  /** auto = start the built-in fake AMI server when ISSABEL_AMI_HOST is unset outside production. */
  @IsIn(['auto', 'off'])
  ISSABEL_SIMULATOR: 'auto' | 'off' = 'auto';

  // --- ElevenLabs ---
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ELEVENLABS_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'ELEVENLABS_BASE_URL must be an http(s) URL such as https://api.elevenlabs.io' },
  )
  ELEVENLABS_BASE_URL?: string;

  /** Per request, until the response headers arrive (the audio itself may stream longer). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  ELEVENLABS_TIMEOUT_MS = 30_000;

  /** SDK retries on 408/429/5xx; 0 = fail fast. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5)
  ELEVENLABS_MAX_RETRIES = 0;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'ELEVENLABS_DEFAULT_MODEL must be a model id such as eleven_multilingual_v2' })
  ELEVENLABS_DEFAULT_MODEL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  ELEVENLABS_HEALTH_CACHE_SECONDS = 60;

  /** auto = start the built-in fake ElevenLabs API when ELEVENLABS_API_KEY is unset outside production. */
  @IsIn(['auto', 'off'])
  ELEVENLABS_SIMULATOR: 'auto' | 'off' = 'auto';

  // --- Live events and notifications (docs/notifications.md) ---
  /** GET /api/events sends a heartbeat this often (keeps proxies from closing an idle stream; clients detect dead ones). */
  @Transform(toInt) @IsInt() @Min(1) @Max(300)
  EVENTS_HEARTBEAT_SECONDS = 25;

  /** A stream is closed (the client reconnects and resumes at once) after this long, so that credentials are checked again. */
  @Transform(toInt) @IsInt() @Min(5) @Max(86_400)
  EVENTS_STREAM_MAX_SECONDS = 300;

  /** Open streams per API process; more get 503 with Retry-After. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000)
  EVENTS_MAX_CLIENTS = 1000;

  /** Events that are not notifications (new CDRs, read marks) are kept this long for Last-Event-ID resume… */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_080)
  EVENTS_RETENTION_MINUTES = 60;

  /** …and at most this many of them. */
  @Transform(toInt) @IsInt() @Min(100) @Max(1_000_000)
  EVENTS_RETENTION_MAX = 10_000;

  /** Notifications (findings, integration changes, sync errors) are kept this long… */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  NOTIFICATIONS_RETENTION_DAYS = 30;

  /** …and at most this many. */
  @Transform(toInt) @IsInt() @Min(100) @Max(10_000_000)
  NOTIFICATIONS_RETENTION_MAX = 10_000;

  /** Every this often each configured integration is probed in the background, so an outage is noticed with nobody watching; 0 = only when a health endpoint is called. */
  @Transform(toInt) @IsInt() @Min(0) @Max(86_400)
  EVENTS_INTEGRATION_CHECK_SECONDS = 60;

  /** Outbound channels send findings, integration changes and sync errors at or above this level. */
  @IsIn(['info', 'warn', 'crit'])
  NOTIFY_MIN_LEVEL: 'info' | 'warn' | 'crit' = 'crit';

  /** Language of outbound messages (email, Telegram): tr, en, or both (Turkish first). */
  @IsIn(['tr', 'en', 'both'])
  NOTIFY_LANGUAGE: 'tr' | 'en' | 'both' = 'both';

  /**
   * Phone numbers in outbound messages (webhook, email, Telegram): auto = masked whenever the privacy settings mask
   * numbers for any role other than admin; true = always masked; false = never.
   */
  @IsIn(['auto', 'true', 'false'])
  NOTIFY_MASK_NUMBERS: 'auto' | 'true' | 'false' = 'auto';

  /** Base URL of the web app for links in outbound messages (e.g. https://velora.example.com); unset = no links. */
  @Transform(emptyToUndefined) @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'NOTIFY_APP_URL must be an http(s) URL such as https://velora.example.com' })
  NOTIFY_APP_URL?: string;

  /** Deliveries waiting per channel (per API process); when full the oldest is dropped (counted, logged). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000)
  NOTIFY_QUEUE_MAX = 1000;

  /** Tries per delivery (1 = no retry); timeouts, network errors, 408/429/5xx are retried. */
  @Transform(toInt) @IsInt() @Min(1) @Max(20)
  NOTIFY_RETRY_ATTEMPTS = 5;

  /** First retry back-off (ms, doubled per retry, full jitter, at most 5 minutes). */
  @Transform(toInt) @IsInt() @Min(0) @Max(600_000)
  NOTIFY_RETRY_BASE_MS = 2000;

  /** Per delivery attempt (connect + answer). */
  @Transform(toInt) @IsInt() @Min(100) @Max(120_000)
  NOTIFY_TIMEOUT_MS = 10_000;

  /** Webhook: POST JSON here, signed with NOTIFY_WEBHOOK_SECRET (X-Velora-Signature). Unset = no webhook. */
  @Transform(emptyToUndefined) @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'NOTIFY_WEBHOOK_URL must be an http(s) URL' })
  NOTIFY_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of the webhook signature (min 16 characters). */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16, { message: 'NOTIFY_WEBHOOK_SECRET must be at least 16 characters (e.g. openssl rand -hex 32)' })
  NOTIFY_WEBHOOK_SECRET?: string;

  /** Email: SMTP server. Unset = no email. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[A-Za-z0-9.:[\]_-]+$/, { message: 'NOTIFY_SMTP_HOST must be a host name or IP address' })
  NOTIFY_SMTP_HOST?: string;

  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  NOTIFY_SMTP_PORT = 587;

  /** true = TLS from the first byte (port 465); false = STARTTLS when the server offers it. */
  @Transform(toBool) @IsBoolean()
  NOTIFY_SMTP_SECURE = false;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  NOTIFY_SMTP_USER?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  NOTIFY_SMTP_PASS?: string;

  @Transform(toBool) @IsBoolean()
  NOTIFY_SMTP_DISABLE_TLS_VERIFY = false;

  @Transform(emptyToUndefined) @IsOptional() @IsEmail({ require_tld: false, allow_display_name: true }, { message: 'NOTIFY_EMAIL_FROM must be an email address (optionally "Name <address>")' })
  NOTIFY_EMAIL_FROM?: string;

  /** Comma-separated recipients. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*$/, { message: 'NOTIFY_EMAIL_TO must be comma-separated email addresses' })
  NOTIFY_EMAIL_TO?: string;

  /** Telegram bot: token from @BotFather. Unset = no Telegram. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'NOTIFY_TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (from @BotFather)' })
  NOTIFY_TELEGRAM_BOT_TOKEN?: string;

  /** Chat to send to: a numeric id (groups are negative) or @channelname. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,64})$/, { message: 'NOTIFY_TELEGRAM_CHAT_ID must be a numeric chat id or @channelname' })
  NOTIFY_TELEGRAM_CHAT_ID?: string;

  /** Bot API base URL (a local Bot API server, or a fake in tests). */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'NOTIFY_TELEGRAM_API_URL must be an http(s) URL such as https://api.telegram.org' })
  NOTIFY_TELEGRAM_API_URL = 'https://api.telegram.org';

  // --- Reports ---
  /** Longest date range (days) one report request may cover; longer ranges get a 400 naming `to`. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3660)
  REPORT_MAX_RANGE_DAYS = 366;

  /**
   * Peak concurrent calls are swept over raw rows (not additive over rollup rows): a report whose scope holds more
   * calls than this gives `peak_concurrent: null` instead of sweeping them (docs/reports.md). 0 = never compute.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  REPORT_PEAK_MAX_CALLS = 200_000;

  /** Rows an export reads per query (keyset batches): the memory one running export holds is about one batch. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50_000)
  EXPORT_BATCH_ROWS = 2000;

  // --- Insights (docs/insights.md) ---
  /** Scheduled anomaly analysis (after sync runs and every INSIGHTS_INTERVAL_MINUTES) and the daily narrative. */
  @Transform(toBool) @IsBoolean()
  INSIGHTS_ENABLED = true;

  /** IANA zone of the hour of the week the baselines compare, and of the narrative's day. */
  @IsString() @MaxLength(64)
  INSIGHTS_TIME_ZONE = 'Europe/Istanbul';

  /** The analysis runs at least this often (also after every sync run that stored calls). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1440)
  INSIGHTS_INTERVAL_MINUTES = 60;

  /** Baseline: the same hour of the week over this many earlier weeks. */
  @Transform(toInt) @IsInt() @Min(2) @Max(52)
  INSIGHTS_HISTORY_WEEKS = 8;

  /** Below this many weeks of stored history an hour raises nothing. */
  @Transform(toInt) @IsInt() @Min(1) @Max(52)
  INSIGHTS_MIN_HISTORY_WEEKS = 3;

  /** Robust z-score (distance from the median in spreads) from which an insight is a warning. */
  @Transform(toFloat) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(100)
  INSIGHTS_THRESHOLD_WARN = 4;

  /** Robust z-score from which an insight is critical. */
  @Transform(toFloat) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(1000)
  INSIGHTS_THRESHOLD_CRIT = 8;

  /** An hour of a subject with fewer calls raises no traffic, ASR or cost insight. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  INSIGHTS_MIN_CALLS = 20;

  /** A destination is new when it had no call in this many days before. */
  @Transform(toInt) @IsInt() @Min(1) @Max(366)
  INSIGHTS_NEW_DESTINATION_DAYS = 28;

  /** The first run (and a run after a long stop) looks back at most this many hours. */
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 31)
  INSIGHTS_BACKFILL_HOURS = 24;

  /** Hours already analysed are analysed again for this long (late CDRs of long calls still change them). */
  @Transform(toInt) @IsInt() @Min(0) @Max(48)
  INSIGHTS_SETTLE_HOURS = 2;

  // --- Spam and fraud detection (docs/detection.md) ---
  /** The incremental detection runner (after sync runs that stored calls, and every DETECTION_INTERVAL_SECONDS). */
  @Transform(toBool) @IsBoolean()
  DETECTION_ENABLED = true;

  /** IANA zone of "night" for the night-burst rule. */
  @IsString() @MaxLength(64)
  DETECTION_TIME_ZONE = 'Europe/Istanbul';

  /** The runner also runs this often (CDRs stored by the reconciliation, a replica that took over the sync). */
  @Transform(toInt) @IsInt() @Min(5) @Max(3600)
  DETECTION_INTERVAL_SECONDS = 60;

  /** After a sync run that stored CDRs the runner waits this long, so several sync runs share one detection run. */
  @Transform(toInt) @IsInt() @Min(0) @Max(600)
  DETECTION_DELAY_SECONDS = 5;

  /** The first run reads the CDRs stored in the last this many hours (never the whole table). */
  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 31)
  DETECTION_BACKFILL_HOURS = 24;

  /** New CDRs read per batch of the runner. */
  @Transform(toInt) @IsInt() @Min(100) @Max(100_000)
  DETECTION_BATCH_SIZE = 5000;

  /** Longest date range of one backtest (POST /api/detection/backtest). */
  @Transform(toInt) @IsInt() @Min(1) @Max(366)
  DETECTION_BACKTEST_MAX_DAYS = 31;

  /** A backtest reads at most this many CDRs (the result says when it was cut). */
  @Transform(toInt) @IsInt() @Min(1000) @Max(2_000_000)
  DETECTION_BACKTEST_MAX_CDRS = 200_000;

  /**
   * A MaxMind GeoLite2-Country (or DB-IP "IP to Country Lite") .mmdb file for the source_change rule; unset = the
   * country half of the rule is off (its user-agent half still works). Checked at start-up; reloaded when it changes.
   */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(4096)
  GEOIP_DATABASE_PATH?: string;

  /** source_change: countries (ISO 3166-1 alpha-2, comma-separated) that never raise a finding, e.g. TR,DE. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$/, { message: 'DETECTION_SOURCE_EXCLUDED_COUNTRIES must be ISO country codes separated by commas, such as TR,DE' })
  DETECTION_SOURCE_EXCLUDED_COUNTRIES?: string;

  /** source_change: the account's usual countries and user agents are those of this many days before the window. */
  @Transform(toInt) @IsInt() @Min(1) @Max(366)
  DETECTION_SOURCE_BASELINE_DAYS = 30;

  /** source_change: an account with fewer calls in its baseline period is too new to judge (stays silent). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  DETECTION_SOURCE_BASELINE_MIN_CALLS = 20;

  // --- LLM (OpenAI-compatible chat completions) for the daily narrative ---
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1; unset = the built-in summary only. */
  @Transform(emptyToUndefined) @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'LLM_BASE_URL must be an http(s) URL such as https://api.openai.com/v1' })
  LLM_BASE_URL?: string;

  /** Sent as Authorization: Bearer; a secret (never logged or returned). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  LLM_API_KEY?: string;

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[\w.:/@+-]{1,128}$/, { message: 'LLM_MODEL must be a model name such as gpt-4o-mini or llama3.1:8b' })
  LLM_MODEL?: string;

  /** Whole request budget (connect, model time, answer). */
  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000)
  LLM_TIMEOUT_MS = 30_000;

  @Transform(toInt) @IsInt() @Min(64) @Max(8192)
  LLM_MAX_TOKENS = 700;
  // --- Reconciliation (switch vs store) ---
  /** Reconcile yesterday (in RECONCILE_TIME_ZONE) every night at RECONCILE_AT. */
  @Transform(toBool) @IsBoolean()
  RECONCILE_NIGHTLY = true;

  /** Local time of the nightly reconciliation, HH:MM (24 h). */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'RECONCILE_AT must be a time of day as HH:MM (24 h), such as 03:30' })
  RECONCILE_AT = '03:30';

  /** Zone of RECONCILE_AT and of "yesterday". */
  @Validate(IanaTimeZoneConstraint)
  RECONCILE_TIME_ZONE = 'Europe/Istanbul';

  /** Longest range one POST /api/sippy/reconcile may re-read (days); longer ranges get a 400 naming `to`. */
  @Transform(toInt) @IsInt() @Min(1) @Max(92)
  RECONCILE_MAX_RANGE_DAYS = 7;
}

/** Raised at start-up; one line per bad variable, naming the rule but never the value. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.entries(e.constraints ?? {}).map(([rule, msg]) =>
      rule === 'whitelistValidation'
        ? `${e.property} is not a known variable (typo?)`
        : msg.startsWith(e.property)
          ? msg
          : `${e.property}: ${msg}`,
    ),
  );
}

/** Optional variables without a default (not own properties of a new EnvironmentVariables). */
const OPTIONAL_KEYS = new Set([
  'DATABASE_URL',
  'CORS_ORIGINS',
  'LOG_FORMAT',
  'TRUST_PROXY',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'METRICS_PORT',
  'SETTINGS_ENCRYPTION_KEY',
  'CDR_RETENTION_DAYS',
]);

export function validateEnv(raw: Record<string, string | undefined>): EnvironmentVariables {
  const known = new Set(Object.keys(new EnvironmentVariables()));
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    // `KEY=` (blank, as in a copied .env.example) means unset: the default applies
    if (value === undefined || value.trim() === '') continue;
    // only our variables; everything else in the process environment is none of our business
    if (
      known.has(key) ||
      key.startsWith('SIPPY_') ||
      key.startsWith('ISSABEL_') ||
      key.startsWith('ELEVENLABS_') ||
      key.startsWith('AUTH_') ||
      key.startsWith('OIDC_') ||
      key.startsWith('INSIGHTS_') ||
      key.startsWith('DETECTION_') ||
      key.startsWith('LLM_') ||
      key.startsWith('EVENTS_') ||
      key.startsWith('NOTIFY_') ||
      key.startsWith('NOTIFICATIONS_') ||
      OPTIONAL_KEYS.has(key)
    ) {
      input[key] = value;
    }
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const problems = describe(errors);
  if (env.NODE_ENV === 'production' && !env.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET is required in production (at least 32 random characters, e.g. openssl rand -base64 48)');
  }
  if ((env.SIPPY_RPC_USER === undefined) !== (env.SIPPY_RPC_PASS === undefined)) {
    problems.push('SIPPY_RPC_USER and SIPPY_RPC_PASS must be set together (or both unset for trusted mode)');
  }
  if (env.ISSABEL_AMI_HOST && (!env.ISSABEL_AMI_USER || !env.ISSABEL_AMI_SECRET)) {
    problems.push('ISSABEL_AMI_USER and ISSABEL_AMI_SECRET are required when ISSABEL_AMI_HOST is set');
  }
  problems.push(...oidcProblems(env), ...insightsProblems(env));
  problems.push(...notifyProblems(env));
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return env;
}

/** http is allowed only to loopback hosts (local test issuers); anything else must be https. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function oidcProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const issuer = env.OIDC_ISSUER_URL;
  if (issuer === undefined) {
    const stray = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const).filter((key) => env[key] !== undefined);
    if (stray.length > 0)
      problems.push(`${stray.join(', ')} set but OIDC_ISSUER_URL is not: set it to turn single sign-on on, or remove them`);
    return problems;
  }
  let url: URL | undefined;
  try {
    url = new URL(issuer);
  } catch {
    // reported by @IsUrl
  }
  if (url !== undefined) {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      problems.push('OIDC_ISSUER_URL must use https (plain http only for a loopback test issuer such as http://127.0.0.1:8080)');
    }
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      problems.push('OIDC_ISSUER_URL must be the bare issuer identifier (no query, fragment or credentials)');
    }
  }
  if (env.OIDC_CLIENT_ID === undefined) {
    problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set');
  }
  if (!/(^| )openid( |$)/.test(env.OIDC_SCOPES)) {
    problems.push('OIDC_SCOPES must include openid');
  }
  if (env.OIDC_REDIRECT_URL !== undefined) {
    try {
      const redirect = new URL(env.OIDC_REDIRECT_URL);
      if (!redirect.pathname.endsWith('/api/auth/oidc/callback') || redirect.search !== '' || redirect.hash !== '') {
        problems.push('OIDC_REDIRECT_URL must end in /api/auth/oidc/callback (no query or fragment)');
      } else if (env.NODE_ENV === 'production' && redirect.protocol !== 'https:' && !isLoopbackHost(redirect.hostname)) {
        problems.push('OIDC_REDIRECT_URL must use https in production');
      }
    } catch {
      // reported by @IsUrl
    }
  }
  if (env.OIDC_ADMIN_ROLES !== undefined && env.OIDC_ROLES_CLAIM === undefined) {
    problems.push('OIDC_ADMIN_ROLES needs OIDC_ROLES_CLAIM (the claim that holds the roles)');
  }
  return problems;
}

function insightsProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (!isIanaTimeZone(env.DETECTION_TIME_ZONE)) {
    problems.push('DETECTION_TIME_ZONE must be an IANA time zone such as Europe/Istanbul or UTC');
  }
  if (!isIanaTimeZone(env.INSIGHTS_TIME_ZONE)) {
    problems.push('INSIGHTS_TIME_ZONE must be an IANA time zone such as Europe/Istanbul or UTC');
  }
  if (env.INSIGHTS_MIN_HISTORY_WEEKS > env.INSIGHTS_HISTORY_WEEKS) {
    problems.push('INSIGHTS_MIN_HISTORY_WEEKS must not be more than INSIGHTS_HISTORY_WEEKS');
  }
  if (env.INSIGHTS_THRESHOLD_CRIT < env.INSIGHTS_THRESHOLD_WARN) {
    problems.push('INSIGHTS_THRESHOLD_CRIT must not be below INSIGHTS_THRESHOLD_WARN');
  }
  if (env.LLM_BASE_URL === undefined) {
    const stray = (['LLM_API_KEY', 'LLM_MODEL'] as const).filter((key) => env[key] !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(', ')} set but LLM_BASE_URL is not: set it to use a language model, or remove them`);
    return problems;
  }
  if (env.LLM_MODEL === undefined) {
    problems.push('LLM_MODEL is required when LLM_BASE_URL is set');
  }
  try {
    const url = new URL(env.LLM_BASE_URL);
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      problems.push('LLM_BASE_URL must be a base URL without query, fragment or credentials (put the key in LLM_API_KEY)');
    }
    if (url.protocol === 'http:' && env.LLM_API_KEY !== undefined && !isLoopbackHost(url.hostname)) {
      problems.push('LLM_BASE_URL must use https when LLM_API_KEY is set (plain http only to a loopback host): the key would travel in clear text');
    }
  } catch {
    // reported by @IsUrl
  }
  return problems;
}

/** An IANA zone name (not a raw offset or an abbreviation) that the runtime knows. */
function isIanaTimeZone(value: string): boolean {
  if (!/^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The outbound channels: each is all-or-nothing. */
function notifyProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (env.NOTIFY_WEBHOOK_URL !== undefined && env.NOTIFY_WEBHOOK_SECRET === undefined) {
    problems.push('NOTIFY_WEBHOOK_SECRET is required when NOTIFY_WEBHOOK_URL is set (receivers verify the signature with it)');
  }
  if (env.NOTIFY_WEBHOOK_URL === undefined && env.NOTIFY_WEBHOOK_SECRET !== undefined) {
    problems.push('NOTIFY_WEBHOOK_SECRET set but NOTIFY_WEBHOOK_URL is not: set it to turn the webhook on, or remove the secret');
  }
  if (env.NOTIFY_SMTP_HOST !== undefined) {
    if (env.NOTIFY_EMAIL_FROM === undefined) problems.push('NOTIFY_EMAIL_FROM is required when NOTIFY_SMTP_HOST is set');
    if (env.NOTIFY_EMAIL_TO === undefined) problems.push('NOTIFY_EMAIL_TO is required when NOTIFY_SMTP_HOST is set');
    if ((env.NOTIFY_SMTP_USER === undefined) !== (env.NOTIFY_SMTP_PASS === undefined)) {
      problems.push('NOTIFY_SMTP_USER and NOTIFY_SMTP_PASS must be set together (or both unset for a relay without authentication)');
    }
  } else {
    const stray = (['NOTIFY_EMAIL_FROM', 'NOTIFY_EMAIL_TO', 'NOTIFY_SMTP_USER', 'NOTIFY_SMTP_PASS'] as const).filter((key) => env[key] !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(', ')} set but NOTIFY_SMTP_HOST is not: set it to turn email on, or remove them`);
  }
  if ((env.NOTIFY_TELEGRAM_BOT_TOKEN === undefined) !== (env.NOTIFY_TELEGRAM_CHAT_ID === undefined)) {
    problems.push('NOTIFY_TELEGRAM_BOT_TOKEN and NOTIFY_TELEGRAM_CHAT_ID must be set together');
  }
  return problems;
}

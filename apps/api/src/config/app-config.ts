import type { EventLevel } from '@velora/contracts';
import { type EnvironmentVariables, validateEnv } from './env.validation';
import { RuntimeSecrets } from './runtime-secrets';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

export interface OidcConfig {
  enabled: boolean;
  issuerUrl?: string;
  clientId?: string;
  /** Undefined = public client (PKCE only, token_endpoint_auth_method none). */
  clientSecret?: string;
  scopes: string;
  /** Undefined = derived from each request: <origin>/api/auth/oidc/callback. */
  redirectUrl?: string;
  displayName: string;
  /** Claim name or dotted path holding the IdP roles; undefined = no role mapping. */
  rolesClaim?: string;
  adminRoles: string[];
  defaultRole: 'admin' | 'agent';
  autoCreateUsers: boolean;
  acceptBearerTokens: boolean;
  /** aud of accepted access tokens (default: the client id). */
  audience?: string;
  timeoutMs: number;
}

export interface InsightsConfig {
  /** Scheduled analysis and narrative (the endpoints work either way). */
  enabled: boolean;
  /** IANA zone of the hour of the week and of the narrative's day. */
  timeZone: string;
  intervalMs: number;
  historyWeeks: number;
  minHistoryWeeks: number;
  thresholdWarn: number;
  thresholdCrit: number;
  minCalls: number;
  newDestinationDays: number;
  backfillHours: number;
  settleHours: number;
}

export interface DetectionConfig {
  /** The scheduled runner (the endpoints and backtests work either way). */
  enabled: boolean;
  /** IANA zone of "night" (night_burst). */
  timeZone: string;
  intervalMs: number;
  /** Wait after a sync run before detecting (sync runs in the meantime share the run). */
  delayMs: number;
  backfillHours: number;
  batchSize: number;
  backtestMaxDays: number;
  backtestMaxCdrs: number;
  /** source_change: the GeoIP country database (unset = no country half). */
  geoipDatabasePath: string | null;
  /** source_change: ISO alpha-2 codes (upper case) that never raise a finding. */
  sourceExcludedCountries: string[];
  sourceBaselineDays: number;
  sourceBaselineMinCalls: number;
}

export interface LlmConfig {
  /** e.g. https://api.openai.com/v1 (POST <baseUrl>/chat/completions). */
  baseUrl: string;
  /** A secret: never logged or returned. */
  apiKey?: string;
  model: string;
  timeoutMs: number;
  maxTokens: number;
}

/** Live events (GET /api/events) and their storage. */
export interface EventsConfig {
  heartbeatMs: number;
  streamMaxMs: number;
  maxClients: number;
  /** Events that are not notifications: kept this long and at most this many (Last-Event-ID resume). */
  retentionMs: number;
  retentionMax: number;
  notificationRetentionMs: number;
  notificationRetentionMax: number;
  /** Background probe of every configured integration; 0 = off. */
  integrationCheckMs: number;
}

/** Outbound notification channels (each undefined when not configured). Holds secrets. */
export interface NotifyConfig {
  minLevel: EventLevel;
  language: 'tr' | 'en' | 'both';
  /** NOTIFY_MASK_NUMBERS: auto follows the privacy settings (masked when any non-admin role is masked). */
  maskNumbers: 'auto' | 'always' | 'never';
  appUrl?: string;
  queueMax: number;
  retryAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  webhook?: { url: string; secret: string };
  email?: { host: string; port: number; secure: boolean; user?: string; pass?: string; tlsVerify: boolean; from: string; to: string[] };
  telegram?: { botToken: string; chatId: string; apiUrl: string };
}

export type SippyMode = 'live' | 'simulator' | 'unconfigured';
/** live = configured; simulator = demo fake started in-process (non-production only); unconfigured. */
export type IntegrationMode = 'live' | 'simulator' | 'unconfigured';

export interface SippyConnectionConfig {
  url?: string;
  username?: string;
  password?: string;
  tlsVerify: boolean;
  caFile?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * The validated, typed configuration of the API. Built once from the environment at start-up
 * (AppConfig.fromEnv) and injected by class. Holds secrets: never serialize it.
 */
export class AppConfig {
  readonly nodeEnv: EnvironmentVariables['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly corsOrigins: string[];
  /** Express "trust proxy" value (undefined = trust no proxy). */
  readonly trustProxy?: boolean | number | string;
  readonly auth: {
    /** Configured session signing key; undefined = generated once and kept in app_settings (non-production). */
    jwtSecret?: string;
    sessionHours: number;
    loginRateLimit: number;
    initialAdmin: { email?: string; password?: string };
  };
  /** Single sign-on (OpenID Connect); enabled when OIDC_ISSUER_URL is set. */
  readonly oidc: OidcConfig;
  readonly logFormat: 'json' | 'pretty';
  /** Prometheus metrics: token for /metrics on the main port, and/or a separate unauthenticated listener. */
  readonly metrics: { token?: string; port?: number };
  /** Graceful shutdown: bound of the wait for in-flight requests after SIGTERM. */
  readonly shutdown: { timeoutMs: number };
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  readonly database: { url?: string; dataDir: string; pgliteSharedBuffersMb: number };
  /** CDR_COUNT_CAP: list totals that need raw rows stop counting here. */
  readonly cdrCountCap: number;
  /** CDR_RETENTION_DAYS (undefined = keep all) and CDR_PARTITION_MONTHS_AHEAD (docs/deploy.md). */
  readonly cdrStore: { retentionDays?: number; partitionMonthsAhead: number };
  readonly sippy: {
    mode: SippyMode;
    connection: SippyConnectionConfig;
    cdrSource: 'account' | 'customer';
    iAccount?: number;
    iCustomer?: number;
    trustedCustomerId?: number;
    cdrType: EnvironmentVariables['SIPPY_CDR_TYPE'];
    probeMethod: EnvironmentVariables['SIPPY_PROBE_METHOD'];
    healthCacheMs: number;
    /** Failed sync runs in a row after which health says degraded. */
    healthDegradedAfterFailures: number;
    /** false: upstream failures make /api/sippy/health 200 "degraded" instead of 503 (safe for liveness probes). */
    healthStrict: boolean;
    /** Calls of POST /api/sippy/test-connection per minute per user. */
    testRateLimit: number;
    /** Allow-list of test-connection targets (host names, IPs, CIDRs); empty = any public/private host. */
    testAllowedHosts: string[];
  };
  readonly sync: {
    enabled: boolean;
    intervalMs: number;
    pageSize: number;
    windowMs: number;
    safetyLagMs: number;
    overlapMs: number;
    fullPassEveryMs: number;
    maxCallMs: number;
    initialLookbackMs: number;
    maxBackoffMs: number;
    retryAttempts: number;
    retryBaseMs: number;
    newestFirst: boolean;
    /** Sync lease lifetime without renewal; undefined = derived from the interval and the timeout. */
    leaseMs: number | undefined;
  };
  readonly issabel: {
    mode: IntegrationMode;
    host?: string;
    port: number;
    username?: string;
    secret?: string;
    timeoutMs: number;
    tls: boolean;
    tlsVerify: boolean;
    healthCacheMs: number;
  };
  readonly events: EventsConfig;
  readonly notify: NotifyConfig;
  /** Reports (/api/reports). */
  readonly reports: { maxRangeDays: number; peakMaxCalls: number };
  /** Exports (GET /api/sippy/cdrs/export, /api/reports/<report>/export): rows read per query. */
  readonly exports: { batchRows: number };
  /** Anomaly insights and the daily narrative (docs/insights.md). */
  readonly insights: InsightsConfig;
  /** Spam and fraud detection (docs/detection.md). */
  readonly detection: DetectionConfig;
  /** OpenAI-compatible chat completions for the daily narrative; undefined = the built-in summary only. */
  readonly llm?: LlmConfig;
  /** Reconciliation of the stored CDRs against the switch (POST /api/sippy/reconcile and the nightly job). */
  readonly reconcile: {
    nightly: boolean;
    /** Local time of the nightly run in `timeZone`. */
    at: { hour: number; minute: number };
    timeZone: string;
    maxRangeDays: number;
  };
  readonly elevenlabs: {
    mode: IntegrationMode;
    apiKey?: string;
    baseUrl: string;
    timeoutMs: number;
    maxRetries: number;
    defaultModelId: string;
    healthCacheMs: number;
  };
  readonly normalizer: {
    defaultCurrency?: string;
    localNumberPrefixes: string[];
    inboundAccounts: string[];
    defaultDirection: 'inbound' | 'outbound' | 'unknown';
  };
  /** Connection settings saved from the Integrations page (docs/configuration.md#settings-saved-in-the-web-app). */
  readonly settings: {
    /** Key material of the secrets' encryption; undefined = generated once and kept in app_settings. */
    encryptionKey?: string;
    /** How often a replica looks for settings another replica saved. */
    refreshMs: number;
  };
  /** Secrets learnt at run time (saved integration secrets): scrubbed from the logs like the configured ones. */
  readonly runtimeSecrets = new RuntimeSecrets();
  /** Our variables that the environment sets (non-blank): they win over saved settings. */
  private readonly presentEnv: ReadonlySet<string>;

  private constructor(env: EnvironmentVariables, present: ReadonlySet<string>) {
    this.presentEnv = present;
    this.nodeEnv = env.NODE_ENV;
    this.port = env.PORT;
    this.host = env.HOST;
    this.corsOrigins = list(env.CORS_ORIGINS);
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.auth = {
      jwtSecret: env.AUTH_JWT_SECRET,
      sessionHours: env.AUTH_SESSION_HOURS,
      loginRateLimit: env.AUTH_LOGIN_RATE_LIMIT,
      initialAdmin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    };
    this.oidc = {
      enabled: env.OIDC_ISSUER_URL !== undefined,
      issuerUrl: env.OIDC_ISSUER_URL,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      scopes: env.OIDC_SCOPES,
      redirectUrl: env.OIDC_REDIRECT_URL,
      displayName: env.OIDC_DISPLAY_NAME ?? 'SSO',
      rolesClaim: env.OIDC_ROLES_CLAIM,
      adminRoles: list(env.OIDC_ADMIN_ROLES),
      defaultRole: env.OIDC_DEFAULT_ROLE,
      autoCreateUsers: env.OIDC_AUTO_CREATE_USERS,
      acceptBearerTokens: env.OIDC_ACCEPT_BEARER_TOKENS,
      audience: env.OIDC_AUDIENCE,
      timeoutMs: env.OIDC_TIMEOUT_MS,
    };
    this.logFormat = env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty');
    this.logLevel = env.LOG_LEVEL;
    this.metrics = { token: env.METRICS_TOKEN, port: env.METRICS_PORT };
    this.shutdown = { timeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000 };
    this.database = { url: env.DATABASE_URL, dataDir: env.DATA_DIR, pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB };
    this.cdrCountCap = env.CDR_COUNT_CAP;
    this.cdrStore = { retentionDays: env.CDR_RETENTION_DAYS, partitionMonthsAhead: env.CDR_PARTITION_MONTHS_AHEAD };
    const mode: SippyMode = env.SIPPY_RPC_URL
      ? 'live'
      : env.NODE_ENV !== 'production' && env.SIPPY_SIMULATOR === 'auto'
        ? 'simulator'
        : 'unconfigured';
    this.sippy = {
      mode,
      connection: {
        url: env.SIPPY_RPC_URL,
        username: env.SIPPY_RPC_USER,
        password: env.SIPPY_RPC_PASS,
        tlsVerify: !env.SIPPY_DISABLE_TLS_VERIFY,
        caFile: env.SIPPY_CA_FILE,
        timeoutMs: env.SIPPY_TIMEOUT_MS,
        maxResponseBytes: env.SIPPY_MAX_RESPONSE_MB * 1024 * 1024,
      },
      cdrSource: env.SIPPY_CDR_SOURCE,
      iAccount: env.SIPPY_I_ACCOUNT,
      iCustomer: env.SIPPY_I_CUSTOMER,
      trustedCustomerId: env.SIPPY_TRUSTED_CUSTOMER_ID,
      cdrType: env.SIPPY_CDR_TYPE,
      probeMethod: env.SIPPY_PROBE_METHOD,
      healthCacheMs: env.SIPPY_HEALTH_CACHE_SECONDS * 1000,
      healthDegradedAfterFailures: env.SIPPY_HEALTH_DEGRADED_AFTER_FAILURES,
      healthStrict: env.SIPPY_HEALTH_STRICT,
      testRateLimit: env.SIPPY_TEST_RATE_LIMIT,
      testAllowedHosts: list(env.SIPPY_TEST_ALLOWED_HOSTS),
    };
    this.sync = {
      enabled: env.SIPPY_SYNC_ENABLED,
      intervalMs: env.SIPPY_SYNC_INTERVAL_SECONDS * 1000,
      pageSize: env.SIPPY_SYNC_PAGE_SIZE,
      windowMs: env.SIPPY_SYNC_WINDOW_MINUTES * 60_000,
      safetyLagMs: env.SIPPY_SYNC_SAFETY_LAG_SECONDS * 1000,
      overlapMs: env.SIPPY_SYNC_OVERLAP_SECONDS * 1000,
      fullPassEveryMs: env.SIPPY_SYNC_FULL_PASS_SECONDS * 1000,
      maxCallMs: env.SIPPY_MAX_CALL_SECONDS * 1000,
      initialLookbackMs: env.SIPPY_SYNC_INITIAL_LOOKBACK_HOURS * 3_600_000,
      maxBackoffMs: env.SIPPY_SYNC_MAX_BACKOFF_SECONDS * 1000,
      retryAttempts: env.SIPPY_SYNC_RETRY_ATTEMPTS,
      retryBaseMs: env.SIPPY_SYNC_RETRY_BASE_MS,
      newestFirst: env.SIPPY_SYNC_NEWEST_FIRST,
      leaseMs: env.SIPPY_SYNC_LEASE_SECONDS === undefined ? undefined : env.SIPPY_SYNC_LEASE_SECONDS * 1000,
    };
    const integrationMode = (configured: boolean, simulator: 'auto' | 'off'): IntegrationMode =>
      configured ? 'live' : env.NODE_ENV !== 'production' && simulator === 'auto' ? 'simulator' : 'unconfigured';
    this.issabel = {
      mode: integrationMode(env.ISSABEL_AMI_HOST !== undefined, env.ISSABEL_SIMULATOR),
      host: env.ISSABEL_AMI_HOST,
      port: env.ISSABEL_AMI_PORT,
      username: env.ISSABEL_AMI_USER,
      secret: env.ISSABEL_AMI_SECRET,
      timeoutMs: env.ISSABEL_AMI_TIMEOUT_MS,
      tls: env.ISSABEL_AMI_TLS,
      tlsVerify: !env.ISSABEL_AMI_DISABLE_TLS_VERIFY,
      healthCacheMs: env.ISSABEL_HEALTH_CACHE_SECONDS * 1000,
    };
    this.elevenlabs = {
      mode: integrationMode(env.ELEVENLABS_API_KEY !== undefined, env.ELEVENLABS_SIMULATOR),
      apiKey: env.ELEVENLABS_API_KEY,
      baseUrl: env.ELEVENLABS_BASE_URL ?? 'https://api.elevenlabs.io',
      timeoutMs: env.ELEVENLABS_TIMEOUT_MS,
      maxRetries: env.ELEVENLABS_MAX_RETRIES,
      defaultModelId: env.ELEVENLABS_DEFAULT_MODEL ?? 'eleven_multilingual_v2',
      healthCacheMs: env.ELEVENLABS_HEALTH_CACHE_SECONDS * 1000,
    };
    this.reports = { maxRangeDays: env.REPORT_MAX_RANGE_DAYS, peakMaxCalls: env.REPORT_PEAK_MAX_CALLS };
    this.exports = { batchRows: env.EXPORT_BATCH_ROWS };
    this.insights = {
      enabled: env.INSIGHTS_ENABLED,
      timeZone: env.INSIGHTS_TIME_ZONE,
      intervalMs: env.INSIGHTS_INTERVAL_MINUTES * 60_000,
      historyWeeks: env.INSIGHTS_HISTORY_WEEKS,
      minHistoryWeeks: env.INSIGHTS_MIN_HISTORY_WEEKS,
      thresholdWarn: env.INSIGHTS_THRESHOLD_WARN,
      thresholdCrit: env.INSIGHTS_THRESHOLD_CRIT,
      minCalls: env.INSIGHTS_MIN_CALLS,
      newDestinationDays: env.INSIGHTS_NEW_DESTINATION_DAYS,
      backfillHours: env.INSIGHTS_BACKFILL_HOURS,
      settleHours: env.INSIGHTS_SETTLE_HOURS,
    };
    this.detection = {
      enabled: env.DETECTION_ENABLED,
      timeZone: env.DETECTION_TIME_ZONE,
      intervalMs: env.DETECTION_INTERVAL_SECONDS * 1000,
      delayMs: env.DETECTION_DELAY_SECONDS * 1000,
      backfillHours: env.DETECTION_BACKFILL_HOURS,
      batchSize: env.DETECTION_BATCH_SIZE,
      backtestMaxDays: env.DETECTION_BACKTEST_MAX_DAYS,
      backtestMaxCdrs: env.DETECTION_BACKTEST_MAX_CDRS,
      geoipDatabasePath: env.GEOIP_DATABASE_PATH ?? null,
      sourceExcludedCountries: (env.DETECTION_SOURCE_EXCLUDED_COUNTRIES ?? '')
        .split(',')
        .map((c) => c.trim().toUpperCase())
        .filter((c) => c !== ''),
      sourceBaselineDays: env.DETECTION_SOURCE_BASELINE_DAYS,
      sourceBaselineMinCalls: env.DETECTION_SOURCE_BASELINE_MIN_CALLS,
    };
    this.llm =
      env.LLM_BASE_URL !== undefined && env.LLM_MODEL !== undefined
        ? {
            baseUrl: env.LLM_BASE_URL,
            apiKey: env.LLM_API_KEY,
            model: env.LLM_MODEL,
            timeoutMs: env.LLM_TIMEOUT_MS,
            maxTokens: env.LLM_MAX_TOKENS,
          }
        : undefined;
    const [atHour = 3, atMinute = 30] = env.RECONCILE_AT.split(':').map(Number);
    this.reconcile = {
      nightly: env.RECONCILE_NIGHTLY,
      at: { hour: atHour, minute: atMinute },
      timeZone: env.RECONCILE_TIME_ZONE,
      maxRangeDays: env.RECONCILE_MAX_RANGE_DAYS,
    };
    this.settings = { encryptionKey: env.SETTINGS_ENCRYPTION_KEY, refreshMs: env.SETTINGS_REFRESH_SECONDS * 1000 };
    this.events = {
      heartbeatMs: env.EVENTS_HEARTBEAT_SECONDS * 1000,
      streamMaxMs: env.EVENTS_STREAM_MAX_SECONDS * 1000,
      maxClients: env.EVENTS_MAX_CLIENTS,
      retentionMs: env.EVENTS_RETENTION_MINUTES * 60_000,
      retentionMax: env.EVENTS_RETENTION_MAX,
      notificationRetentionMs: env.NOTIFICATIONS_RETENTION_DAYS * 86_400_000,
      notificationRetentionMax: env.NOTIFICATIONS_RETENTION_MAX,
      integrationCheckMs: env.EVENTS_INTEGRATION_CHECK_SECONDS * 1000,
    };
    this.notify = {
      minLevel: env.NOTIFY_MIN_LEVEL,
      language: env.NOTIFY_LANGUAGE,
      maskNumbers: env.NOTIFY_MASK_NUMBERS === 'auto' ? 'auto' : env.NOTIFY_MASK_NUMBERS === 'true' ? 'always' : 'never',
      appUrl: env.NOTIFY_APP_URL?.replace(/\/+$/, ''),
      queueMax: env.NOTIFY_QUEUE_MAX,
      retryAttempts: env.NOTIFY_RETRY_ATTEMPTS,
      retryBaseMs: env.NOTIFY_RETRY_BASE_MS,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
      webhook:
        env.NOTIFY_WEBHOOK_URL !== undefined && env.NOTIFY_WEBHOOK_SECRET !== undefined
          ? { url: env.NOTIFY_WEBHOOK_URL, secret: env.NOTIFY_WEBHOOK_SECRET }
          : undefined,
      email:
        env.NOTIFY_SMTP_HOST !== undefined && env.NOTIFY_EMAIL_FROM !== undefined && env.NOTIFY_EMAIL_TO !== undefined
          ? {
              host: env.NOTIFY_SMTP_HOST,
              port: env.NOTIFY_SMTP_PORT,
              secure: env.NOTIFY_SMTP_SECURE,
              user: env.NOTIFY_SMTP_USER,
              pass: env.NOTIFY_SMTP_PASS,
              tlsVerify: !env.NOTIFY_SMTP_DISABLE_TLS_VERIFY,
              from: env.NOTIFY_EMAIL_FROM,
              to: list(env.NOTIFY_EMAIL_TO),
            }
          : undefined,
      telegram:
        env.NOTIFY_TELEGRAM_BOT_TOKEN !== undefined && env.NOTIFY_TELEGRAM_CHAT_ID !== undefined
          ? {
              botToken: env.NOTIFY_TELEGRAM_BOT_TOKEN,
              chatId: env.NOTIFY_TELEGRAM_CHAT_ID,
              apiUrl: env.NOTIFY_TELEGRAM_API_URL.replace(/\/+$/, ''),
            }
          : undefined,
    };
    this.normalizer = {
      defaultCurrency: env.SIPPY_DEFAULT_CURRENCY,
      localNumberPrefixes: list(env.SIPPY_LOCAL_NUMBER_PREFIXES),
      inboundAccounts: list(env.SIPPY_INBOUND_ACCOUNTS),
      defaultDirection: env.SIPPY_DEFAULT_DIRECTION,
    };
  }

  /** Validates the environment (throws ConfigValidationError naming each bad variable) and builds the config. */
  static fromEnv(env: Record<string, string | undefined>): AppConfig {
    const present = new Set(Object.entries(env).flatMap(([key, value]) => (value !== undefined && value.trim() !== '' ? [key] : [])));
    return new AppConfig(validateEnv(env), present);
  }

  /** The environment sets this variable (to a non-blank value): it wins over a saved setting. */
  isSetInEnv(name: keyof EnvironmentVariables): boolean {
    return this.presentEnv.has(name);
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  /**
   * Every configured secret value (passwords, keys, the database password) and every secret learnt since
   * (runtimeSecrets): the logger replaces any of them that still reaches a log line with [REDACTED].
   */
  secretValues(): string[] {
    let databasePassword: string | undefined;
    try {
      databasePassword = this.database.url !== undefined ? decodeURIComponent(new URL(this.database.url).password) : undefined;
    } catch {
      databasePassword = undefined;
    }
    const values = [
      this.auth.jwtSecret,
      this.auth.initialAdmin.password,
      databasePassword,
      this.sippy.connection.password,
      this.issabel.secret,
      this.elevenlabs.apiKey,
      this.oidc.clientSecret,
      this.metrics.token,
      this.llm?.apiKey,
      this.settings.encryptionKey,
      ...this.runtimeSecrets.list(),
      this.notify.webhook?.secret,
      this.notify.email?.pass,
      this.notify.telegram?.botToken,
    ];
    return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
  }

  /** Keeps secrets out of accidental JSON.stringify / logging. */
  toJSON(): Record<string, unknown> {
    return { nodeEnv: this.nodeEnv, port: this.port, sippyMode: this.sippy.mode, database: this.database.url ? 'postgres' : 'pglite' };
  }
}

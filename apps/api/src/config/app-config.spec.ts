import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { AppConfig } from './app-config';
import { ConfigValidationError } from './env.validation';

function problems(env: Record<string, string>): string[] {
  try {
    AppConfig.fromEnv(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('AppConfig', () => {
  it('starts with .env.example copied as it is (blank values mean unset)', () => {
    const example = parseEnv(readFileSync(join(__dirname, '../../../../.env.example'), 'utf8')) as Record<string, string>;
    expect(Object.keys(example).length).toBeGreaterThan(20);
    expect(problems(example)).toEqual([]);
    const config = AppConfig.fromEnv(example);
    expect(config.sippy.mode).toBe('simulator');
    expect(config.oidc.enabled).toBe(false);
  });

  it('treats a blank variable as unset: the default applies', () => {
    const config = AppConfig.fromEnv({ PORT: '  ', SIPPY_SYNC_ENABLED: '', LOG_FORMAT: '' });
    expect(config.port).toBe(3000);
    expect(config.logFormat).toBe('pretty');
  });

  it('keeps every CDR by default, 3 partitions ahead; reads and checks CDR_RETENTION_DAYS and CDR_PARTITION_MONTHS_AHEAD', () => {
    expect(AppConfig.fromEnv({}).cdrStore).toEqual({ retentionDays: undefined, partitionMonthsAhead: 3 });
    expect(AppConfig.fromEnv({ CDR_RETENTION_DAYS: '400', CDR_PARTITION_MONTHS_AHEAD: '6' }).cdrStore).toEqual({
      retentionDays: 400,
      partitionMonthsAhead: 6,
    });
    const bad = problems({ CDR_RETENTION_DAYS: '0', CDR_PARTITION_MONTHS_AHEAD: 'many' });
    expect(bad.some((p) => p.startsWith('CDR_RETENTION_DAYS'))).toBe(true);
    expect(bad.some((p) => p.startsWith('CDR_PARTITION_MONTHS_AHEAD'))).toBe(true);
  });

  it('has working defaults: simulator mode, PGlite under ./data, sync every 15 s', () => {
    const config = AppConfig.fromEnv({});
    expect(config.sippy.mode).toBe('simulator');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: './data', pgliteSharedBuffersMb: 32 });
    expect(config.sync).toMatchObject({ enabled: true, intervalMs: 15_000, maxCallMs: 7_200_000, pageSize: 1000 });
    expect(config.sippy.connection.tlsVerify).toBe(true);
  });

  it('reads a live switch configuration', () => {
    const config = AppConfig.fromEnv({
      SIPPY_RPC_URL: 'https://10.0.0.1/xmlapi/xmlapi',
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: 'secret',
      SIPPY_DISABLE_TLS_VERIFY: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '30',
      SIPPY_LOCAL_NUMBER_PREFIXES: '90212555, 90850',
      CORS_ORIGINS: 'https://crm.example.com, http://localhost:4200',
    });
    expect(config.sippy.mode).toBe('live');
    expect(config.sippy.connection).toMatchObject({ url: 'https://10.0.0.1/xmlapi/xmlapi', username: 'ssp-root', tlsVerify: false });
    expect(config.sync.intervalMs).toBe(30_000);
    expect(config.normalizer.localNumberPrefixes).toEqual(['90212555', '90850']);
    expect(config.corsOrigins).toEqual(['https://crm.example.com', 'http://localhost:4200']);
  });

  it('starts in production without a switch (it can be entered in the web app) and never starts the simulator there', () => {
    expect(problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
    expect(AppConfig.fromEnv({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) }).sippy.mode).toBe('unconfigured');
    expect(AppConfig.fromEnv({ NODE_ENV: 'development', SIPPY_SIMULATOR: 'off' }).sippy.mode).toBe('unconfigured');
  });

  it('knows which variables the environment sets (they win over saved settings)', () => {
    const config = AppConfig.fromEnv({ SIPPY_CDR_TYPE: 'complete', SIPPY_DISABLE_TLS_VERIFY: '  ' });
    expect(config.isSetInEnv('SIPPY_CDR_TYPE')).toBe(true);
    expect(config.isSetInEnv('SIPPY_DISABLE_TLS_VERIFY')).toBe(false); // blank = unset
    expect(config.isSetInEnv('SIPPY_RPC_URL')).toBe(false);
  });

  it('validates the settings encryption key and scrubs it and the secrets learnt later from logs', () => {
    expect(problems({ SETTINGS_ENCRYPTION_KEY: 'short' })).toEqual([
      expect.stringContaining('SETTINGS_ENCRYPTION_KEY must be at least 32 characters'),
    ]);
    const key = 'k'.repeat(40);
    const config = AppConfig.fromEnv({ SETTINGS_ENCRYPTION_KEY: key, SETTINGS_REFRESH_SECONDS: '3' });
    expect(config.settings).toEqual({ encryptionKey: key, refreshMs: 3000 });
    expect(config.secretValues()).toContain(key);
    config.runtimeSecrets.add('a-saved-password');
    config.runtimeSecrets.add('ab'); // too short to scrub
    expect(config.secretValues()).toEqual(expect.arrayContaining(['a-saved-password']));
    expect(config.secretValues()).not.toContain('ab');
  });

  it('names each bad variable and the rule, never the value', () => {
    const found = problems({
      PORT: 'eighty',
      SIPPY_RPC_URL: 'ftp://secret-host-value',
      SIPPY_SYNC_INTERVAL_SECONDS: '0',
      DATABASE_URL: 'mysql://u:hunter2@db/x',
      SIPPY_RPC_USER: 'only-user',
      SIPPY_TYPO_VARIABLE: '1',
    });
    const text = found.join('\n');
    for (const name of ['PORT', 'SIPPY_RPC_URL', 'SIPPY_SYNC_INTERVAL_SECONDS', 'DATABASE_URL', 'SIPPY_RPC_PASS', 'SIPPY_TYPO_VARIABLE']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('secret-host-value');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('eighty');
  });

  it('requires a session key in production and checks the auth variables', () => {
    const live = { SIPPY_RPC_URL: 'https://h/xmlapi/xmlapi', SIPPY_RPC_USER: 'u', SIPPY_RPC_PASS: 'p' };
    expect(problems({ ...live, NODE_ENV: 'production' })).toEqual([expect.stringContaining('AUTH_JWT_SECRET is required in production')]);
    const found = problems({
      AUTH_JWT_SECRET: 'short-secret-value',
      ADMIN_EMAIL: 'not-an-email',
      ADMIN_PASSWORD: 'shortpw1',
      AUTH_SESSION_HOURS: '0',
      SIPPY_TEST_ALLOWED_HOSTS: 'a b',
      TRUST_PROXY: 'everyone',
    });
    const text = found.join('\n');
    for (const name of [
      'AUTH_JWT_SECRET',
      'ADMIN_EMAIL',
      'ADMIN_PASSWORD',
      'AUTH_SESSION_HOURS',
      'SIPPY_TEST_ALLOWED_HOSTS',
      'TRUST_PROXY',
    ]) {
      expect(text).toContain(name);
    }
    for (const value of ['short-secret-value', 'shortpw1', 'not-an-email']) expect(text).not.toContain(value);
    const config = AppConfig.fromEnv({
      ...live,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'k'.repeat(40),
      ADMIN_EMAIL: 'Root@Example.com',
      ADMIN_PASSWORD: 'a-long-enough-password',
      SIPPY_TEST_ALLOWED_HOSTS: 'switch.example.net, 10.0.0.0/8',
      TRUST_PROXY: '1',
    });
    expect(config.auth).toMatchObject({ sessionHours: 12, loginRateLimit: 10, initialAdmin: { email: 'Root@Example.com' } });
    expect(config.sippy.testAllowedHosts).toEqual(['switch.example.net', '10.0.0.0/8']);
    expect(config.trustProxy).toBe(1);
    expect(JSON.stringify(config)).not.toContain('a-long-enough-password');
    expect(JSON.stringify(config)).not.toContain('k'.repeat(40));
  });

  it('keeps secrets out of JSON', () => {
    const config = AppConfig.fromEnv({ SIPPY_RPC_URL: 'https://h/xmlapi/xmlapi', SIPPY_RPC_USER: 'u', SIPPY_RPC_PASS: 'pa55word' });
    expect(JSON.stringify(config)).not.toContain('pa55word');
  });

  describe('single sign-on (OIDC_*)', () => {
    it('is off by default', () => {
      expect(AppConfig.fromEnv({}).oidc).toMatchObject({
        enabled: false,
        scopes: 'openid email profile',
        defaultRole: 'agent',
        autoCreateUsers: false,
        acceptBearerTokens: false,
      });
    });

    it('reads a Keycloak-style configuration', () => {
      const config = AppConfig.fromEnv({
        OIDC_ISSUER_URL: 'https://sso.example.com/realms/acme',
        OIDC_CLIENT_ID: 'velora',
        OIDC_CLIENT_SECRET: 'oidc-client-secret-value',
        OIDC_DISPLAY_NAME: 'Keycloak',
        OIDC_ROLES_CLAIM: 'realm_access.roles',
        OIDC_ADMIN_ROLES: 'velora-admin, it-ops',
        OIDC_AUTO_CREATE_USERS: 'true',
        OIDC_REDIRECT_URL: 'https://crm.example.com/api/auth/oidc/callback',
      });
      expect(config.oidc).toMatchObject({
        enabled: true,
        issuerUrl: 'https://sso.example.com/realms/acme',
        clientId: 'velora',
        displayName: 'Keycloak',
        rolesClaim: 'realm_access.roles',
        adminRoles: ['velora-admin', 'it-ops'],
        autoCreateUsers: true,
        redirectUrl: 'https://crm.example.com/api/auth/oidc/callback',
      });
      expect(JSON.stringify(config)).not.toContain('oidc-client-secret-value');
    });

    it('allows plain http only for a loopback issuer', () => {
      for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:9000/realms/test', 'http://[::1]:8080']) {
        expect(problems({ OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: 'c' })).toEqual([]);
      }
      expect(problems({ OIDC_ISSUER_URL: 'http://sso.example.com', OIDC_CLIENT_ID: 'c' })).toEqual([
        expect.stringContaining('OIDC_ISSUER_URL must use https'),
      ]);
      expect(problems({ OIDC_ISSUER_URL: 'http://10.1.2.3', OIDC_CLIENT_ID: 'c' })).toEqual([
        expect.stringContaining('OIDC_ISSUER_URL must use https'),
      ]);
      expect(problems({ OIDC_ISSUER_URL: 'http://127.0.0.1.evil.example', OIDC_CLIENT_ID: 'c' })).toEqual([
        expect.stringContaining('OIDC_ISSUER_URL must use https'),
      ]);
    });

    it('names each bad OIDC variable, never its value', () => {
      const text = problems({
        OIDC_ISSUER_URL: 'https://sso.example.com/?tenant=secret-tenant-value',
        OIDC_SCOPES: 'email profile',
        OIDC_DEFAULT_ROLE: 'root',
        OIDC_REDIRECT_URL: 'https://crm.example.com/elsewhere',
        OIDC_ADMIN_ROLES: 'admins',
        OIDC_TIMEOUT_MS: '5',
      }).join('\n');
      for (const expected of [
        'OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set',
        'OIDC_ISSUER_URL must be the bare issuer identifier',
        'OIDC_SCOPES must include openid',
        'OIDC_DEFAULT_ROLE',
        'OIDC_REDIRECT_URL must end in /api/auth/oidc/callback',
        'OIDC_ADMIN_ROLES needs OIDC_ROLES_CLAIM',
        'OIDC_TIMEOUT_MS',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('secret-tenant-value');
      expect(problems({ OIDC_ISSUER_URL: 'not a url', OIDC_CLIENT_ID: 'c' })).toEqual([
        expect.stringContaining('OIDC_ISSUER_URL must be an https URL'),
      ]);
    });

    it('refuses client settings without an issuer, and unknown OIDC_ variables', () => {
      expect(problems({ OIDC_CLIENT_ID: 'velora' })).toEqual([expect.stringContaining('OIDC_CLIENT_ID set but OIDC_ISSUER_URL is not')]);
      expect(problems({ OIDC_ISUER_URL: 'https://typo.example' })).toEqual([
        expect.stringContaining('OIDC_ISUER_URL is not a known variable'),
      ]);
    });

    it('requires an https redirect URL in production', () => {
      const live = {
        NODE_ENV: 'production',
        AUTH_JWT_SECRET: 'k'.repeat(40),
        SIPPY_RPC_URL: 'https://h/xmlapi/xmlapi',
        OIDC_ISSUER_URL: 'https://sso.example.com',
        OIDC_CLIENT_ID: 'c',
      };
      expect(problems({ ...live, OIDC_REDIRECT_URL: 'http://crm.example.com/api/auth/oidc/callback' })).toEqual([
        expect.stringContaining('OIDC_REDIRECT_URL must use https in production'),
      ]);
      expect(problems({ ...live, OIDC_REDIRECT_URL: 'https://crm.example.com/api/auth/oidc/callback' })).toEqual([]);
    });
  });

  describe('operations: metrics, shutdown, Sippy health strictness', () => {
    it('has nothing exposed by default, a 25 s drain and strict Sippy health', () => {
      const config = AppConfig.fromEnv({});
      expect(config.metrics).toEqual({ token: undefined, port: undefined });
      expect(config.shutdown.timeoutMs).toBe(25_000);
      expect(config.sippy.healthStrict).toBe(true);
    });

    it('reads METRICS_TOKEN, METRICS_PORT, SHUTDOWN_TIMEOUT_SECONDS and SIPPY_HEALTH_STRICT', () => {
      const config = AppConfig.fromEnv({
        METRICS_TOKEN: 'metrics-token-0123456789',
        METRICS_PORT: '9464',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
        SIPPY_HEALTH_STRICT: 'false',
      });
      expect(config.metrics).toEqual({ token: 'metrics-token-0123456789', port: 9464 });
      expect(config.shutdown.timeoutMs).toBe(5000);
      expect(config.sippy.healthStrict).toBe(false);
      expect(config.secretValues()).toContain('metrics-token-0123456789'); // scrubbed from log lines
    });

    it('refuses a short or spaced METRICS_TOKEN and a bad port without echoing the value', () => {
      const text = problems({ METRICS_TOKEN: 'short-tok', METRICS_PORT: '70000', SHUTDOWN_TIMEOUT_SECONDS: '-1' }).join('\n');
      expect(text).toContain('METRICS_TOKEN must be at least 16 characters');
      expect(text).toContain('METRICS_PORT');
      expect(text).toContain('SHUTDOWN_TIMEOUT_SECONDS');
      expect(text).not.toContain('short-tok');
      expect(problems({ METRICS_TOKEN: 'has a space in the token value' })).toEqual([
        expect.stringContaining('METRICS_TOKEN must be printable ASCII without spaces'),
      ]);
    });
  });

  describe('insights and the language model', () => {
    it('defaults to the built-in summary, Istanbul time and the documented thresholds', () => {
      const config = AppConfig.fromEnv({});
      expect(config.llm).toBeUndefined();
      expect(config.insights).toEqual({
        enabled: true,
        timeZone: 'Europe/Istanbul',
        intervalMs: 3_600_000,
        historyWeeks: 8,
        minHistoryWeeks: 3,
        thresholdWarn: 4,
        thresholdCrit: 8,
        minCalls: 20,
        newDestinationDays: 28,
        backfillHours: 24,
        settleHours: 2,
      });
    });

    it('reads an OpenAI-compatible endpoint; the key is a secret', () => {
      const config = AppConfig.fromEnv({
        LLM_BASE_URL: 'https://api.openai.com/v1',
        LLM_API_KEY: 'sk-test-key-0123456789',
        LLM_MODEL: 'gpt-4o-mini',
        LLM_TIMEOUT_MS: '20000',
        INSIGHTS_THRESHOLD_WARN: '3.5',
        INSIGHTS_TIME_ZONE: 'UTC',
      });
      expect(config.llm).toEqual({
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-test-key-0123456789',
        model: 'gpt-4o-mini',
        timeoutMs: 20_000,
        maxTokens: 700,
      });
      expect(config.insights).toMatchObject({ thresholdWarn: 3.5, timeZone: 'UTC' });
      expect(config.secretValues()).toContain('sk-test-key-0123456789');
      expect(JSON.stringify(config)).not.toContain('sk-test-key');
      // a local model over plain http without a key
      expect(AppConfig.fromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1:8b' }).llm?.apiKey).toBeUndefined();
    });

    it('names each bad LLM_* and INSIGHTS_* variable, never the key', () => {
      const text = problems({
        LLM_BASE_URL: 'http://llm.internal.example/v1',
        LLM_API_KEY: 'sk-secret-value-987654',
        INSIGHTS_TIME_ZONE: '+03:00',
        INSIGHTS_MIN_HISTORY_WEEKS: '10',
        INSIGHTS_HISTORY_WEEKS: '4',
        INSIGHTS_THRESHOLD_WARN: '9',
        INSIGHTS_THRESHOLD_CRIT: '5',
        INSIGHTS_MIN_CALLS: 'lots',
      }).join('\n');
      expect(text).toContain('LLM_MODEL is required when LLM_BASE_URL is set');
      expect(text).toContain('LLM_BASE_URL must use https when LLM_API_KEY is set');
      expect(text).toContain('INSIGHTS_TIME_ZONE must be an IANA time zone');
      expect(text).toContain('INSIGHTS_MIN_HISTORY_WEEKS must not be more than INSIGHTS_HISTORY_WEEKS');
      expect(text).toContain('INSIGHTS_THRESHOLD_CRIT must not be below INSIGHTS_THRESHOLD_WARN');
      expect(text).toContain('INSIGHTS_MIN_CALLS');
      expect(text).not.toContain('sk-secret-value');
      expect(problems({ LLM_API_KEY: 'sk-x-0123456789', LLM_MODEL: 'm' })).toEqual([
        expect.stringContaining('LLM_API_KEY, LLM_MODEL set but LLM_BASE_URL is not'),
      ]);
      expect(problems({ LLM_BASE_URL: 'https://user:pw@llm.example.com/v1', LLM_MODEL: 'm' })).toEqual([
        expect.stringContaining('without query, fragment or credentials'),
      ]);
    });
  });

  describe('reconciliation (RECONCILE_*)', () => {
    it('reconciles yesterday at 03:30 Istanbul time by default, at most 7 days per request', () => {
      expect(AppConfig.fromEnv({}).reconcile).toEqual({
        nightly: true,
        at: { hour: 3, minute: 30 },
        timeZone: 'Europe/Istanbul',
        maxRangeDays: 7,
      });
    });

    it('reads RECONCILE_NIGHTLY, RECONCILE_AT, RECONCILE_TIME_ZONE and RECONCILE_MAX_RANGE_DAYS', () => {
      const config = AppConfig.fromEnv({
        RECONCILE_NIGHTLY: 'false',
        RECONCILE_AT: '23:05',
        RECONCILE_TIME_ZONE: 'Asia/Kolkata',
        RECONCILE_MAX_RANGE_DAYS: '31',
      });
      expect(config.reconcile).toEqual({ nightly: false, at: { hour: 23, minute: 5 }, timeZone: 'Asia/Kolkata', maxRangeDays: 31 });
    });

    it.each([
      ['RECONCILE_AT', '3:30', 'RECONCILE_AT must be a time of day as HH:MM'],
      ['RECONCILE_AT', '24:00', 'RECONCILE_AT must be a time of day as HH:MM'],
      ['RECONCILE_TIME_ZONE', 'Mars/Olympus', 'RECONCILE_TIME_ZONE: must be an IANA time zone'],
      ['RECONCILE_TIME_ZONE', '+03:00', 'RECONCILE_TIME_ZONE: must be an IANA time zone'],
      ['RECONCILE_MAX_RANGE_DAYS', '93', 'RECONCILE_MAX_RANGE_DAYS'],
      ['RECONCILE_NIGHTLY', 'sometimes', 'RECONCILE_NIGHTLY'],
    ])('refuses %s=%s', (name, value, message) => {
      expect(problems({ [name]: value })).toEqual([expect.stringContaining(message)]);
    });
  });

  describe('source_change (GEOIP_DATABASE_PATH, DETECTION_SOURCE_*)', () => {
    it('has no GeoIP database by default, a 30-day baseline of at least 20 calls and no excluded country', () => {
      expect(AppConfig.fromEnv({}).detection).toMatchObject({
        geoipDatabasePath: null,
        sourceExcludedCountries: [],
        sourceBaselineDays: 30,
        sourceBaselineMinCalls: 20,
      });
    });

    it('reads the path, the excluded countries (upper-cased) and the baseline', () => {
      const config = AppConfig.fromEnv({
        GEOIP_DATABASE_PATH: '/geoip/GeoLite2-Country.mmdb',
        DETECTION_SOURCE_EXCLUDED_COUNTRIES: 'tr, DE,gb',
        DETECTION_SOURCE_BASELINE_DAYS: '14',
        DETECTION_SOURCE_BASELINE_MIN_CALLS: '5',
      });
      expect(config.detection).toMatchObject({
        geoipDatabasePath: '/geoip/GeoLite2-Country.mmdb',
        sourceExcludedCountries: ['TR', 'DE', 'GB'],
        sourceBaselineDays: 14,
        sourceBaselineMinCalls: 5,
      });
    });

    it.each([
      ['DETECTION_SOURCE_EXCLUDED_COUNTRIES', 'Turkey', 'DETECTION_SOURCE_EXCLUDED_COUNTRIES must be ISO country codes'],
      ['DETECTION_SOURCE_EXCLUDED_COUNTRIES', 'TR;DE', 'DETECTION_SOURCE_EXCLUDED_COUNTRIES must be ISO country codes'],
      ['DETECTION_SOURCE_BASELINE_DAYS', '0', 'DETECTION_SOURCE_BASELINE_DAYS'],
      ['DETECTION_SOURCE_BASELINE_MIN_CALLS', '2000000', 'DETECTION_SOURCE_BASELINE_MIN_CALLS must not be greater than 1000000'],
    ])('refuses %s=%s', (name, value, message) => {
      expect(problems({ [name]: value })).toEqual([expect.stringContaining(message)]);
    });
  });
});

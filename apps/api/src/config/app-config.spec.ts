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
  it('has working defaults: simulator mode, PGlite under ./data, sync every 15 s', () => {
    const config = AppConfig.fromEnv({});
    expect(config.sippy.mode).toBe('simulator');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: './data' });
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

  it('requires a switch in production and never starts the simulator there', () => {
    expect(problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toEqual([expect.stringContaining('SIPPY_RPC_URL is required in production')]);
    expect(AppConfig.fromEnv({ NODE_ENV: 'development', SIPPY_SIMULATOR: 'off' }).sippy.mode).toBe('unconfigured');
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
    const found = problems({ AUTH_JWT_SECRET: 'short-secret-value', ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'shortpw1', AUTH_SESSION_HOURS: '0', SIPPY_TEST_ALLOWED_HOSTS: 'a b', TRUST_PROXY: 'everyone' });
    const text = found.join('\n');
    for (const name of ['AUTH_JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'AUTH_SESSION_HOURS', 'SIPPY_TEST_ALLOWED_HOSTS', 'TRUST_PROXY']) {
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
});

import { FakeElevenLabsServer } from '../../simulator/elevenlabs-server';
import { ElevenLabsApiClient } from './elevenlabs-api.client';
import type { ElevenLabsApiError } from './elevenlabs.error';
import { loadedElevenLabsSdk } from './elevenlabs-sdk';

const KEY = 'sk_test_fedcba9876543210fedcba9876543210';

// the health probe runs every minute (EVENTS_INTEGRATION_CHECK_SECONDS): it must not load the SDK (~75 MB of RSS)
describe('ElevenLabsApiClient health probe (plain requests, no SDK)', () => {
  let fake: FakeElevenLabsServer;
  let client: ElevenLabsApiClient;

  beforeEach(async () => {
    fake = new FakeElevenLabsServer({ apiKey: KEY, characterCount: 2500, characterLimit: 10_000, tier: 'starter' });
    await fake.start();
    client = new ElevenLabsApiClient({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('reads the quota and the key is valid, without loading the SDK', async () => {
    const probe = await client.probe();
    expect(probe.quota).toMatchObject({ tier: 'starter', status: 'active', characterCount: 2500, characterLimit: 10_000 });
    expect(probe.quota?.nextResetAt).toBeInstanceOf(Date);
    expect(fake.requestLog.map((r) => r.path)).toEqual(['/v1/user/subscription']);
    expect(loadedElevenLabsSdk()).toBeUndefined();
  });

  it('falls back to /v1/models for a scoped key, still without the SDK', async () => {
    fake.inject({ kind: 'status', status: 401, body: { detail: { status: 'missing_permissions', message: 'missing the permission user_read' } } }, { path: /subscription/ });
    await expect(client.probe()).resolves.toMatchObject({ quota: null });
    expect(fake.requestLog.map((r) => r.path)).toEqual(['/v1/user/subscription', '/v1/models']);
    expect(loadedElevenLabsSdk()).toBeUndefined();
  });

  it('maps errors as the SDK path does: invalid key, rate limit with Retry-After, 5xx page, bad shape', async () => {
    const wrong = new ElevenLabsApiClient({ apiKey: 'sk_wrong_key_456', baseUrl: fake.url });
    const auth = (await wrong.probe().catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(auth).toMatchObject({ name: 'ElevenLabsApiError', kind: 'auth', httpStatus: 401, providerStatus: 'invalid_api_key' });
    expect(auth.message).not.toContain('sk_wrong_key_456');
    expect(auth.requestId).toMatch(/^[0-9a-f-]{36}$/);

    fake.inject({ kind: 'status', status: 429, body: { detail: { status: 'system_busy', message: 'busy' } }, headers: { 'retry-after': '7' } });
    await expect(client.probe()).rejects.toMatchObject({ kind: 'rate_limited', httpStatus: 429, providerStatus: 'system_busy', retryAfterSeconds: 7 });

    fake.inject({ kind: 'status', status: 502, body: '<html>Bad gateway</html>' });
    await expect(client.probe()).rejects.toMatchObject({ kind: 'http', httpStatus: 502, providerMessage: undefined });

    fake.inject({ kind: 'status', status: 200, body: { tier: 'creator' } });
    await expect(client.probe()).rejects.toMatchObject({ kind: 'protocol' });
    expect(loadedElevenLabsSdk()).toBeUndefined();
  });

  it('without a key the probe is a config error and sends nothing', async () => {
    const none = new ElevenLabsApiClient({ apiKey: '', baseUrl: fake.url });
    await expect(none.probe()).rejects.toMatchObject({ kind: 'config' });
    expect(fake.requestLog).toHaveLength(0);
  });
});

import { createServer, type Server } from 'node:http';
import { FakeElevenLabsServer } from '../../simulator/elevenlabs-server';
import { ElevenLabsApiClient } from './elevenlabs-api.client';
import type { ElevenLabsApiError } from './elevenlabs.error';
import { loadElevenLabsSdk } from './elevenlabs-sdk';

const KEY = 'sk_test_0123456789abcdef0123456789abcdef';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('ElevenLabsApiClient (official SDK) against the fake ElevenLabs server', () => {
  let fake: FakeElevenLabsServer;
  let client: ElevenLabsApiClient;

  // the SDK loads on the first call (seconds under Jest's module loader): once, outside the tests' timeouts
  beforeAll(() => loadElevenLabsSdk(), 60_000);

  beforeEach(async () => {
    fake = new FakeElevenLabsServer({ apiKey: KEY, characterCount: 1000, characterLimit: 10_000 });
    await fake.start();
    client = new ElevenLabsApiClient({ apiKey: KEY, baseUrl: `${fake.url}/`, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('lists voices through /v2/voices, following next_page_token', async () => {
    fake.voices = Array.from({ length: 230 }, (_, i) => ({ voice_id: `voice${i}`, name: `Voice ${i}`, category: 'premade' as const, labels: { gender: i % 2 ? 'male' : 'female' } }));
    const list = await client.listVoices();
    expect(list.voices).toHaveLength(230);
    expect(list.total_count).toBe(230);
    expect(list.truncated).toBe(false);
    expect(list.voices[3]).toEqual({ voice_id: 'voice3', name: 'Voice 3', category: 'premade', labels: { gender: 'male' }, preview_url: `${fake.url}/v1/voices/voice3/preview.mp3`, description: null });
    const preview = await fetch(list.voices[3].preview_url!); // public, like ElevenLabs' CDN: no key
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await preview.arrayBuffer()).readUInt16BE(0) & 0xffe0).toBe(0xffe0); // MPEG frame sync
    expect(fake.requestLog.filter((r) => r.path === '/v2/voices')).toHaveLength(3);
  });

  it('stops at maxVoices and says the list is truncated', async () => {
    fake.voices = Array.from({ length: 150 }, (_, i) => ({ voice_id: `v${i}`, name: `V${i}`, category: 'cloned' as const, labels: {} }));
    const small = new ElevenLabsApiClient({ apiKey: KEY, baseUrl: fake.url, maxVoices: 100 });
    const list = await small.listVoices();
    expect(list).toMatchObject({ total_count: 150, truncated: true });
    expect(list.voices).toHaveLength(100);
  });

  it('reads the quota from /v1/user/subscription (a plain request: the fake has the complete shape)', async () => {
    const probe = await client.probe();
    expect(probe.quota).toEqual({ tier: 'creator', status: 'active', characterCount: 1000, characterLimit: 10_000, nextResetAt: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1)) });
    expect(probe.quota!.nextResetAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('synthesizes MP3 over /stream: real frames, content type, request id and character cost', async () => {
    const result = await client.synthesize({ text: 'Merhaba, Velora santraline hoş geldiniz.', voiceId: '21m00Tcm4TlvDq8ikWAM', outputFormat: 'mp3_44100_128' });
    expect(result.contentType).toBe('audio/mpeg');
    expect(result.characterCost).toBe(40);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const audio = await readAll(result.audio);
    expect(audio.length % 417).toBe(0);
    expect(audio.length).toBeGreaterThan(4096);
    expect([audio[0], audio[1], audio[2], audio[3]]).toEqual([0xff, 0xfb, 0x90, 0xc0]);
    const call = fake.requestLog.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream', authenticated: true });
    expect(call.body).toEqual({ text: 'Merhaba, Velora santraline hoş geldiniz.', model_id: 'eleven_multilingual_v2' });
    expect(fake.characterCount).toBe(1040);
  });

  it('WAV goes through the non-stream endpoint (the SDK has no WAV on /stream)', async () => {
    const result = await client.synthesize({ text: 'Test', voiceId: '21m00Tcm4TlvDq8ikWAM', outputFormat: 'wav_8000', modelId: 'eleven_flash_v2_5' });
    const audio = await readAll(result.audio);
    expect(audio.toString('ascii', 0, 4)).toBe('RIFF');
    expect(result.contentType).toBe('audio/wav');
    expect(fake.requestLog.at(-1)!.path).toBe('/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM');
  });

  it('an invalid key → auth 401 invalid_api_key, and the key is not in the message', async () => {
    const wrong = new ElevenLabsApiClient({ apiKey: 'sk_wrong_key_123', baseUrl: fake.url });
    const error = (await wrong.listVoices().catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401, providerStatus: 'invalid_api_key', providerMessage: 'Invalid API key' });
    expect(error.message).not.toContain('sk_wrong_key_123');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps provider errors: quota (401), rate limit (429), unknown voice, validation (400/422), 5xx', async () => {
    const voice = '21m00Tcm4TlvDq8ikWAM';
    fake.exhaustQuota();
    const quota = (await client.synthesize({ text: 'hello', voiceId: voice, outputFormat: 'mp3_44100_128' }).catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(quota).toMatchObject({ kind: 'quota', httpStatus: 401, providerStatus: 'quota_exceeded' });
    expect(quota.providerMessage).toContain('exceeds your quota');
    fake.characterCount = 0;

    fake.rateLimit();
    await expect(client.synthesize({ text: 'hello', voiceId: voice, outputFormat: 'mp3_44100_128' })).rejects.toMatchObject({ kind: 'rate_limited', httpStatus: 429, providerStatus: 'too_many_concurrent_requests' });

    await expect(client.synthesize({ text: 'hello', voiceId: 'nope', outputFormat: 'mp3_44100_128' })).rejects.toMatchObject({ kind: 'not_found', providerStatus: 'voice_not_found' });
    await expect(client.synthesize({ text: 'x'.repeat(10_001), voiceId: voice, outputFormat: 'mp3_44100_128' })).rejects.toMatchObject({ kind: 'validation', httpStatus: 400, providerStatus: 'max_character_limit_exceeded' });
    await expect(client.synthesize({ text: 'hi', voiceId: voice, outputFormat: 'opus_48000_64' })).rejects.toMatchObject({ kind: 'validation', httpStatus: 422, providerMessage: 'query.output_format: the simulator cannot produce opus_48000_64' });

    fake.inject({ kind: 'status', status: 502, body: '<html>Bad gateway</html>' });
    await expect(client.listVoices()).rejects.toMatchObject({ kind: 'http', httpStatus: 502, providerMessage: undefined });
  });

  it('does not retry by default (maxRetries 0): one 429 is one request', async () => {
    fake.rateLimit({ times: 'always' });
    const before = fake.requestLog.length;
    await expect(client.listVoices()).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(fake.requestLog.length - before).toBe(1);
  });

  it('a hanging server → timeout (the SDK "timeout" message bug is caught)', async () => {
    const slow = new ElevenLabsApiClient({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 100 });
    fake.inject({ kind: 'hang' });
    // the fake never answers: only the client's deadline can end this
    await expect(slow.probe()).rejects.toMatchObject({ name: 'ElevenLabsApiError', kind: 'timeout' });
  });

  it('refused connection → unreachable, dropped connection → unreachable', async () => {
    fake.inject({ kind: 'drop' });
    await expect(client.probe()).rejects.toMatchObject({ kind: 'unreachable' });
    await fake.down();
    const error = (await client.probe().catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a scoped key without user_read: health falls back to /v1/models (quota unknown)', async () => {
    fake.inject({ kind: 'status', status: 401, body: { detail: { status: 'missing_permissions', message: 'The API key you used is missing the permission user_read to execute this operation.' } } }, { path: /subscription/ });
    await expect(client.probe()).resolves.toMatchObject({ quota: null });
  });

  it('an unexpected response shape → protocol', async () => {
    const bogus: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ voices: [{ name: 'no id' }] }));
    });
    await new Promise<void>((resolve) => bogus.listen(0, '127.0.0.1', resolve));
    const port = (bogus.address() as { port: number }).port;
    const c = new ElevenLabsApiClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}` });
    await expect(c.listVoices()).rejects.toMatchObject({ kind: 'protocol' });
    await new Promise((resolve) => bogus.close(resolve));
  });

  it('without a key every call is a config error (the SDK is never built)', async () => {
    const none = new ElevenLabsApiClient({ apiKey: '', baseUrl: fake.url });
    expect(none.configured).toBe(false);
    const error = (await none.listVoices().catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(error).toMatchObject({ kind: 'config' });
    expect(error.message).toContain('ELEVENLABS_API_KEY');
    expect(fake.requestLog).toHaveLength(0);
  });

  it('never puts the key in error messages, even when a proxy echoes it', async () => {
    fake.inject({ kind: 'status', status: 500, body: { detail: { status: 'oops', message: `bad key ${KEY}` } } });
    const error = (await client.listVoices().catch((e: unknown) => e)) as ElevenLabsApiError;
    expect(error.message).not.toContain(KEY);
    expect(error.providerMessage).toBe('bad key ***');
  });
});

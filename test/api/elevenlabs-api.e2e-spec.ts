import { FakeElevenLabsServer } from '@velora/integrations/simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { cleanUp } from '../support/clean-up';

const KEY = 'sk_e2e_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const VOICE = '21m00Tcm4TlvDq8ikWAM';

describe('ElevenLabs API (official SDK against the fake over real HTTP)', () => {
  let fake: FakeElevenLabsServer;
  let api: TestApp;

  beforeAll(async () => {
    fake = new FakeElevenLabsServer({ apiKey: KEY, characterCount: 500, characterLimit: 20_000 });
    fake.models.push({ model_id: 'eleven_short', name: 'Short test model', max_characters_request_free_user: 4000, max_characters_request_subscribed_user: 4000 });
    await fake.start();
    api = await startTestApp({
      DATABASE_URL: 'memory://',
      ELEVENLABS_API_KEY: KEY,
      ELEVENLABS_BASE_URL: fake.url,
      ELEVENLABS_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
    await cleanUp(fake, (r) => r.stop());
  });

  afterEach(() => {
    fake.clearFaults();
    fake.characterCount = 500;
  });

  it('GET /api/elevenlabs/health is 200 up with tier and character quota', async () => {
    const res = await api.http().get('/api/elevenlabs/health').expect(200);
    expect(res.body.details.elevenlabs).toMatchObject({
      status: 'up',
      mode: 'live',
      endpoint: fake.url,
      tier: 'creator',
      character_count: 500,
      character_limit: 20_000,
      characters_remaining: 19_500,
    });
    expect(res.body.details.elevenlabs.latency_ms).toEqual(expect.any(Number));
  });

  it.each([
    ['auth', () => { fake.setApiKey('sk_other'); }],
    ['quota', () => { fake.exhaustQuota(); }],
    ['rate_limited', () => { fake.rateLimit(); }],
    ['timeout', () => { fake.inject({ kind: 'hang' }); }],
  ] as const)('health is 503 with cause %s', async (cause, inject) => {
    inject();
    try {
      const res = await api.http().get('/api/elevenlabs/health').expect(503);
      expect(res.body.details.elevenlabs).toMatchObject({ status: 'down', cause });
    } finally {
      fake.setApiKey(KEY);
    }
  });

  it('GET /api/elevenlabs/voices returns id, name, category, labels and preview URL', async () => {
    const res = await api.http().get('/api/elevenlabs/voices').expect(200);
    expect(res.body.total_count).toBe(4);
    expect(res.body.voices[0]).toEqual({
      voice_id: VOICE,
      name: 'Rachel',
      category: 'premade',
      labels: { accent: 'american', gender: 'female', age: 'young', use_case: 'narration' },
      preview_url: `${fake.url}/v1/voices/${VOICE}/preview.mp3`,
      description: 'Calm and clear',
    });
    const filtered = await api.http().get('/api/elevenlabs/voices?search=velora').expect(200);
    expect(filtered.body.voices.map((v: { name: string }) => v.name)).toEqual(['Velora IVR (Türkçe)']);
  });

  it('POST /api/elevenlabs/tts streams MP3 (chunked, no Content-Length) with the cost header', async () => {
    const text = 'Merhaba! Çağrınız kısa süre içinde bir temsilciye aktarılacaktır.';
    const res = await api
      .http()
      .post('/api/elevenlabs/tts')
      .send({ text, voice_id: VOICE })
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => { done(null, Buffer.concat(chunks)); });
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['x-character-cost']).toBe(String(text.length));
    expect(res.headers['content-disposition']).toBe('inline; filename="velora-tts.mp3"');
    const audio = res.body as Buffer;
    expect(audio.length).toBeGreaterThan(0);
    expect(audio.length % 417).toBe(0);
    expect(audio.subarray(0, 4)).toEqual(Buffer.from([0xff, 0xfb, 0x90, 0xc0]));
    expect(fake.requestLog.at(-1)).toMatchObject({ path: `/v1/text-to-speech/${VOICE}/stream`, body: { text, model_id: 'eleven_multilingual_v2' } });
  });

  it('POST /api/elevenlabs/tts honours output_format and model_id (μ-law for the PBX)', async () => {
    const res = await api.http().post('/api/elevenlabs/tts').send({ text: 'Hoş geldiniz', voice_id: VOICE, output_format: 'ulaw_8000', model_id: 'eleven_flash_v2_5' }).buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => { done(null, Buffer.concat(chunks)); });
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('audio/basic');
    expect((res.body as Buffer).every((b) => b === 0xff)).toBe(true);
  });

  it.each([
    [{ voice_id: VOICE }, 'text'],
    [{ text: '', voice_id: VOICE }, 'text'],
    [{ text: '   ', voice_id: VOICE }, 'blank'],
    [{ text: 'x'.repeat(5001), voice_id: VOICE }, 'at most 5000'],
    [{ text: 'hi', voice_id: '../v1/user' }, 'voice_id'],
    [{ text: 'hi', voice_id: VOICE, output_format: 'mp3_1_1' }, 'output_format'],
    [{ text: 'hi', voice_id: VOICE, model_id: 'Bad Model' }, 'model_id'],
    [{ text: 'hi', voice_id: VOICE, extra: 1 }, 'extra'],
  ])('rejects %j with 400 naming %s (no upstream call)', async (body, field) => {
    const before = fake.requestLog.length;
    const res = await api.http().post('/api/elevenlabs/tts').send(body).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(field);
    expect(fake.requestLog.length).toBe(before);
  });

  it('upstream 401/400/404/422/429 become 502/400/400/400/429 with the provider reason', async () => {
    fake.exhaustQuota();
    const quota = await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: VOICE }).expect(502);
    expect(quota.body).toMatchObject({ upstream: 'elevenlabs', cause: 'quota', provider_status: 'quota_exceeded' });
    expect(quota.body.message).toContain('quota');
    fake.characterCount = 0;

    const unknownVoice = await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: 'NoSuchVoice1' }).expect(400);
    expect(unknownVoice.body).toMatchObject({ cause: 'not_found', provider_status: 'voice_not_found' });

    const unknownModel = await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: VOICE, model_id: 'eleven_tiny' }).expect(400);
    expect(unknownModel.body).toMatchObject({ cause: 'not_found', provider_status: 'model_not_found' });

    const tooLong = await api.http().post('/api/elevenlabs/tts').send({ text: 'x'.repeat(4500), voice_id: VOICE, model_id: 'eleven_short' }).expect(400);
    expect(tooLong.body).toMatchObject({ cause: 'validation', provider_status: 'max_character_limit_exceeded' });

    const opus = await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: VOICE, output_format: 'opus_48000_64' }).expect(400);
    expect(opus.body.provider_message).toContain('output_format');

    fake.rateLimit();
    const limited = await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: VOICE }).expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toMatchObject({ cause: 'rate_limited', provider_status: 'too_many_concurrent_requests' });

    fake.setApiKey('sk_rotated');
    try {
      const auth = await api.http().get('/api/elevenlabs/voices').expect(502);
      expect(auth.body).toMatchObject({ cause: 'auth', provider_status: 'invalid_api_key' });
      expect(auth.body.message).toContain('ELEVENLABS_API_KEY');
    } finally {
      fake.setApiKey(KEY);
    }

    fake.inject({ kind: 'hang' });
    const timeout = await api.http().get('/api/elevenlabs/voices').expect(504);
    expect(timeout.body).toMatchObject({ cause: 'timeout' });
  });

  it('never shows the API key in responses or logs', async () => {
    fake.setApiKey('sk_rotated');
    const responses = [
      await api.http().get('/api/elevenlabs/health'),
      await api.http().get('/api/elevenlabs/voices'),
      await api.http().post('/api/elevenlabs/tts').send({ text: 'hello', voice_id: VOICE }),
    ];
    fake.setApiKey(KEY);
    for (const r of responses) expect(JSON.stringify(r.body) + JSON.stringify(r.headers)).not.toContain(KEY);
    expect(api.logs.text()).not.toContain(KEY);
    expect(api.logs.text()).toContain('upstream ElevenLabs error (auth)');
  });

  it('is documented in Swagger with the audio content types', async () => {
    const doc = await api.http().get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/elevenlabs/health', '/api/elevenlabs/voices', '/api/elevenlabs/tts']));
    expect(Object.keys(doc.body.paths['/api/elevenlabs/tts'].post.responses['200'].content)).toContain('audio/mpeg');
  });
});

describe('ElevenLabs API when not configured', () => {
  it('health 503 not_configured; voices and tts 503 naming ELEVENLABS_API_KEY', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://' });
    try {
      const res = await api.http().get('/api/elevenlabs/health').expect(503);
      expect(res.body.details.elevenlabs).toMatchObject({ status: 'down', mode: 'unconfigured', cause: 'not_configured' });
      const voices = await api.http().get('/api/elevenlabs/voices').expect(503);
      expect(voices.body.message).toContain('ELEVENLABS_API_KEY');
      await api.http().post('/api/elevenlabs/tts').send({ text: 'hi', voice_id: VOICE }).expect(503);
    } finally {
      await api.close();
    }
  });

  it('demo mode starts the fake in-process: health up in simulator mode, TTS returns audio', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://', ELEVENLABS_SIMULATOR: 'auto' });
    try {
      const res = await api.http().get('/api/elevenlabs/health').expect(200);
      expect(res.body.details.elevenlabs).toMatchObject({ status: 'up', mode: 'simulator', tier: 'creator' });
      const tts = await api.http().post('/api/elevenlabs/tts').send({ text: 'Demo', voice_id: VOICE }).expect(200);
      expect(tts.headers['content-type']).toBe('audio/mpeg');
    } finally {
      await api.close();
    }
  });
});

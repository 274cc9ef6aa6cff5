import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FakeServer } from '@velora/simulator-kit';
import { mp3Silence, silenceFor } from './audio';

export interface FakeVoice {
  voice_id: string;
  name: string;
  category: 'premade' | 'cloned' | 'generated' | 'professional';
  labels: Record<string, string>;
  description?: string;
}

export interface FakeModel {
  model_id: string;
  name: string;
  max_characters_request_free_user: number;
  max_characters_request_subscribed_user: number;
}

export interface FakeElevenLabsOptions {
  host?: string;
  port?: number;
  /** The only accepted `xi-api-key`. Default 'sk_simulator_key'. */
  apiKey?: string;
  voices?: FakeVoice[];
  models?: FakeModel[];
  tier?: string;
  characterLimit?: number;
  characterCount?: number;
  /** Audio length per character of text, ms (so longer text gives longer audio). Default 60. */
  msPerCharacter?: number;
  /** Bytes per chunk on /stream (the rest of the audio follows in further chunks). Default 4096. */
  streamChunkBytes?: number;
}

export type FakeElevenLabsFault =
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'slow'; ms: number };

export interface FakeElevenLabsLogEntry {
  method: string;
  path: string;
  status: number;
  /** Whether a (correct) xi-api-key was sent; the key itself is never recorded. */
  authenticated: boolean;
  body: unknown;
}

const DEFAULT_KEY = 'sk_simulator_key';

export const DEMO_VOICES: FakeVoice[] = [
  { voice_id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', category: 'premade', labels: { accent: 'american', gender: 'female', age: 'young', use_case: 'narration' }, description: 'Calm and clear' },
  { voice_id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', category: 'premade', labels: { accent: 'american', gender: 'male', age: 'middle_aged', use_case: 'narration' } },
  { voice_id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', category: 'premade', labels: { accent: 'american', gender: 'female', age: 'young', use_case: 'news' } },
  { voice_id: 'VeloraIvrTr0000000001', name: 'Velora IVR (Türkçe)', category: 'cloned', labels: { accent: 'turkish', gender: 'female', use_case: 'ivr' }, description: 'Santral karşılama anonsu' },
];

export const DEMO_MODELS: FakeModel[] = [
  { model_id: 'eleven_multilingual_v2', name: 'Eleven Multilingual v2', max_characters_request_free_user: 10000, max_characters_request_subscribed_user: 10000 },
  { model_id: 'eleven_flash_v2_5', name: 'Eleven Flash v2.5', max_characters_request_free_user: 40000, max_characters_request_subscribed_user: 40000 },
  { model_id: 'eleven_turbo_v2_5', name: 'Eleven Turbo v2.5', max_characters_request_free_user: 40000, max_characters_request_subscribed_user: 40000 },
];

/**
 * A fake ElevenLabs HTTP API that the official SDK accepts: the same paths, `xi-api-key` auth and
 * complete response shapes (`/v2/voices`, `/v1/voices`, `/v1/models`, `/v1/user/subscription`,
 * `POST /v1/text-to-speech/{voice_id}[/stream]` with real silent audio), the provider's error bodies
 * (401 invalid_api_key / quota_exceeded, 400, 422 FastAPI-style, 429) and fault injection.
 */
export class FakeElevenLabsServer extends FakeServer<Server> {
  private readonly options: FakeElevenLabsOptions;
  private readonly faults: Array<{ fault: FakeElevenLabsFault; path: RegExp | null; times: number | 'always' }> = [];
  private readonly log: FakeElevenLabsLogEntry[] = [];
  private apiKey: string;
  voices: FakeVoice[];
  models: FakeModel[];
  characterCount: number;
  characterLimit: number;

  constructor(options: FakeElevenLabsOptions = {}) {
    super('FakeElevenLabsServer', { host: options.host, port: options.port });
    this.options = { ...options };
    this.apiKey = options.apiKey ?? DEFAULT_KEY;
    this.voices = [...(options.voices ?? DEMO_VOICES)];
    this.models = [...(options.models ?? DEMO_MODELS)];
    this.characterCount = options.characterCount ?? 1234;
    this.characterLimit = options.characterLimit ?? 100_000;
  }

  /** `http://127.0.0.1:PORT` — pass as the SDK's baseUrl / ELEVENLABS_BASE_URL. */
  get url(): string {
    return this.lifecycle.origin('http');
  }

  get key(): string {
    return this.apiKey;
  }

  get requestLog(): readonly FakeElevenLabsLogEntry[] {
    return this.log;
  }

  setApiKey(key: string): void {
    this.apiKey = key;
  }

  /** Next matching request(s) get this fault. `path` filters by a regular expression on the path. */
  inject(fault: FakeElevenLabsFault, options: { path?: RegExp; times?: number | 'always' } = {}): void {
    this.faults.push({ fault, path: options.path ?? null, times: options.times ?? 1 });
  }

  /** 429 too_many_concurrent_requests with the concurrency headers, like the real API. */
  rateLimit(options: { path?: RegExp; times?: number | 'always' } = {}): void {
    this.inject(
      {
        kind: 'status',
        status: 429,
        body: { detail: { status: 'too_many_concurrent_requests', message: 'You have too many concurrent requests. Your current plan allows 2.' } },
        headers: { 'current-concurrent-requests': '3', 'maximum-concurrent-requests': '2' },
      },
      options,
    );
  }

  /** Uses the whole quota: the next TTS requests get 401 quota_exceeded. */
  exhaustQuota(): void {
    this.characterCount = this.characterLimit;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  protected override createServer(): Server {
    return createServer((req, res) => {
      void this.handle(req, res).catch(() => {
        if (!res.headersSent) this.json(res, 500, { detail: { status: 'internal_error', message: 'simulator error' } });
        else res.destroy();
      });
    });
  }

  private takeFault(path: string): FakeElevenLabsFault | null {
    for (const entry of this.faults) {
      if (entry.times === 0 || (entry.path && !entry.path.test(path))) continue;
      if (entry.times !== 'always') entry.times -= 1;
      return entry.fault;
    }
    return null;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': randomUUID(), ...headers });
    res.end(text);
    return status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const raw = await readBody(req, 1024 * 1024);
    const entry: FakeElevenLabsLogEntry = { method, path, status: 0, authenticated: req.headers['xi-api-key'] === this.apiKey, body: null };
    this.log.push(entry);
    if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);

    const fault = this.takeFault(path);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await this.lifecycle.delay(fault.ms);
    if (res.destroyed) return;
    if (fault?.kind === 'status') {
      entry.status = typeof fault.body === 'string'
        ? (res.writeHead(fault.status, { 'content-type': 'text/html', ...fault.headers }), res.end(fault.body), fault.status)
        : this.json(res, fault.status, fault.body, fault.headers);
      return;
    }

    // Voice previews are public files on ElevenLabs' CDN (no key), so the page can play them directly.
    const preview = /^\/v1\/voices\/([^/]+)\/preview\.mp3$/.exec(path);
    if (method === 'GET' && preview && this.voices.some((v) => v.voice_id === decodeURIComponent(preview[1]))) {
      const audio = mp3Silence({ sampleRate: 44_100, bitrateKbps: 128 }, 1500);
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': audio.length, 'access-control-allow-origin': '*' });
      res.end(audio);
      entry.status = 200;
      return;
    }

    const key = req.headers['xi-api-key'];
    if (typeof key !== 'string' || key === '') {
      entry.status = this.json(res, 401, { detail: { status: 'needs_authorization', message: 'Neither authorization header nor xi-api-key received, please provide one.' } });
      return;
    }
    if (key !== this.apiKey) {
      entry.status = this.json(res, 401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
      return;
    }

    if (method === 'GET' && path === '/v2/voices') {
      entry.status = this.listVoicesV2(res, url);
      return;
    }
    if (method === 'GET' && path === '/v1/voices') {
      entry.status = this.json(res, 200, { voices: this.voices.map((v) => this.voiceJson(v)) });
      return;
    }
    if (method === 'GET' && path === '/v1/models') {
      entry.status = this.json(res, 200, this.models.map((m) => modelJson(m)));
      return;
    }
    if (method === 'GET' && path === '/v1/user/subscription') {
      entry.status = this.json(res, 200, this.subscriptionJson());
      return;
    }
    const tts = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(path);
    if (tts && method === 'POST') {
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        entry.status = this.json(res, 422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
        return;
      }
      entry.body = body;
      entry.status = await this.textToSpeech(res, decodeURIComponent(tts[1]), tts.at(2) !== undefined, url, body); // group 2: /stream
      return;
    }
    entry.status = this.json(res, 404, { detail: 'Not Found' });
  }

  private listVoicesV2(res: ServerResponse, url: URL): number {
    const pageSize = Number(url.searchParams.get('page_size') ?? '10');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return this.json(res, 422, { detail: [{ loc: ['query', 'page_size'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' }] });
    }
    const search = (url.searchParams.get('search') ?? '').toLowerCase();
    const matching = this.voices.filter((v) => !search || v.name.toLowerCase().includes(search));
    const offset = Number(url.searchParams.get('next_page_token') ?? '0') || 0;
    const page = matching.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < matching.length;
    return this.json(res, 200, {
      voices: page.map((v) => this.voiceJson(v)),
      has_more: hasMore,
      total_count: matching.length,
      ...(hasMore ? { next_page_token: String(offset + pageSize) } : {}),
    });
  }

  private voiceJson(v: FakeVoice): Record<string, unknown> {
    return {
      voice_id: v.voice_id,
      name: v.name,
      samples: null,
      category: v.category,
      fine_tuning: null,
      labels: v.labels,
      description: v.description ?? null,
      preview_url: `${this.url}/v1/voices/${v.voice_id}/preview.mp3`,
      available_for_tiers: [],
      settings: { stability: 0.5, similarity_boost: 0.75, style: 0, use_speaker_boost: true, speed: 1 },
      sharing: null,
      high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_flash_v2_5'],
      verified_languages: [],
      safety_control: null,
      voice_verification: null,
      permission_on_resource: null,
      is_owner: v.category !== 'premade',
      is_legacy: false,
      is_mixed: false,
      created_at_unix: 1_700_000_000,
    };
  }

  private subscriptionJson(): Record<string, unknown> {
    return {
      tier: this.options.tier ?? 'creator',
      character_count: this.characterCount,
      character_limit: this.characterLimit,
      max_character_limit_extension: 0,
      max_credit_limit_extension: 0,
      can_extend_character_limit: true,
      allowed_to_extend_character_limit: false,
      // the first day of next month (UTC), like a monthly plan
      next_character_count_reset_unix: Math.floor(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1) / 1000),
      voice_slots_used: 1,
      professional_voice_slots_used: 0,
      professional_voice_slots_used_in_workspace: 0,
      voice_limit: 30,
      max_voice_add_edits: 230,
      voice_add_edit_counter: 3,
      professional_voice_limit: 1,
      can_extend_voice_limit: false,
      can_use_instant_voice_cloning: true,
      can_use_professional_voice_cloning: true,
      currency: 'usd',
      current_overage: { amount: '0', currency: 'usd' },
      status: 'active',
      billing_period: 'monthly_period',
      character_refresh_period: 'monthly_period',
      open_invoices: [],
      has_open_invoices: false,
    };
  }

  private async textToSpeech(res: ServerResponse, voiceId: string, stream: boolean, url: URL, body: unknown): Promise<number> {
    const format = url.searchParams.get('output_format') ?? 'mp3_44100_128';
    const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    const text = record?.['text'];
    if (typeof text !== 'string') {
      return this.json(res, 422, { detail: [{ loc: ['body', 'text'], msg: 'Field required', type: 'missing' }] });
    }
    const modelId = typeof record?.['model_id'] === 'string' ? (record['model_id']) : 'eleven_multilingual_v2';
    const model = this.models.find((m) => m.model_id === modelId);
    if (!model) {
      return this.json(res, 400, { detail: { status: 'model_not_found', message: `A model with model ID ${modelId} does not exist.` } });
    }
    if (!this.voices.some((v) => v.voice_id === voiceId)) {
      return this.json(res, 404, { detail: { status: 'voice_not_found', message: `A voice with voice_id ${voiceId} does not exist.` } });
    }
    if (text.trim() === '') {
      return this.json(res, 400, { detail: { status: 'invalid_text', message: 'Text must not be empty.' } });
    }
    if (text.length > model.max_characters_request_subscribed_user) {
      return this.json(res, 400, {
        detail: { status: 'max_character_limit_exceeded', message: `Text is ${text.length} characters; the limit for ${modelId} is ${model.max_characters_request_subscribed_user}.` },
      });
    }
    if (this.characterCount + text.length > this.characterLimit) {
      return this.json(res, 401, {
        detail: { status: 'quota_exceeded', message: `This request exceeds your quota of ${this.characterLimit}. You have ${Math.max(0, this.characterLimit - this.characterCount)} credits remaining, while ${text.length} credits are required for this request.` },
      });
    }
    const audio = silenceFor(format, text.length * (this.options.msPerCharacter ?? 60));
    if (!audio) {
      return this.json(res, 422, { detail: [{ loc: ['query', 'output_format'], msg: `the simulator cannot produce ${format}`, type: 'enum' }] });
    }
    this.characterCount += text.length;
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(format),
      'request-id': randomUUID(),
      'character-cost': String(text.length),
      'history-item-id': randomUUID().replace(/-/g, '').slice(0, 20),
    };
    if (!stream) {
      res.writeHead(200, { ...headers, 'content-length': String(audio.length) });
      res.end(audio);
      return 200;
    }
    res.writeHead(200, { ...headers, 'transfer-encoding': 'chunked' });
    const chunk = this.options.streamChunkBytes ?? 4096;
    for (let offset = 0; offset < audio.length; offset += chunk) {
      if (res.destroyed) return 200;
      res.write(audio.subarray(offset, offset + chunk));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    res.end();
    return 200;
  }
}

function modelJson(m: FakeModel): Record<string, unknown> {
  return {
    model_id: m.model_id,
    name: m.name,
    can_be_finetuned: true,
    can_do_text_to_speech: true,
    can_do_voice_conversion: false,
    can_use_style: true,
    can_use_speaker_boost: true,
    serves_pro_voices: false,
    token_cost_factor: 1,
    description: m.name,
    requires_alpha_access: false,
    max_characters_request_free_user: m.max_characters_request_free_user,
    max_characters_request_subscribed_user: m.max_characters_request_subscribed_user,
    maximum_text_length_per_request: m.max_characters_request_subscribed_user,
    languages: [{ language_id: 'en', name: 'English' }, { language_id: 'tr', name: 'Turkish' }],
    model_rates: { character_cost_multiplier: 1 },
    concurrency_group: 'standard',
  };
}

function contentTypeOf(format: string): string {
  if (format.startsWith('mp3_')) return 'audio/mpeg';
  if (format.startsWith('wav_')) return 'audio/wav';
  if (format.startsWith('pcm_')) return 'audio/pcm';
  if (format.startsWith('ulaw_')) return 'audio/basic';
  if (format.startsWith('alaw_')) return 'audio/alaw';
  return 'application/octet-stream';
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { resolve(Buffer.concat(chunks)); });
    req.on('error', reject);
  });
}

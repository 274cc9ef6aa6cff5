import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { httpErrorToElevenLabsApiError, toElevenLabsApiError } from './elevenlabs-error.mapper';
import { ElevenLabsApiError } from './elevenlabs.error';
import { loadElevenLabsSdk } from './elevenlabs-sdk';
import {
  ELEVENLABS_DEFAULT_BASE_URL,
  ELEVENLABS_DEFAULT_MODEL_ID,
  type ElevenLabsClientOptions,
} from './elevenlabs-client.options';
import type {
  ElevenLabsProbeResult,
  ElevenLabsQuota,
  ElevenLabsVoice,
  ElevenLabsVoiceList,
  SynthesizeRequest,
  SynthesizeResult,
} from './elevenlabs.models';
import { contentTypeFor, type ElevenLabsOutputFormat } from './output-formats';

type StreamFormat = Exclude<ElevenLabsOutputFormat, `wav_${string}`>;

function isStreamableFormat(format: ElevenLabsOutputFormat): format is StreamFormat {
  return !format.startsWith('wav_');
}

const PAGE_SIZE = 100;

/**
 * Thin typed wrapper around the official SDK: explicit timeout and retries, snake_case results for
 * our API, every failure as ElevenLabsApiError (status codes mapped here, incl. 401 quota_exceeded and
 * the SDK's `"timeout"` message). The SDK is loaded and its client built on the first call, and only when
 * a key is configured (its constructor throws without one).
 */
export class ElevenLabsApiClient {
  private sdk: Promise<ElevenLabsClient> | undefined;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxVoices: number;
  readonly defaultModelId: string;

  constructor(private readonly options: ElevenLabsClientOptions) {
    this.baseUrl = (options.baseUrl ?? ELEVENLABS_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxVoices = options.maxVoices ?? 500;
    this.defaultModelId = options.defaultModelId ?? ELEVENLABS_DEFAULT_MODEL_ID;
  }

  get configured(): boolean {
    return Boolean(this.options.apiKey);
  }

  /** Base URL without credentials, for logs and health details. */
  get endpoint(): string {
    return this.baseUrl;
  }

  /** The account's voices (GET /v2/voices, 100 per page, up to maxVoices). */
  async listVoices(options: { search?: string; signal?: AbortSignal } = {}): Promise<ElevenLabsVoiceList> {
    const sdk = await this.client();
    const voices: ElevenLabsVoice[] = [];
    let token: string | undefined;
    let total: number;
    let hasMore: boolean;
    try {
      do {
        const page = await sdk.voices.search(
          { pageSize: PAGE_SIZE, nextPageToken: token, search: options.search, includeTotalCount: true },
          { abortSignal: options.signal },
        );
        voices.push(...page.voices.map(toVoice));
        total = page.totalCount;
        hasMore = page.hasMore;
        token = page.nextPageToken ?? undefined;
      } while (hasMore && token && voices.length < this.maxVoices);
    } catch (error) {
      throw this.wrap(error);
    }
    return {
      voices: voices.slice(0, this.maxVoices),
      total_count: Math.max(total, voices.length),
      truncated: hasMore || voices.length > this.maxVoices,
    };
  }

  /**
   * GET /v1/user/subscription: tier and character quota. A plain request, not the SDK: the health probe calls this
   * every minute, and loading the SDK for it cost ~30 MB of heap and ~75 MB of RSS in every install with ElevenLabs
   * configured (or simulated) that never synthesizes (docs/benchmarks.md, "Memory of the running API").
   */
  async quota(signal?: AbortSignal): Promise<ElevenLabsQuota> {
    const s = await this.getJson('/v1/user/subscription', signal);
    const count = isRecord(s) ? s['character_count'] : undefined;
    const limit = isRecord(s) ? s['character_limit'] : undefined;
    const tier = isRecord(s) ? s['tier'] : undefined;
    const status = isRecord(s) ? s['status'] : undefined;
    if (!isRecord(s) || typeof tier !== 'string' || typeof status !== 'string' || typeof count !== 'number' || typeof limit !== 'number') {
      throw new ElevenLabsApiError('protocol', 'ElevenLabs answered with an unexpected shape: /v1/user/subscription');
    }
    const reset = s['next_character_count_reset_unix'];
    return {
      tier,
      status,
      characterCount: count,
      characterLimit: limit,
      nextResetAt: typeof reset === 'number' ? new Date(reset * 1000) : null,
    };
  }

  /**
   * Health: the subscription call proves the key and tells the quota. A scoped key without
   * `user_read` gets 401 missing_permissions there: then GET /v1/models proves the key instead.
   * Plain requests like quota(): the SDK loads only for voices and speech.
   */
  async probe(): Promise<ElevenLabsProbeResult> {
    const started = performance.now();
    try {
      const quota = await this.quota();
      return { latencyMs: Math.round(performance.now() - started), quota };
    } catch (error) {
      if (!(error instanceof ElevenLabsApiError && error.kind === 'auth' && /permission/i.test(error.providerStatus ?? ''))) {
        throw error;
      }
    }
    const models = await this.getJson('/v1/models');
    if (!Array.isArray(models)) throw new ElevenLabsApiError('protocol', 'ElevenLabs answered with an unexpected shape: /v1/models');
    return { latencyMs: Math.round(performance.now() - started), quota: null };
  }

  /**
   * POST /v1/text-to-speech/{voice_id}/stream. Resolves once the provider has answered 200 (so upstream
   * errors reject here, before anything is sent to our caller) with the audio as a web stream.
   */
  async synthesize(request: SynthesizeRequest, signal?: AbortSignal): Promise<SynthesizeResult> {
    const sdk = await this.client();
    try {
      const body = { text: request.text, modelId: request.modelId ?? this.defaultModelId };
      const format = request.outputFormat;
      // /stream sends the first bytes sooner but has no WAV formats; the plain endpoint is streamed to us too.
      const call = isStreamableFormat(format)
        ? sdk.textToSpeech.stream(request.voiceId, { ...body, outputFormat: format }, { abortSignal: signal })
        : sdk.textToSpeech.convert(request.voiceId, { ...body, outputFormat: format }, { abortSignal: signal });
      const { data, rawResponse } = await call.withRawResponse();
      const upstreamType = rawResponse.headers.get('content-type') ?? '';
      const cost = Number(rawResponse.headers.get('character-cost'));
      return {
        audio: data,
        contentType: /^audio\//i.test(upstreamType) ? upstreamType : contentTypeFor(request.outputFormat),
        requestId: rawResponse.headers.get('request-id') ?? rawResponse.headers.get('x-request-id'),
        characterCost: Number.isFinite(cost) && rawResponse.headers.has('character-cost') ? cost : null,
      };
    } catch (error) {
      throw this.wrap(error);
    }
  }

  /** A GET with the key, the client's deadline and the SDK's error mapping; resolves with the parsed JSON body. */
  private async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const apiKey = this.options.apiKey;
    if (!apiKey) throw notConfigured();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const doFetch = this.options.fetch ?? fetch;
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await doFetch(`${this.baseUrl}${path}`, {
        headers: { 'xi-api-key': apiKey, accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      ({ status, headers } = response);
      text = await response.text();
    } catch (error) {
      throw this.wrap(error);
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: an error page (mapped below by status) or, with 2xx, a protocol error
      if (status >= 200 && status < 300) throw new ElevenLabsApiError('protocol', `ElevenLabs answered with an unexpected shape: ${path} is not JSON`);
    }
    if (status < 200 || status >= 300) throw httpErrorToElevenLabsApiError(status, body, headers, apiKey);
    return body;
  }

  private client(): Promise<ElevenLabsClient> {
    const apiKey = this.options.apiKey;
    if (!apiKey) return Promise.reject(notConfigured());
    this.sdk ??= loadElevenLabsSdk().then(
      ({ ElevenLabsClient: Client }) =>
        new Client({
          apiKey,
          baseUrl: this.baseUrl,
          timeoutInSeconds: this.timeoutMs / 1000,
          maxRetries: this.options.maxRetries ?? 0,
          fetch: this.options.fetch,
        }),
    );
    return this.sdk;
  }

  private wrap(error: unknown): ElevenLabsApiError {
    return toElevenLabsApiError(error, this.options.apiKey);
  }
}

function notConfigured(): ElevenLabsApiError {
  return new ElevenLabsApiError('config', 'ElevenLabs is not configured: enter an API key in Integrations (web app) or set ELEVENLABS_API_KEY');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toVoice(v: ElevenLabs.Voice): ElevenLabsVoice {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(v.labels ?? {})) {
    if (typeof value === 'string') labels[key] = value;
  }
  return {
    voice_id: v.voiceId,
    name: v.name ?? v.voiceId,
    category: v.category ?? null,
    labels,
    preview_url: v.previewUrl ?? null,
    description: v.description ?? null,
  };
}

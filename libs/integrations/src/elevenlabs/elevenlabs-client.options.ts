/** Options of the ElevenLabs wrapper. The library never reads process.env (the SDK would: we always pass apiKey). */
export interface ElevenLabsClientOptions {
  /** `xi-api-key`. Empty = not configured: every call throws ElevenLabsApiError('config'). */
  apiKey?: string;
  /** Default https://api.elevenlabs.io (regional or a local fake also work). */
  baseUrl?: string;
  /** Per request (until the response headers arrive), ms. Default 30000 (the SDK default would be 240 s). */
  timeoutMs?: number;
  /** SDK retries on 408/429/5xx with backoff. Default 0: a health check and a user waiting must fail fast. */
  maxRetries?: number;
  /** Model used when a TTS request names none. Default eleven_multilingual_v2. */
  defaultModelId?: string;
  /** Most voices listVoices() gathers (100 per page). Default 500. */
  maxVoices?: number;
  /** Injected fetch (tests, proxies). Default global fetch. */
  fetch?: typeof fetch;
}

export const ELEVENLABS_DEFAULT_BASE_URL = 'https://api.elevenlabs.io';
export const ELEVENLABS_DEFAULT_MODEL_ID = 'eleven_multilingual_v2';

import type { ElevenLabsOutputFormat } from './output-formats';

export interface ElevenLabsVoice {
  voice_id: string;
  name: string;
  category: string | null;
  labels: Record<string, string>;
  preview_url: string | null;
  description: string | null;
}

export interface ElevenLabsVoiceList {
  voices: ElevenLabsVoice[];
  total_count: number;
  /** True when more voices exist than were gathered (maxVoices). */
  truncated: boolean;
}

export interface ElevenLabsQuota {
  tier: string;
  status: string | null;
  characterCount: number;
  characterLimit: number;
  /** When the counter resets, when the API says. */
  nextResetAt: Date | null;
}

export interface ElevenLabsProbeResult {
  latencyMs: number;
  /** Null when the key may not read the subscription (scoped key without user_read). */
  quota: ElevenLabsQuota | null;
}

export interface SynthesizeRequest {
  text: string;
  voiceId: string;
  modelId?: string;
  outputFormat: ElevenLabsOutputFormat;
}

export interface SynthesizeResult {
  /** The audio as the provider streams it; read it once. */
  audio: ReadableStream<Uint8Array>;
  contentType: string;
  requestId: string | null;
  /** `character-cost` header, when present. */
  characterCost: number | null;
}

import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import type { ResolvedSettings } from '../settings/integration-settings.service';

/** What is stored for ElevenLabs: the API key, encrypted. A type, not an interface: it is a Record. */
export type ElevenLabsSavedSettings = {
  api_key: string;
};

export const ELEVENLABS_SECRET_FIELDS = ['api_key'] as const;

/** The ElevenLabs account in force. The base URL is ELEVENLABS_BASE_URL (or the default) in every case. */
export interface ElevenLabsResolvedSettings extends ResolvedSettings {
  apiKey: string | null;
  baseUrl: string;
}

/** env > saved > default (the fake API outside production, else not configured). */
export function resolveElevenLabsSettings(config: AppConfig, saved: ElevenLabsSavedSettings | null): ElevenLabsResolvedSettings {
  const env = config.elevenlabs;
  let resolved: Omit<ElevenLabsResolvedSettings, 'fingerprint'>;
  if (env.apiKey !== undefined) {
    resolved = { source: 'env', mode: 'live', apiKey: env.apiKey, baseUrl: env.baseUrl };
  } else if (saved !== null) {
    resolved = { source: 'saved', mode: 'live', apiKey: saved.api_key, baseUrl: env.baseUrl };
  } else {
    resolved = { source: 'default', mode: env.mode, apiKey: null, baseUrl: env.baseUrl };
  }
  const fingerprint = resolved.mode === 'simulator' ? 'simulator' : createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
  return { ...resolved, fingerprint };
}

export function parseElevenLabsSaved(values: Record<string, unknown>): ElevenLabsSavedSettings | null {
  const apiKey = values['api_key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? { api_key: apiKey } : null;
}

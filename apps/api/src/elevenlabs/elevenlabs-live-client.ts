import type { ElevenLabsApiClient } from '@velora/integrations';
import { LiveClient, type LiveClientInfo } from '../settings/live-client';

export interface ElevenLabsLinkInfo extends LiveClientInfo {
  /** Base URL (no key). */
  endpoint: string;
}

/** The ElevenLabs client in force; ElevenLabsSettingsService swaps it when the API key changes (no restart). */
export class ElevenLabsLiveClient extends LiveClient<ElevenLabsApiClient, ElevenLabsLinkInfo> {}

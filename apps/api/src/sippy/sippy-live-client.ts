import type { IntegrationConnectionMode } from '@velora/contracts';
import type { SippyClient } from '@velora/sippy';
import { LiveClient, type LiveClientInfo } from '../settings/live-client';

export interface SippyLinkInfo extends LiveClientInfo {
  /** The switch URL without credentials (logs, health). */
  endpoint: string;
  /** Identity of the CDR source without secrets: the sync starts a fresh cursor when it changes. */
  sourceKey: string;
}

/**
 * The SippySoft client in force: the CDR sync, the health probe and the controllers read it at each call and
 * follow `changes`; SippySettingsService swaps it when the settings change (no restart).
 */
export class SippyLiveClient extends LiveClient<SippyClient, SippyLinkInfo> {
  /** A client that nothing replaces (unit tests, benchmarks): ready at once. */
  static of(client: SippyClient, mode: IntegrationConnectionMode = 'live', sourceKey = 'fixed'): SippyLiveClient {
    return new SippyLiveClient(client, { mode, endpoint: client.endpoint, sourceKey }, { ready: true });
  }
}

import type { IssabelClient } from '@velora/integrations';
import { LiveClient, type LiveClientInfo } from '../settings/live-client';

export interface IssabelLinkInfo extends LiveClientInfo {
  /** `tcp://host:port` or `tls://host:port` (no credentials). */
  endpoint: string;
}

/** The Issabel AMI client in force; IssabelSettingsService swaps it when the settings change (no restart). */
export class IssabelLiveClient extends LiveClient<IssabelClient, IssabelLinkInfo> {}

/** What the health probe learned from the PBX. */
export interface IssabelProbeResult {
  /** Wall time of the whole check (connect → Logoff), ms. */
  latencyMs: number;
  /** AMI protocol version from the greeting (`Asterisk Call Manager/5.0.2`). */
  amiVersion: string;
  /** From CoreSettings; null when the user may not read it. */
  asteriskVersion: string | null;
  /** From CoreStatus; null when the user may not read it. */
  currentCalls: number | null;
  processedCalls: number | null;
  /** `CoreStartupDate CoreStartupTime` as the PBX reports it (its local time). */
  startupTime: string | null;
  reloadTime: string | null;
  /** Actions the user could not run (e.g. CoreStatus without `system`/`reporting`). */
  denied: string[];
}

export interface IssabelChannel {
  channel: string;
  state: string;
  caller_id_num: string | null;
  caller_id_name: string | null;
  connected_line_num: string | null;
  context: string | null;
  exten: string | null;
  application: string | null;
  duration_seconds: number | null;
  bridge_id: string | null;
  linked_id: string | null;
}

export type IssabelPeerTechnology = 'sip' | 'pjsip';

export interface IssabelPeer {
  name: string;
  technology: IssabelPeerTechnology;
  /** SIPpeers `Status` (OK (12 ms), UNREACHABLE, UNKNOWN, Unmonitored) or PJSIP `DeviceState`. */
  state: string;
  online: boolean;
  /** Registered address (chan_sip only), null when not registered. */
  address: string | null;
}

export interface IssabelPeerSummary {
  technology: IssabelPeerTechnology;
  total: number;
  online: number;
  offline: number;
}

export type IssabelSectionAvailability = 'ok' | 'permission_denied' | 'not_available';

export interface IssabelStatus {
  checkedAt: Date;
  latencyMs: number;
  /** Number of channels (call legs) up right now; null when CoreShowChannels is not allowed. */
  activeChannels: number | null;
  /** Distinct calls (channels grouped by Linkedid); null when unknown. */
  activeCalls: number | null;
  channels: IssabelChannel[];
  channelsAvailability: IssabelSectionAvailability;
  /** One entry per channel driver that answered (chan_sip and/or PJSIP). */
  peerSummaries: IssabelPeerSummary[];
  peers: IssabelPeer[];
  peersAvailability: IssabelSectionAvailability;
  /** True when channels or peers lists were cut at maxListItems. */
  truncated: boolean;
}

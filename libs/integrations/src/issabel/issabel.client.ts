import { AmiConnection, errorFor, isSuccess, type AmiConnectionOptions } from './ami.connection';
import { isPermissionDenied, isUnknownCommand, parseAmiDuration, type AmiPacket } from './ami-codec';
import { AmiError } from './ami.error';
import type { IssabelClientOptions } from './issabel-client.options';
import type {
  IssabelChannel,
  IssabelPeer,
  IssabelPeerSummary,
  IssabelProbeResult,
  IssabelSectionAvailability,
  IssabelStatus,
} from './issabel.models';

export type AmiConnector = (options: AmiConnectionOptions) => Promise<AmiConnection>;

const DEFAULT_PORT = 5038;
const DEFAULT_TIMEOUT_MS = 5000;
/** Logoff is a courtesy: it never gets more than this. */
const LOGOFF_BUDGET_MS = 500;

/**
 * Issabel PBX client over the Asterisk Manager Interface. Every call is a short-lived session
 * (connect, Login, actions, Logoff) under one hard deadline — the right shape for a health check
 * and an on-demand status, and it never holds an AMI slot. Plain TypeScript; every failure is an AmiError.
 */
export class IssabelClient {
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly maxListItems: number;

  constructor(
    private readonly options: IssabelClientOptions,
    private readonly connector: AmiConnector = (o) => AmiConnection.open(o),
  ) {
    this.port = options.port ?? DEFAULT_PORT;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxListItems = options.maxListItems ?? 500;
  }

  /** `host:port` and the transport, for logs and health details (no credentials). */
  get endpoint(): string {
    return `${this.options.tls?.enabled ? 'tls' : 'tcp'}://${this.options.host}:${this.port}`;
  }

  /** Health: Login, Ping, CoreSettings (version), CoreStatus (calls), Logoff. Denied optional actions are listed, not fatal. */
  probe(): Promise<IssabelProbeResult> {
    return this.session(async (connection, remaining, started) => {
      const ping = await connection.action('Ping', {}, remaining());
      if (!isSuccess(ping)) throw errorFor('Ping', ping);
      const denied: string[] = [];
      const settings = await this.optional(connection, 'CoreSettings', remaining, denied);
      const status = await this.optional(connection, 'CoreStatus', remaining, denied);
      return {
        latencyMs: 0,
        amiVersion: connection.amiVersion,
        asteriskVersion: settings?.['asteriskversion'] ?? null,
        currentCalls: toInt(status?.['corecurrentcalls']),
        processedCalls: toInt(status?.['coreprocessedcalls']),
        startupTime: joinDateTime(status?.['corestartupdate'], status?.['corestartuptime']),
        reloadTime: joinDateTime(status?.['corereloaddate'], status?.['corereloadtime']),
        denied,
        startedAt: started,
      };
    }).then(({ startedAt, ...result }) => ({ ...result, latencyMs: Math.round(performance.now() - startedAt) }));
  }

  /** CRM state: active channels (CoreShowChannels) and SIP/PJSIP endpoints, each section degrading on its own. */
  status(now: () => Date = () => new Date()): Promise<IssabelStatus> {
    return this.session(async (connection, remaining, started) => {
      let channels: IssabelChannel[] = [];
      let activeChannels: number | null = null;
      let activeCalls: number | null = null;
      let channelsAvailability: IssabelSectionAvailability = 'ok';
      let truncated = false;
      try {
        const list = await connection.listAction('CoreShowChannels', {}, remaining());
        const all = list.events.filter((e) => (e['event'] ?? '').toLowerCase() === 'coreshowchannel').map(toChannel);
        activeChannels = all.length;
        activeCalls = new Set(all.map((c) => c.linked_id ?? c.channel)).size;
        truncated ||= all.length > this.maxListItems;
        channels = all.slice(0, this.maxListItems);
      } catch (error) {
        channelsAvailability = sectionFailure(error);
      }

      const peerSummaries: IssabelPeerSummary[] = [];
      let peers: IssabelPeer[] = [];
      const outcomes: IssabelSectionAvailability[] = [];
      for (const [technology, action, eventName] of [
        ['sip', 'SIPpeers', 'peerentry'],
        ['pjsip', 'PJSIPShowEndpoints', 'endpointlist'],
      ] as const) {
        try {
          const list = await connection.listAction(action, {}, remaining());
          const found = list.events
            .filter((e) => (e['event'] ?? '').toLowerCase() === eventName)
            .map((e) => (technology === 'sip' ? toSipPeer(e) : toPjsipPeer(e)));
          const online = found.filter((p) => p.online).length;
          peerSummaries.push({ technology, total: found.length, online, offline: found.length - online });
          peers = peers.concat(found);
          outcomes.push('ok');
        } catch (error) {
          outcomes.push(sectionFailure(error));
        }
      }
      truncated ||= peers.length > this.maxListItems;
      const peersAvailability: IssabelSectionAvailability = outcomes.includes('ok')
        ? 'ok'
        : outcomes.includes('permission_denied')
          ? 'permission_denied'
          : 'not_available';
      return {
        checkedAt: now(),
        latencyMs: Math.round(performance.now() - started),
        activeChannels,
        activeCalls,
        channels,
        channelsAvailability,
        peerSummaries,
        peers: peers.slice(0, this.maxListItems),
        peersAvailability,
        truncated,
      };
    });
  }

  /**
   * Runs `work` inside connect → Login → … → Logoff under one deadline. `remaining()` is the time
   * left for the next step; running out is AmiError('timeout').
   */
  async session<T>(work: (connection: AmiConnection, remaining: () => number, startedAt: number) => Promise<T>): Promise<T> {
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    const remaining = (): number => {
      const left = Math.floor(deadline - performance.now());
      if (left <= 0) throw new AmiError('timeout', `the PBX at ${this.endpoint} did not finish within ${this.timeoutMs} ms`);
      return left;
    };
    const connection = await this.connector({
      host: this.options.host,
      port: this.port,
      timeoutMs: this.timeoutMs,
      tls: this.options.tls?.enabled ? this.options.tls : undefined,
    });
    try {
      await connection.login(this.options.username, this.options.secret, remaining());
      const result = await work(connection, remaining, started);
      await connection.logoff(Math.min(LOGOFF_BUDGET_MS, Math.max(1, deadline - performance.now())));
      return result;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  private async optional(connection: AmiConnection, action: string, remaining: () => number, denied: string[]): Promise<AmiPacket | null> {
    const response = await connection.action(action, {}, remaining());
    if (isSuccess(response)) return response;
    if (isPermissionDenied(response['message']) || isUnknownCommand(response['message'])) {
      denied.push(action);
      return null;
    }
    throw errorFor(action, response);
  }
}

function sectionFailure(error: unknown): IssabelSectionAvailability {
  if (error instanceof AmiError && error.kind === 'permission') return 'permission_denied';
  if (error instanceof AmiError && error.kind === 'protocol' && isUnknownCommand(error.amiMessage)) return 'not_available';
  throw error;
}

function toInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

function joinDateTime(date: string | undefined, time: string | undefined): string | null {
  return date && time ? `${date} ${time}` : null;
}

function nonEmpty(value: string | undefined): string | null {
  const v = value?.trim();
  return v && v !== '<unknown>' && v !== '(null)' ? v : null;
}

function toChannel(e: AmiPacket): IssabelChannel {
  return {
    channel: e['channel'] ?? '',
    state: e['channelstatedesc'] ?? e['channelstate'] ?? 'Unknown',
    caller_id_num: nonEmpty(e['calleridnum']),
    caller_id_name: nonEmpty(e['calleridname']),
    connected_line_num: nonEmpty(e['connectedlinenum']),
    context: nonEmpty(e['context']),
    exten: nonEmpty(e['exten']),
    application: nonEmpty(e['application']),
    duration_seconds: parseAmiDuration(e['duration']),
    bridge_id: nonEmpty(e['bridgeid']),
    linked_id: nonEmpty(e['linkedid']),
  };
}

/** chan_sip PeerEntry: online when qualify says OK/LAGGED, or unmonitored but registered (has an address). */
function toSipPeer(e: AmiPacket): IssabelPeer {
  const state = e['status'] ?? 'UNKNOWN';
  const ip = nonEmpty(e['ipaddress']);
  const address = ip && ip !== '-none-' ? (e['ipport'] && e['ipport'] !== '0' ? `${ip}:${e['ipport']}` : ip) : null;
  const online = /^(OK|LAGGED)/i.test(state) || (/^unmonitored/i.test(state) && address !== null);
  return { name: e['objectname'] ?? '', technology: 'sip', state, online, address };
}

/** PJSIP EndpointList: online unless the device state is Unavailable/Invalid/Unknown. */
function toPjsipPeer(e: AmiPacket): IssabelPeer {
  const state = e['devicestate'] ?? 'Unknown';
  const online = !/^(unavailable|invalid|unknown)$/i.test(state.trim());
  return { name: e['objectname'] ?? '', technology: 'pjsip', state, online, address: null };
}

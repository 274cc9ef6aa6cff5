import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { FakeServer } from '@velora/simulator-kit';
import { AmiParser, type AmiPacket } from '../src/issabel/ami-codec';

export interface FakeAmiChannel {
  channel: string;
  state?: string;
  callerIdNum?: string;
  callerIdName?: string;
  connectedLineNum?: string;
  context?: string;
  exten?: string;
  application?: string;
  durationSeconds?: number;
  bridgeId?: string;
  linkedId?: string;
}

export interface FakeSipPeer {
  name: string;
  /** e.g. 'OK (12 ms)', 'UNREACHABLE', 'UNKNOWN', 'Unmonitored'. */
  status: string;
  ip?: string;
  port?: number;
}

export interface FakePjsipEndpoint {
  name: string;
  /** 'Not in use', 'In use', 'Unavailable', … */
  deviceState: string;
}

export interface FakeAmiServerOptions {
  host?: string;
  port?: number;
  username?: string;
  secret?: string;
  /** Greeting version. Default '5.0.2' (Asterisk 16, Issabel 5). */
  amiVersion?: string;
  /** CoreSettings AsteriskVersion. Default '16.30.1'. */
  asteriskVersion?: string;
  /** Which channel driver answers: chan_sip (SIPpeers), PJSIP (PJSIPShowEndpoints) or both. Default 'sip'. */
  channelDriver?: 'sip' | 'pjsip' | 'both';
  /** Actions that answer "Permission denied" for this user (like a manager.conf user without system/reporting). */
  deniedActions?: readonly string[];
  /** Real Asterisk sleeps 1 s before "Authentication failed". Default 1000; tests pass a few ms. */
  authFailDelayMs?: number;
  /** TLS with this key/cert (AMI `tlsenable=yes`). */
  tls?: { key: string; cert: string };
  channels?: FakeAmiChannel[];
  sipPeers?: FakeSipPeer[];
  pjsipEndpoints?: FakePjsipEndpoint[];
  processedCalls?: number;
}

/** Where a fault strikes: before the greeting, on Login, or on a given action (after login). */
export type AmiFaultPoint = 'greeting' | 'login' | { action: string };

export interface AmiServerLogEntry {
  at: number;
  action: string;
  /** Username of Login attempts; secrets are never recorded. */
  username?: string;
  response: string;
}

const DEFAULT_SECRET = 'simulator-ami-secret';

export const DEMO_CHANNELS: FakeAmiChannel[] = [
  { channel: 'SIP/101-00000012', state: 'Up', callerIdNum: '101', callerIdName: 'Ayşe Yılmaz', connectedLineNum: '902123334455', context: 'from-internal', exten: '902123334455', application: 'Dial', durationSeconds: 74, bridgeId: 'b1', linkedId: '1764000000.18' },
  { channel: 'SIP/trunk-00000013', state: 'Up', callerIdNum: '902123334455', connectedLineNum: '101', context: 'from-trunk', exten: '', application: 'AppDial', durationSeconds: 74, bridgeId: 'b1', linkedId: '1764000000.18' },
  { channel: 'SIP/104-00000014', state: 'Ringing', callerIdNum: '104', callerIdName: 'Mehmet Demir', context: 'from-internal', exten: '200', application: 'Queue', durationSeconds: 6, linkedId: '1764000090.20' },
];

export const DEMO_SIP_PEERS: FakeSipPeer[] = [
  { name: '101', status: 'OK (12 ms)', ip: '10.0.0.101', port: 5060 },
  { name: '102', status: 'OK (9 ms)', ip: '10.0.0.102', port: 5060 },
  { name: '103', status: 'UNREACHABLE', ip: '10.0.0.103', port: 5060 },
  { name: '104', status: 'OK (15 ms)', ip: '10.0.0.104', port: 5060 },
  { name: '105', status: 'UNKNOWN' },
  { name: 'trunk', status: 'OK (31 ms)', ip: '198.51.100.7', port: 5060 },
];

export const DEMO_PJSIP_ENDPOINTS: FakePjsipEndpoint[] = [
  { name: '201', deviceState: 'Not in use' },
  { name: '202', deviceState: 'In use' },
  { name: '203', deviceState: 'Unavailable' },
];

interface Session {
  socket: Socket;
  parser: AmiParser;
  authenticated: boolean;
}

/**
 * A fake Asterisk Manager Interface on a real TCP (or TLS) socket with AMI framing: greeting,
 * Login/Logoff/Ping/CoreSettings/CoreStatus/CoreShowChannels/SIPpeers/PJSIPShowEndpoints, list
 * actions with EventList start/Complete, "Permission denied" before login and for denied actions,
 * and failure injection (refuse logins, hang, drop, down/up). For tests and the API's demo mode.
 */
export class FakeAmiServer extends FakeServer {
  private readonly options: FakeAmiServerOptions;
  private readonly faults: Array<{ kind: 'hang' | 'drop'; at: AmiFaultPoint; times: number | 'always' }> = [];
  private refuseLoginsLeft: number | 'always' = 0;
  private secret: string;
  private uptimeStart = Date.now();
  private readonly log: AmiServerLogEntry[] = [];
  channels: FakeAmiChannel[];
  sipPeers: FakeSipPeer[];
  pjsipEndpoints: FakePjsipEndpoint[];

  constructor(options: FakeAmiServerOptions = {}) {
    super('FakeAmiServer', { host: options.host, port: options.port });
    this.options = { ...options };
    this.secret = options.secret ?? DEFAULT_SECRET;
    this.channels = [...(options.channels ?? DEMO_CHANNELS)];
    this.sipPeers = [...(options.sipPeers ?? DEMO_SIP_PEERS)];
    this.pjsipEndpoints = [...(options.pjsipEndpoints ?? DEMO_PJSIP_ENDPOINTS)];
  }

  get username(): string {
    return this.options.username ?? 'velora';
  }

  get hostname(): string {
    return this.lifecycle.host;
  }

  /** Actions received, oldest first (no secrets). */
  get requestLog(): readonly AmiServerLogEntry[] {
    return this.log;
  }

  setCredentials(username: string, secret: string): void {
    this.options.username = username;
    this.secret = secret;
  }

  /** Valid logins are answered "Authentication failed" (then the socket closes, like Asterisk). */
  refuseLogins(times: number | 'always' = 'always'): void {
    this.refuseLoginsLeft = times;
  }

  /** Stop answering at that point (the socket stays open). */
  hang(at: AmiFaultPoint, times: number | 'always' = 'always'): void {
    this.faults.push({ kind: 'hang', at, times });
  }

  /** Close the connection at that point without answering. */
  drop(at: AmiFaultPoint, times: number | 'always' = 'always'): void {
    this.faults.push({ kind: 'drop', at, times });
  }

  /** Removes every injected fault and login refusal. */
  clearFaults(): void {
    this.faults.length = 0;
    this.refuseLoginsLeft = 0;
  }

  /** Plain TCP, or TLS with the given key/cert (AMI `tlsenable=yes`). */
  protected override createServer(): Server {
    const onConnection = (socket: Socket): void => { this.accept(socket); };
    const tls = this.options.tls;
    return tls ? createTlsServer({ key: tls.key, cert: tls.cert }, onConnection) : createServer(onConnection);
  }

  /** `point`: 'greeting', 'login' or an action name. */
  private takeFault(point: string): 'hang' | 'drop' | null {
    for (const fault of this.faults) {
      const matches =
        typeof fault.at === 'string' ? fault.at === point : fault.at.action.toLowerCase() === point.toLowerCase();
      if (!matches || fault.times === 0) continue;
      if (fault.times !== 'always') fault.times -= 1;
      return fault.kind;
    }
    return null;
  }

  private accept(socket: Socket): void {
    const session: Session = { socket, parser: new AmiParser({ expectGreeting: false }), authenticated: false };
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    const fault = this.takeFault('greeting');
    if (fault === 'drop') {
      socket.destroy();
      return;
    }
    if (fault === 'hang') return;
    socket.write(`Asterisk Call Manager/${this.options.amiVersion ?? '5.0.2'}\r\n`);
    socket.on('data', (chunk: string) => {
      let packets: AmiPacket[];
      try {
        packets = session.parser.push(chunk).packets;
      } catch {
        socket.destroy();
        return;
      }
      for (const packet of packets) this.handle(session, packet);
    });
  }

  private write(session: Session, lines: Record<string, string | number | undefined>): void {
    if (session.socket.destroyed) return;
    let out = '';
    for (const [key, value] of Object.entries(lines)) {
      if (value !== undefined) out += `${key}: ${value}\r\n`;
    }
    session.socket.write(`${out}\r\n`);
  }

  private handle(session: Session, packet: AmiPacket): void {
    const action = packet['action'] ?? '';
    const id = packet['actionid'];
    const lower = action.toLowerCase();
    const entry: AmiServerLogEntry = { at: Date.now(), action, response: '' };
    this.log.push(entry);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
    const respond = (lines: Record<string, string | number | undefined>): void => {
      entry.response = String(lines['Response'] ?? lines['Event'] ?? '');
      this.write(session, { ...lines, ActionID: id });
    };

    if (lower === 'login') {
      entry.username = packet['username'];
      const fault = this.takeFault('login');
      if (fault === 'hang') return;
      if (fault === 'drop') return void session.socket.destroy();
      const refused = this.refuseLoginsLeft === 'always' || this.refuseLoginsLeft > 0;
      const ok = !refused && packet['username'] === this.username && packet['secret'] === this.secret;
      if (!ok) {
        if (typeof this.refuseLoginsLeft === 'number' && this.refuseLoginsLeft > 0) this.refuseLoginsLeft -= 1;
        this.lifecycle.later(this.options.authFailDelayMs ?? 1000, () => {
          respond({ Response: 'Error', Message: 'Authentication failed' });
          session.socket.end();
        });
        return;
      }
      session.authenticated = true;
      respond({ Response: 'Success', Message: 'Authentication accepted' });
      if ((packet['events'] ?? 'on').toLowerCase() !== 'off') {
        this.write(session, { Event: 'FullyBooted', Privilege: 'system,all', Uptime: this.uptime(), LastReload: this.uptime(), Status: 'Fully Booted' });
      }
      return;
    }
    if (lower === 'logoff') {
      respond({ Response: 'Goodbye', Message: 'Thanks for all the fish.' });
      session.socket.end();
      return;
    }
    if (lower === 'challenge') {
      respond({ Response: 'Success', Challenge: '840415273' });
      return;
    }
    if (!session.authenticated) {
      respond({ Response: 'Error', Message: 'Permission denied' });
      return;
    }
    const fault = this.takeFault(action);
    if (fault === 'hang') return;
    if (fault === 'drop') return void session.socket.destroy();
    if ((this.options.deniedActions ?? []).some((a) => a.toLowerCase() === lower)) {
      respond({ Response: 'Error', Message: 'Permission denied' });
      return;
    }
    const driver = this.options.channelDriver ?? 'sip';
    switch (lower) {
      case 'ping':
        { respond({ Response: 'Success', Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) }); return; }
      case 'coresettings':
        { respond({
          Response: 'Success',
          AMIversion: this.options.amiVersion ?? '5.0.2',
          AsteriskVersion: this.options.asteriskVersion ?? '16.30.1',
          SystemName: '',
          CoreMaxCalls: 0,
          CoreMaxLoadAvg: '0.000000',
          CoreRunUser: 'asterisk',
          CoreRunGroup: 'asterisk',
          CoreMaxFilehandles: 0,
          CoreRealTimeEnabled: 'No',
          CoreCDRenabled: 'Yes',
          CoreHTTPenabled: 'No',
        }); return; }
      case 'corestatus': {
        const started = new Date(this.uptimeStart);
        respond({
          Response: 'Success',
          CoreStartupDate: started.toISOString().slice(0, 10),
          CoreStartupTime: started.toISOString().slice(11, 19),
          CoreReloadDate: started.toISOString().slice(0, 10),
          CoreReloadTime: started.toISOString().slice(11, 19),
          CoreCurrentCalls: new Set(this.channels.map((c) => c.linkedId ?? c.channel)).size,
          CoreProcessedCalls: this.options.processedCalls ?? 1287,
        }); return;
      }
      case 'coreshowchannels':
        { this.list(session, id, 'Channels will follow', 'CoreShowChannelsComplete', this.channels.map((c) => ({
          Event: 'CoreShowChannel',
          Channel: c.channel,
          ChannelState: c.state === 'Up' ? 6 : c.state === 'Ringing' ? 5 : 4,
          ChannelStateDesc: c.state ?? 'Up',
          CallerIDNum: c.callerIdNum ?? '<unknown>',
          CallerIDName: c.callerIdName ?? '<unknown>',
          ConnectedLineNum: c.connectedLineNum ?? '<unknown>',
          ConnectedLineName: '<unknown>',
          Language: 'en',
          AccountCode: '',
          Context: c.context ?? 'from-internal',
          Exten: c.exten ?? '',
          Priority: 1,
          Uniqueid: c.linkedId ?? '1764000000.1',
          Linkedid: c.linkedId ?? '1764000000.1',
          Application: c.application ?? 'Dial',
          ApplicationData: '',
          Duration: hms(c.durationSeconds ?? 0),
          BridgeId: c.bridgeId ?? '',
        }))); return; }
      case 'sippeers':
        if (driver === 'pjsip') { respond(unknownCommand(action)); return; }
        { this.list(session, id, 'Peer status list will follow', 'PeerlistComplete', this.sipPeers.map((p) => ({
          Event: 'PeerEntry',
          Channeltype: 'SIP',
          ObjectName: p.name,
          ChanObjectType: 'peer',
          IPaddress: p.ip ?? '-none-',
          IPport: p.port ?? 0,
          Dynamic: 'yes',
          AutoForcerport: 'no',
          Forcerport: 'yes',
          AutoComedia: 'no',
          Comedia: 'no',
          VideoSupport: 'no',
          TextSupport: 'no',
          ACL: 'no',
          Status: p.status,
          RealtimeDevice: 'no',
          Description: '',
          Accountcode: '',
        }))); return; }
      case 'pjsipshowendpoints':
        if (driver === 'sip') { respond(unknownCommand(action)); return; }
        { this.list(session, id, 'A listing of Endpoints follows, presented as EndpointList events', 'EndpointListComplete', this.pjsipEndpoints.map((e) => ({
          Event: 'EndpointList',
          ObjectType: 'endpoint',
          ObjectName: e.name,
          Transport: 'transport-udp',
          Aor: e.name,
          Auths: e.name,
          OutboundAuths: '',
          Contacts: e.deviceState === 'Unavailable' ? '' : `${e.name}/sip:${e.name}@10.0.1.${e.name.slice(-2)}:5060,`,
          DeviceState: e.deviceState,
          ActiveChannels: '',
        }))); return; }
      default:
        { respond(unknownCommand(action)); return; }
    }
  }

  private list(
    session: Session,
    id: string | undefined,
    message: string,
    completeEvent: string,
    items: Array<Record<string, string | number>>,
  ): void {
    this.write(session, { Response: 'Success', ActionID: id, EventList: 'start', Message: message });
    for (const item of items) this.write(session, { ...item, ActionID: id });
    this.write(session, { Event: completeEvent, ActionID: id, EventList: 'Complete', ListItems: items.length });
  }

  private uptime(): number {
    return Math.floor((Date.now() - this.uptimeStart) / 1000);
  }
}

function unknownCommand(action: string): Record<string, string> {
  return { Response: 'Error', Message: `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.` };
}

function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

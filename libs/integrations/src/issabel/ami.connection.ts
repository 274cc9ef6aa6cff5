import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AmiParser, isPermissionDenied, serializeAction, type AmiFieldValue, type AmiPacket } from './ami-codec';
import { AmiError } from './ami.error';

export interface AmiTlsOptions {
  /** Verify the PBX certificate (default true). */
  verify?: boolean;
  /** Extra CA (PEM) to trust, e.g. a self-signed PBX certificate. */
  ca?: string | Buffer;
  /** SNI / certificate name when it differs from host. */
  servername?: string;
}

export interface AmiConnectionOptions {
  host: string;
  port: number;
  /** AMI over TLS (Asterisk `tlsenable=yes`, default port 5039). Absent = plain TCP. */
  tls?: AmiTlsOptions;
  /** Connect + greeting budget, ms. */
  timeoutMs: number;
  maxPacketBytes?: number;
}

export interface AmiListResult {
  /** The list ack (`Response: Success`, `EventList: start`). */
  response: AmiPacket;
  /** The item events, in order (without the `…Complete` event). */
  events: AmiPacket[];
  /** The `…Complete` event (has `ListItems`). */
  complete: AmiPacket;
}

interface Pending {
  action: string;
  list: boolean;
  response?: AmiPacket;
  events: AmiPacket[];
  resolve(value: AmiListResult): void;
  reject(error: AmiError): void;
  timer: NodeJS.Timeout;
}

/**
 * One AMI session over TCP or TLS: reads the greeting, sends actions with unique ActionIDs and
 * matches responses (and list events, up to the `EventList: Complete` event) back to them, each
 * with its own timeout. Plain TypeScript, no Nest. Never logs.
 */
export class AmiConnection {
  private readonly parser: AmiParser;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private readonly idPrefix = `velora-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private closedError: AmiError | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly amiVersion: string,
    parser: AmiParser,
    private readonly endpoint: string,
  ) {
    this.parser = parser;
    socket.on('data', (chunk: string) => { this.onData(chunk); });
    socket.on('error', (error: NodeJS.ErrnoException) => { this.fail(socketError(error, this.endpoint)); });
    socket.on('close', () => { this.fail(new AmiError('unreachable', `the PBX at ${this.endpoint} closed the AMI connection`)); },
    );
  }

  /** Connects and waits for the `Asterisk Call Manager/x.y.z` greeting. */
  static open(options: AmiConnectionOptions): Promise<AmiConnection> {
    const endpoint = `${options.host}:${options.port}`;
    if (!options.host || !Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      return Promise.reject(new AmiError('config', 'AMI host and port (1-65535) are required'));
    }
    return new Promise<AmiConnection>((resolve, reject) => {
      const parser = new AmiParser({ maxPacketBytes: options.maxPacketBytes });
      const socket: Socket = options.tls
        ? tlsConnect({
            host: options.host,
            port: options.port,
            servername: options.tls.servername ?? (isIp(options.host) ? undefined : options.host),
            rejectUnauthorized: options.tls.verify ?? true,
            ca: options.tls.ca,
          })
        : netConnect({ host: options.host, port: options.port });
      socket.setEncoding('utf8');
      socket.setNoDelay(true);
      let settled = false;
      const done = (error: AmiError | null, connection?: AmiConnection): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (error) {
          socket.destroy();
          reject(error);
        } else if (connection) {
          resolve(connection);
        }
      };
      const timer = setTimeout(
        () => { done(new AmiError('timeout', `no AMI greeting from ${endpoint} within ${options.timeoutMs} ms`)); },
        options.timeoutMs,
      );
      const onData = (chunk: string): void => {
        try {
          const { greeting, packets } = parser.push(chunk);
          if (greeting === undefined) return;
          const connection = new AmiConnection(socket, greeting, parser, endpoint);
          done(null, connection);
          for (const packet of packets) connection.dispatch(packet);
        } catch (error) {
          done(error instanceof AmiError ? error : new AmiError('protocol', 'cannot parse the AMI greeting', { cause: error }));
        }
      };
      const onError = (error: NodeJS.ErrnoException): void => { done(socketError(error, endpoint)); };
      const onClose = (): void => { done(new AmiError('unreachable', `the PBX at ${endpoint} closed the connection before the AMI greeting`)); };
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Sends an action and resolves with its `Response` packet (Success or Error — the caller decides). */
  async action(action: string, fields: Readonly<Record<string, AmiFieldValue>>, timeoutMs: number): Promise<AmiPacket> {
    return (await this.send(action, fields, timeoutMs, false)).response;
  }

  /**
   * Sends a list action (CoreShowChannels, SIPpeers, PJSIPShowEndpoints…) and collects the events
   * that carry its ActionID until the `EventList: Complete` event. An error response rejects.
   */
  listAction(action: string, fields: Readonly<Record<string, AmiFieldValue>>, timeoutMs: number): Promise<AmiListResult> {
    return this.send(action, fields, timeoutMs, true);
  }

  /** Login with a plaintext secret; `Events: off` so that the session only carries our answers. */
  async login(username: string, secret: string, timeoutMs: number): Promise<void> {
    let response: AmiPacket;
    try {
      response = await this.action('Login', { Username: username, Secret: secret, Events: 'off' }, timeoutMs);
    } catch (error) {
      if (error instanceof AmiError && error.kind === 'unreachable') {
        // Asterisk closes the socket right after a failed login; a close without answer is also a refusal.
        throw new AmiError('auth', `the PBX closed the connection during Login as "${username}" (wrong user/secret or IP not permitted?)`, {
          action: 'Login',
          cause: error,
        });
      }
      throw error;
    }
    if (!isSuccess(response)) {
      throw new AmiError('auth', `AMI login as "${username}" was rejected: ${response['message'] ?? 'no reason given'}`, {
        action: 'Login',
        amiMessage: response['message'],
      });
    }
  }

  /** Polite goodbye: `Action: Logoff`, then close. Never throws. */
  async logoff(timeoutMs: number): Promise<void> {
    if (!this.closed) {
      try {
        await this.action('Logoff', {}, timeoutMs);
      } catch {
        // the server closes the socket right after "Goodbye"; anything else does not matter here
      }
    }
    this.close();
  }

  close(): void {
    this.fail(new AmiError('unreachable', 'AMI connection closed by the client'));
    this.socket.destroy();
  }

  private send(action: string, fields: Readonly<Record<string, AmiFieldValue>>, timeoutMs: number, list: boolean): Promise<AmiListResult> {
    if (this.closedError) return Promise.reject(this.closedError);
    const actionId = `${this.idPrefix}-${this.nextId++}`;
    let wire: string;
    try {
      wire = serializeAction(action, { ActionID: actionId, ...fields });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<AmiListResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        reject(new AmiError('timeout', `no answer to AMI ${action} within ${timeoutMs} ms`, { action }));
      }, Math.max(1, timeoutMs));
      this.pending.set(actionId, { action, list, events: [], resolve, reject, timer });
      this.socket.write(wire);
    });
  }

  private onData(chunk: string): void {
    let packets: AmiPacket[];
    try {
      packets = this.parser.push(chunk).packets;
    } catch (error) {
      this.fail(error instanceof AmiError ? error : new AmiError('protocol', 'unparsable AMI data', { cause: error }));
      this.socket.destroy();
      return;
    }
    for (const packet of packets) this.dispatch(packet);
  }

  private dispatch(packet: AmiPacket): void {
    const actionId = packet['actionid'];
    if (actionId === undefined) return; // unsolicited event (FullyBooted…)
    const pending = this.pending.get(actionId);
    if (!pending) return;
    if (packet['response'] !== undefined) {
      if (!pending.list || !isSuccess(packet)) {
        if (pending.list) {
          this.settle(actionId, pending, null, errorFor(pending.action, packet));
        } else {
          this.settle(actionId, pending, { response: packet, events: [], complete: packet });
        }
        return;
      }
      pending.response = packet;
      return;
    }
    if (packet['event'] !== undefined && pending.list) {
      if ((packet['eventlist'] ?? '').toLowerCase() === 'complete') {
        this.settle(actionId, pending, { response: pending.response ?? packet, events: pending.events, complete: packet });
      } else {
        pending.events.push(packet);
      }
    }
  }

  private settle(actionId: string, pending: Pending, value: AmiListResult | null, error?: AmiError): void {
    clearTimeout(pending.timer);
    this.pending.delete(actionId);
    if (error) pending.reject(error);
    else if (value) pending.resolve(value);
  }

  private fail(error: AmiError): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const [id, pending] of this.pending) this.settle(id, pending, null, new AmiError(error.kind, error.message, { action: pending.action, cause: error }));
  }
}

export function isSuccess(packet: AmiPacket): boolean {
  const response = (packet['response'] ?? '').toLowerCase();
  return response === 'success' || response === 'goodbye' || response === 'follows';
}

/** An AMI `Response: Error` as a typed error (permission → 'permission', else 'protocol'). */
export function errorFor(action: string, packet: AmiPacket): AmiError {
  const message = packet['message'] ?? 'no message';
  return new AmiError(isPermissionDenied(message) ? 'permission' : 'protocol', `AMI ${action} failed: ${message}`, {
    action,
    amiMessage: message,
  });
}

function socketError(error: NodeJS.ErrnoException, endpoint: string): AmiError {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') {
    return new AmiError('refused', `connection to the PBX at ${endpoint} was refused`, { cause: error });
  }
  if (code === 'ETIMEDOUT') {
    return new AmiError('timeout', `connecting to the PBX at ${endpoint} timed out`, { cause: error });
  }
  if (/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|HOSTNAME_MISMATCH|ERR_OSSL)/.test(code) || /SSL|TLS|certificate/i.test(error.message)) {
    return new AmiError('tls', `TLS to the PBX at ${endpoint} failed: ${code || error.message}`, { cause: error });
  }
  return new AmiError('unreachable', `cannot reach the PBX at ${endpoint}: ${code || error.message}`, { cause: error });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

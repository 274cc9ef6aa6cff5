import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * What `down()` does to the fake:
 * - `refuse`: stop listening, so new connections get ECONNREFUSED (a switch or PBX that is gone);
 *   `up()` listens again on the same port.
 * - `reset`: keep the port bound but destroy every connection as it arrives (ECONNRESET / "socket hang
 *   up"); the port cannot be taken by anyone else meanwhile.
 * Both destroy the connections that are open when `down()` is called.
 */
export type FakeServerDownMode = 'refuse' | 'reset';

export interface FakeServerLifecycleOptions {
  /** Used in error messages: `<name>: not started`. */
  name: string;
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /** Default 'refuse'. */
  downMode?: FakeServerDownMode;
}

type State = 'stopped' | 'up' | 'down';

/**
 * The listen / stop / down / up plumbing of the local fake servers (SippySoft simulator, fake AMI, fake
 * ElevenLabs, fake OIDC issuer). It creates the server with `createServer` on `start()`, tracks every
 * open socket (so `stop()` and `down()` finish at once even with keep-alive or hung connections), and
 * owns the timers of delayed answers (`delay`, `later`), which `stop()` and `down()` cancel.
 *
 * Every operation is idempotent and they run one at a time, in call order: `start()` while started and
 * `stop()` while stopped do nothing; `down()` while down and `up()` while up do nothing. `down()` and
 * `up()` throw while stopped. After `stop()`, `start()` makes a new server (on the configured port).
 */
export class FakeServerLifecycle<S extends Server = Server> {
  readonly host: string;
  readonly downMode: FakeServerDownMode;

  private readonly name: string;
  private readonly requestedPort: number;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private current: S | undefined;
  private state: State = 'stopped';
  private boundPort: number | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly createServer: () => S,
    options: FakeServerLifecycleOptions,
  ) {
    this.name = options.name;
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.downMode = options.downMode ?? 'refuse';
  }

  /** The bound port (kept after down() and stop()); throws before the first start(). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error(`${this.name}: not started`);
    return this.boundPort;
  }

  /** Between start() and stop(), down or not. */
  get isStarted(): boolean {
    return this.state !== 'stopped';
  }

  /** Accepting connections: started and not down. */
  get isListening(): boolean {
    return this.state === 'up';
  }

  /** Open client connections. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** The Node server while started. */
  get server(): S | undefined {
    return this.current;
  }

  /**
   * `http://HOST:PORT` (no trailing slash) for clients: a wildcard listen address becomes 127.0.0.1,
   * an IPv6 address gets brackets.
   */
  origin(protocol: 'http' | 'https' = 'http'): string {
    const port = this.port;
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Creates the server and listens (host, port from the options). */
  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.state !== 'stopped') return;
      const server = this.createServer();
      server.on('connection', (socket: Socket) => { this.track(socket); });
      await this.listen(server, this.requestedPort);
      this.current = server;
      this.state = 'up';
    });
  }

  /** Destroys every connection, cancels pending timers and closes the server. */
  stop(): Promise<void> {
    return this.serialize(async () => {
      const server = this.current;
      if (server === undefined) return;
      const wasListening = this.state === 'up' || this.downMode === 'reset';
      this.current = undefined;
      this.state = 'stopped';
      await this.shutDown(server, wasListening);
    });
  }

  /** The service "disappears" (see FakeServerDownMode); open connections are destroyed. */
  down(): Promise<void> {
    return this.serialize(async () => {
      const server = this.requireStarted();
      if (this.state === 'down') return;
      this.state = 'down';
      if (this.downMode === 'reset') this.dropConnections();
      else await this.shutDown(server, true);
    });
  }

  /** The service returns on the same port. */
  up(): Promise<void> {
    return this.serialize(async () => {
      const server = this.requireStarted();
      if (this.state === 'up') return;
      if (this.downMode === 'refuse') await this.listen(server, this.port);
      this.state = 'up';
    });
  }

  /** Resolves after `ms` unless stop()/down() comes first (then it never resolves). */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => { this.later(ms, resolve); });
  }

  /** Runs `fn` after `ms` unless stop()/down() comes first. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private serialize(operation: () => Promise<void>): Promise<void> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireStarted(): S {
    if (this.current === undefined) throw new Error(`${this.name}: not started`);
    return this.current;
  }

  private track(socket: Socket): void {
    if (this.state === 'down' && this.downMode === 'reset') {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private listen(server: S, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => { reject(error); };
      server.once('error', onError);
      server.listen(port, this.host, () => {
        server.off('error', onError);
        this.boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private dropConnections(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private async shutDown(server: S, listening: boolean): Promise<void> {
    const closed = listening ? new Promise<void>((resolve) => server.close(() => { resolve(); })) : Promise.resolve();
    this.dropConnections();
    await closed;
  }
}

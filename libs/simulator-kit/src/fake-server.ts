import type { Server } from 'node:net';
import { FakeServerLifecycle, type FakeServerLifecycleOptions } from './fake-server-lifecycle';

/**
 * Base of the fake servers: `start()`, `stop()`, `down()`, `up()`, `port`, `isListening` and
 * `openConnections` on a FakeServerLifecycle. A subclass builds its Node server in `createServer()` and may
 * prepare state before listening in `prepare()` (certificates, keys, generated history).
 */
export abstract class FakeServer<S extends Server = Server> {
  protected readonly lifecycle: FakeServerLifecycle<S>;

  protected constructor(private readonly serverName: string, options: Omit<FakeServerLifecycleOptions, 'name'> = {}) {
    this.lifecycle = new FakeServerLifecycle(() => this.createServer(), { ...options, name: serverName });
  }

  /** The bound port (kept after down() and stop()); throws before start(). */
  get port(): number {
    return this.lifecycle.port;
  }

  /** Whether the server is accepting connections (false after down()/stop()). */
  get isListening(): boolean {
    return this.lifecycle.isListening;
  }

  /** Number of open client connections. */
  get openConnections(): number {
    return this.lifecycle.openConnections;
  }

  /** Prepares, then listens. Throws when already started (stop() first). */
  async start(): Promise<void> {
    if (this.lifecycle.isStarted) throw new Error(`${this.serverName}: already started`);
    await this.prepare();
    await this.lifecycle.start();
  }

  /** Closes every open connection (including hung requests) and stops listening. Idempotent. */
  async stop(): Promise<void> {
    await this.lifecycle.stop();
  }

  /** The service disappears (see FakeServerDownMode); open connections are dropped. */
  async down(): Promise<void> {
    await this.lifecycle.down();
  }

  /** The service returns on the same port. */
  async up(): Promise<void> {
    await this.lifecycle.up();
  }

  /** Called by start() before listening. */
  protected async prepare(): Promise<void> {}

  /** The Node server (http, https, net or tls) with its request/connection handler. */
  protected abstract createServer(): S;
}

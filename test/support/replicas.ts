import { SippySimulator, type SippySimulatorOptions } from '@velora/sippy/simulator';
import { CdrSyncService } from '../../apps/api/src/sync/cdr-sync.service';
import { SseClient } from './sse-client';
import { listenOnLoopback, startTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

export type Replica = 'a' | 'b';

export interface ReplicasOptions {
  /** The simulated switch both replicas read (its password is the one the replicas are given). */
  switch: SippySimulatorOptions & { password: string };
  /** Environment of both replicas, on top of DATABASE_URL and the switch's URL and credentials. */
  env: Record<string, string>;
  /** Only replica `a` / `b` (e.g. SIPPY_SYNC_ENABLED). */
  envA?: Record<string, string>;
  envB?: Record<string, string>;
  /** Start `b` only after `a`'s first sync run, so that `a` is the sync leader when both sync. */
  bAfterFirstSync?: boolean;
}

/**
 * Two API replicas (two Nest applications, each with its own pool and LISTEN connection) on one throw-away
 * PostgreSQL database, both listening on loopback (for event streams), reading one simulated switch. `a` has run
 * the sync once when this resolves.
 */
export class Replicas {
  readonly #streams: SseClient[] = [];
  readonly #urls: Record<Replica, string>;

  private constructor(
    readonly database: TestDatabase,
    readonly sim: SippySimulator,
    readonly a: TestApp,
    readonly b: TestApp,
    urls: Record<Replica, string>,
  ) {
    this.#urls = urls;
  }

  static async start(options: ReplicasOptions): Promise<Replicas> {
    const database = await createTestDatabase('postgres');
    const sim = new SippySimulator(options.switch);
    await sim.start();
    const common = {
      DATABASE_URL: database.url,
      SIPPY_RPC_URL: sim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: options.switch.password,
      ...options.env,
    };
    const a = await startTestApp({ ...common, ...options.envA });
    let b: TestApp;
    if (options.bAfterFirstSync === true) {
      await a.app.get(CdrSyncService).runNow();
      b = await startTestApp({ ...common, ...options.envB });
    } else {
      b = await startTestApp({ ...common, ...options.envB });
      await a.app.get(CdrSyncService).runNow();
    }
    return new Replicas(database, sim, a, b, { a: await listenOnLoopback(a), b: await listenOnLoopback(b) });
  }

  app(replica: Replica): TestApp {
    return replica === 'a' ? this.a : this.b;
  }

  /** The admin's event stream on `replica`, once it said `ready` (resuming after `lastEventId` when given). */
  async openStream(replica: Replica, lastEventId?: number): Promise<SseClient> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.app(replica).users.admin?.token ?? ''}` };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
    const client = await SseClient.open(`${this.#urls[replica]}/api/events`, { headers });
    this.#streams.push(client);
    if (client.status !== 200) throw new Error(`GET /api/events on replica ${replica}: HTTP ${String(client.status)}`);
    await client.nextOf('ready');
    return client;
  }

  /** Closes the streams opened so far (for afterEach). */
  closeStreams(): void {
    for (const client of this.#streams.splice(0)) client.close();
  }

  async close(): Promise<void> {
    this.closeStreams();
    await this.b.close();
    await this.a.close();
    await this.sim.stop();
    await this.database.dispose();
  }
}

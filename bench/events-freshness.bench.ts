/**
 * Freshness of the live events (docs/notifications.md, docs/benchmarks.md): the built API in its own process
 * (`nest build`, cached in tmp/api-build; tsx cannot run Nest's dependency injection) syncing from the SippySimulator over real XML-RPC + Digest, with 1 or 50 open GET /api/events
 * streams (raw HTTP clients), on in-memory PGlite and on the local PostgreSQL (LISTEN/NOTIFY).
 *
 * One timed run = a CDR is written on the switch → the sync's next request returns it → every open stream has
 * received the `cdrs` event naming its id. The time column is that whole span (it includes the wait for the next
 * sync tick, SIPPY_SYNC_INTERVAL_SECONDS=2); the number that matters, "switch answered → last stream got it",
 * is printed per run on stderr and checked to be ≤ 5 s. Each case also counts the switch's requests over a fixed
 * 12 s window with its streams open and checks that every one of them is the sync's (the streams cost the switch
 * nothing): compare the 1- and 50-stream rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { SippySimulator } from '../libs/sippy/simulator';
import { freePort } from '../test/browser/support/free-port';
import { builtApiMain, REPO_ROOT } from '../test/support/built-api';
import { SseClient, type SseMessage } from '../test/support/sse-client';
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from '../test/support/test-database';
import type { BenchCase, BenchRun } from './harness';

const SIM_PASSWORD = 'bench-Events-pass-1';
const ADMIN = { email: 'bench@velora.test', password: 'bench-Admin-Passw0rd' };
const LIMIT_MS = 5000;
const REQUEST_WINDOW_MS = 12_000;
const SYNC_METHODS = new Set(['getAccountCDRs', 'listAccounts']);

interface RunResult {
  id: string;
  /** Switch answered the request that returned the CDR → the last stream received the event. */
  switchToLastStreamMs: number;
  switchToFirstStreamMs: number;
}

function freshnessCase(database: 'pglite' | 'postgres', streams: number): BenchCase {
  return {
    name: `freshness ${database} ${String(streams)} streams`,
    group: `new CDR → SSE, simulator, sync every 2 s (${database})`,
    subject: `${String(streams)} open stream(s)`,
    runs: 5,
    async prepare(): Promise<BenchRun> {
      let testDatabase: TestDatabase | undefined;
      if (database === 'postgres') {
        if (!(await isPostgresAvailable())) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432');
        testDatabase = await createTestDatabase('postgres');
      }
      const sim = new SippySimulator({ password: SIM_PASSWORD, seed: 77, historyHours: 1, callsPerMinute: 1 });
      await sim.start();
      const port = await freePort();
      const output: string[] = [];
      const api: ChildProcess = spawn(process.execPath, [builtApiMain()], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          DATABASE_URL: testDatabase?.url ?? 'memory://',
          SIPPY_RPC_URL: sim.url,
          SIPPY_RPC_USER: 'ssp-root',
          SIPPY_RPC_PASS: SIM_PASSWORD,
          SIPPY_SYNC_INTERVAL_SECONDS: '2',
          SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '1',
          ISSABEL_SIMULATOR: 'off',
          ELEVENLABS_SIMULATOR: 'off',
          EVENTS_INTEGRATION_CHECK_SECONDS: '0',
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
        },
      });
      api.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      api.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      const base = `http://127.0.0.1:${String(port)}`;
      for (let waited = 0; ; waited += 250) {
        if (api.exitCode !== null) throw new Error(`the API exited (${String(api.exitCode)}):\n${output.join('')}`);
        const live = await fetch(`${base}/api/health/live`).then(
          (r) => r.ok,
          () => false,
        );
        if (live) break;
        if (waited > 60_000) throw new Error(`the API did not start:\n${output.join('')}`);
        await sleep(250);
      }
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      if (!login.ok) throw new Error(`login failed: ${String(login.status)}`);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const clients: SseClient[] = [];
      for (let i = 0; i < streams; i += 1) {
        const client = await SseClient.open(`${base}/api/events`, { headers: { Cookie: cookie } });
        if (client.status !== 200) throw new Error(`stream ${String(i)} answered ${String(client.status)}`);
        await client.nextOf('ready');
        clients.push(client);
      }

      // the switch's requests over a fixed window with the streams open: all of them must be the sync's
      await sleep(3000); // past the start-up backlog
      sim.clearRequestLog();
      await sleep(REQUEST_WINDOW_MS);
      const log = sim.requestLog;
      const foreign = log.filter((entry) => entry.method === null || !SYNC_METHODS.has(entry.method));
      process.stderr.write(
        `  ${database}, ${String(streams)} stream(s): the switch got ${String(log.length)} request(s) in ${String(REQUEST_WINDOW_MS / 1000)} s ` +
          `(${log
            .map((e) => e.method ?? '?')
            .filter((m, i, all) => all.indexOf(m) === i)
            .join(', ')}); not from the sync: ${String(foreign.length)}\n`,
      );
      if (foreign.length > 0) throw new Error(`the switch saw ${String(foreign.length)} request(s) that are not the sync's`);

      const latencies: number[] = [];
      return {
        bytes: streams,
        async run(sample): Promise<RunResult> {
          const added = Date.now();
          const cdr = sim.addCdr({ connect_time: added - 10_000, duration: 3 });
          const id = String(cdr['i_cdr']);
          const names = (m: SseMessage): boolean =>
            m.event === 'cdrs' && (JSON.parse(m.data) as { data: { newest_ids: string[] } }).data.newest_ids.includes(id);
          const received = await Promise.all(clients.map((client) => client.next(names, 20_000, `the cdrs event of ${id}`)));
          sample();
          const answered = sim.requestLog
            .filter((entry) => entry.method === 'getAccountCDRs' && entry.at >= added)
            .map((entry) => entry.at + entry.durationMs)
            .sort((a, b) => a - b)
            .at(0);
          if (answered === undefined) throw new Error('no getAccountCDRs request after the CDR was added');
          const arrivals = received.map((m) => m.receivedAt);
          const result = {
            id,
            switchToLastStreamMs: Math.max(...arrivals) - answered,
            switchToFirstStreamMs: Math.min(...arrivals) - answered,
          };
          latencies.push(result.switchToLastStreamMs);
          process.stderr.write(
            `    run: switch answered → first stream ${String(result.switchToFirstStreamMs)} ms, last of ${String(streams)} ${String(result.switchToLastStreamMs)} ms\n`,
          );
          return result;
        },
        check(result): void {
          const r = result as RunResult;
          if (r.switchToLastStreamMs > LIMIT_MS)
            throw new Error(
              `CDR ${r.id} reached the last stream ${String(r.switchToLastStreamMs)} ms after the switch answered (limit ${String(LIMIT_MS)} ms)`,
            );
          if (r.switchToFirstStreamMs < 0) throw new Error('an event arrived before the switch answered: the measurement is wrong');
        },
        async dispose(): Promise<void> {
          const sorted = [...latencies].sort((a, b) => a - b);
          process.stderr.write(
            `  ${database}, ${String(streams)} stream(s): switch answered → last stream, median ${String(sorted[Math.floor(sorted.length / 2)] ?? NaN)} ms, max ${String(sorted.at(-1) ?? NaN)} ms\n`,
          );
          for (const client of clients) client.close();
          const exited = once(api, 'exit');
          api.kill('SIGTERM');
          await exited;
          await sim.stop();
          await testDatabase?.dispose();
        },
      };
    },
  };
}

export const cases: BenchCase[] = [
  freshnessCase('pglite', 1),
  freshnessCase('pglite', 50),
  freshnessCase('postgres', 1),
  freshnessCase('postgres', 50),
];

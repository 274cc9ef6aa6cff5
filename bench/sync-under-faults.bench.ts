/**
 * CDR ingest from an awkward switch: the SippySoft simulator (real XML-RPC + Digest on loopback) answering a share
 * of the CDR calls with a transient "database is busy" fault, with 50 ms latency per call, synced by the real
 * CdrSyncService into an in-memory PGlite. The baseline (0% faults, same latency) runs in the same process family,
 * so the rows compare retries + failed runs against a clean switch on the same machine at the same moment.
 *
 * One timed run = from an empty database until every CDR of the switch is stored (runs are started back to back:
 * the progress-based back-off never waits after a run that committed windows). "bytes" is the CDR count, so the
 * MB/s column reads as 10^6 CDRs/s; the group title gives the CDR count.
 */
import { Logger } from '@nestjs/common';
import { SippyClientFactory } from '../libs/sippy/src/client/sippy-client.factory';
import { SippySimulator } from '../libs/sippy/simulator';
import { CdrRepository } from '../apps/api/src/cdrs/cdr.repository';
import { AppConfig } from '../apps/api/src/config/app-config';
import { openDatabaseService } from '../test/support/test-database';
import type { BenchCase, BenchRun } from './harness';
import { benchSyncService } from './sync-service';

const PASSWORD = 'bench-Sync-pass-1';
const MAX_RUNS = 50;

function syncCase(rate: number): BenchCase {
  const label = rate === 0 ? 'baseline: 0% faults' : `${String(rate * 100)}% transient faults`;
  return {
    name: `sync ${String(rate * 100)}% faults`,
    group: 'sync from the simulator (~4,300 CDRs over 6 h, 50 ms latency, PGlite)',
    subject: label,
    runs: 3,
    async prepare(): Promise<BenchRun> {
      Logger.overrideLogger(false);
      const sim = new SippySimulator({
        password: PASSWORD,
        seed: 31,
        historyHours: 6,
        callsPerMinute: 12,
        transientFaultRate: rate || undefined,
        latencyMs: 50,
      });
      await sim.start();
      const expected = sim.visibleCdrs().length;
      const database = await openDatabaseService('memory://');
      const config = AppConfig.fromEnv({
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: PASSWORD,
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '7',
        SIPPY_SYNC_RETRY_BASE_MS: '100',
      });
      const client = new SippyClientFactory().create({ url: sim.url, username: 'ssp-root', password: PASSWORD, timeoutMs: 10_000 });
      const cdrs = new CdrRepository(database);
      let runsNeeded = 0;
      let failedRuns = 0;
      return {
        bytes: expected,
        async run(sample): Promise<unknown> {
          await database.db.deleteFrom('cdrs').execute();
          await database.db.deleteFrom('sync_state').execute();
          const sync = benchSyncService(client, cdrs, database, config);
          runsNeeded = 0;
          failedRuns = 0;
          for (let run = 1; run <= MAX_RUNS; run += 1) {
            runsNeeded = run;
            await sync.runNow().catch(() => {
              failedRuns += 1;
            });
            sample();
            if ((await cdrs.countAll()) >= expected) break;
          }
          await sync.onApplicationShutdown();
          return { stored: await cdrs.countAll(), runsNeeded, failedRuns };
        },
        check(result): void {
          const r = result as { stored: number; runsNeeded: number; failedRuns: number };
          if (r.stored < expected) throw new Error(`stored ${String(r.stored)} of ${String(expected)} after ${String(MAX_RUNS)} runs`);
          process.stderr.write(`  ${label}: ${String(r.runsNeeded)} run(s), ${String(r.failedRuns)} failed\n`);
        },
        async dispose(): Promise<void> {
          await client.close();
          await database.close();
          await sim.stop();
        },
      };
    },
  };
}

export const cases: BenchCase[] = [syncCase(0), syncCase(0.1), syncCase(0.25)];

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSippyTime, parseSippyTime } from '@velora/sippy';
import { SippySimulator } from '@velora/sippy/simulator';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { CdrSyncService } from '../../apps/api/src/sync/cdr-sync.service';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { mulberry32 as prng } from '@velora/sippy/simulator';
import { cleanUp } from '../support/clean-up';

// the chaos runs ~60 syncs with faults and restarts: minutes on a loaded 2-core machine
jest.setTimeout(300_000);

const PASSWORD = 'sync-e2e-Secret-pass';
const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const MINUTE = 60_000;


describeEachDatabase('CDR sync durability', ({ kind, getUrl }) => {
  const clock = new FakeClock(T0);
  let sim: SippySimulator;
  let api: TestApp | undefined;
  let dataDir: string;

  const env = (): Record<string, string> => ({
    ...(kind === 'pglite' ? { DATA_DIR: dataDir } : { DATABASE_URL: getUrl() }),
    SIPPY_RPC_URL: sim.url,
    SIPPY_RPC_USER: 'ssp-root',
    SIPPY_RPC_PASS: PASSWORD,
    SIPPY_SYNC_ENABLED: 'true',
    SIPPY_SYNC_INTERVAL_SECONDS: '86400', // the test drives the runs
    SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '6',
    SIPPY_SYNC_WINDOW_MINUTES: '30',
    SIPPY_SYNC_PAGE_SIZE: '40', // forces window splitting
    SIPPY_SYNC_OVERLAP_SECONDS: '300',
    SIPPY_SYNC_FULL_PASS_SECONDS: '900',
    SIPPY_MAX_CALL_SECONDS: '7200',
    SIPPY_TIMEOUT_MS: '400',
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'velora-sync-'));
    sim = new SippySimulator({ password: PASSWORD, seed: 2026, historyHours: 4, callsPerMinute: 3, maxCallSeconds: 7200, now: () => clock.now() });
    await sim.start();
  });

  afterAll(async () => {
    await api?.close();
    await cleanUp(sim, (r) => r.stop());
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores exactly the simulator set despite faults, late long calls and restarts mid-sync', async () => {
    const random = prng(99);
    const counts = { runs: 0, ok: 0, failed: 0, restarts: 0, faults: {} as Record<string, number>, lateCalls: 0 };
    api = await startTestApp(env(), { clock });

    const injectRandomFault = (): void => {
      const choices = [
        () => sim.faults.http500({ times: 1 + Math.floor(random() * 2) }),
        () => sim.faults.xmlRpcFault({ faultCode: 500, faultString: 'Internal error', method: 'getAccountCDRs' }),
        () => sim.faults.malformed(),
        () => sim.faults.truncate({ fraction: 0.5 }),
        () => sim.faults.drop(),
        () => sim.faults.hang(), // times out after SIPPY_TIMEOUT_MS
        () => sim.faults.authFail({ times: 3 }),
      ];
      const pick = Math.floor(random() * choices.length);
      const fault = choices[pick]();
      counts.faults[fault.spec.kind] = (counts.faults[fault.spec.kind] ?? 0) + 1;
    };

    const runSync = async (): Promise<void> => {
      counts.runs += 1;
      const res = await api!.http().post('/api/sippy/sync');
      expect([200, 502, 504]).toContain(res.status);
      if (res.status === 200) counts.ok += 1;
      else counts.failed += 1;
    };

    const restartMidSync = async (): Promise<void> => {
      sim.faults.slow({ ms: 150, times: 4 });
      const running = api!.app.get(CdrSyncService).runNow().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await api!.close();
      await running;
      sim.faults.clear();
      api = await startTestApp(env(), { clock });
      counts.restarts += 1;
    };

    for (let step = 1; step <= 45; step += 1) {
      clock.advance(MINUTE + Math.floor(random() * 30_000));
      if (step % 6 === 0) {
        // a long call that started almost two hours ago ends now: its CDR lands in an old window
        const connect = clock.now() - 7_000_000;
        sim.addCdr({
          connect_time: formatSippyTime(new Date(connect)),
          disconnect_time: formatSippyTime(new Date(clock.now() - 1000)),
          duration: 6999,
          billed_duration: 7020,
          result: 0,
        });
        counts.lateCalls += 1;
      }
      if (random() < 0.35) injectRandomFault();
      if (step === 15 || step === 31) await restartMidSync();
      await runSync();
      sim.faults.clear();
    }

    // two more hours of traffic without faults, then one full pass that must pick up every late CDR
    for (let i = 0; i < 12; i += 1) {
      clock.advance(11 * MINUTE);
      await runSync();
    }
    clock.advance(16 * MINUTE); // past SIPPY_SYNC_FULL_PASS_SECONDS: the next run is a full pass
    const final = await api.http().post('/api/sippy/sync').expect(200);
    expect(final.body.pass).toBe('full');

    const stored = await api.app.get(CdrRepository).allIds();
    // ground truth: every CDR the switch has written whose start lies before the run's upper bound (now − safety lag)
    const upper = Date.parse(final.body.to as string);
    const expected = sim
      .visibleCdrs()
      .filter((c) => parseSippyTime(c['connect_time'])!.getTime() < upper)
      .map((c) => String(c['i_cdr']));
    const storedSet = new Set(stored);
    const missing = expected.filter((id) => !storedSet.has(id));
    const extra = stored.filter((id) => !expected.includes(id));
    process.stdout.write(
      `[${kind}] sync chaos: ${counts.runs} runs (${counts.ok} ok, ${counts.failed} failed), ${counts.restarts} restarts mid-sync, ` +
        `${counts.lateCalls} late long calls, faults ${JSON.stringify(counts.faults)}; simulator ${expected.length} CDRs, ` +
        `stored ${stored.length}, missing ${missing.length}, extra ${extra.length}\n`,
    );
    expect(counts.failed).toBeGreaterThan(0);
    expect(counts.restarts).toBe(2);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    expect(stored.length).toBe(new Set(stored).size);
    expect(stored.length).toBe(expected.length);
    const total = await api.http().get('/api/sippy/cdrs?limit=1').expect(200);
    expect(Number(total.headers['x-total-count'])).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(1000);

    // The hourly rollup was maintained in every upsert transaction, through faults, restarts and
    // re-read windows: it counts every stored CDR once and equals a rebuild from the CDR table.
    const repository = api.app.get(CdrRepository);
    const incremental = await repository.rollupRows('daily');
    const incrementalTotals = await repository.rollupRows('totals');
    expect(incremental.reduce((n, r) => n + Number(r['calls']), 0)).toBe(expected.length);
    expect(incrementalTotals.reduce((n, r) => n + Number(r['calls']), 0)).toBe(expected.length);
    // The reports' rollup (migration 0018) too, in all three of its tables.
    const report = await repository.reportRollupRows('fine');
    const reportTotals = await repository.reportRollupRows('totals');
    const reportDaily = await repository.reportRollupRows('daily');
    expect(report.reduce((n, r) => n + Number(r['calls']), 0)).toBe(expected.length);
    await repository.rebuildRollups();
    expect(await repository.rollupRows('daily')).toEqual(incremental);
    expect(await repository.rollupRows('totals')).toEqual(incrementalTotals);
    expect(await repository.reportRollupRows('fine')).toEqual(report);
    expect(await repository.reportRollupRows('totals')).toEqual(reportTotals);
    expect(await repository.reportRollupRows('daily')).toEqual(reportDaily);
  });
});

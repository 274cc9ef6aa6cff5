import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { formatSippyTime, parseSippyTime, SippyClient, SippyError, type XmlRpcStruct } from '@velora/sippy';
import { FakeXmlRpcTransport, makeRawSippyCdr } from '@velora/sippy/testing';
import { FakeClock } from '../../../../test/support/fake-clock';
import { openDatabaseService } from '../../../../test/support/test-database';
import { CdrNormalizerService } from '../cdrs/cdr-normalizer.service';
import { SippyLiveClient } from '../sippy/sippy-live-client';
import { CdrRepository } from '../cdrs/cdr.repository';
import { AppConfig } from '../config/app-config';
import type { DatabaseService } from '../database/database.service';
import { CdrSyncService, SYNC_LEASE_KEY, SyncLeaseHeldError } from './cdr-sync.service';
import { SyncStateRepository } from './sync-state.repository';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** A fake switch over a fixed CDR list: date window on connect_time [start, end), connect DESC, offset/limit. */
function fakeSwitch(cdrs: XmlRpcStruct[]): FakeXmlRpcTransport {
  return new FakeXmlRpcTransport({
    listAccounts: () => ({ result: 'OK', accounts: [{ i_account: 1042, base_currency: 'EUR' }] }),
    getAccountCDRs: ([params]) => {
      const p = params as XmlRpcStruct;
      const start = parseSippyTime(p['start_date'])!.getTime();
      const end = parseSippyTime(p['end_date'])!.getTime();
      const offset = Number(p['offset'] ?? 0);
      const limit = Number(p['limit'] ?? 1e9);
      const rows = cdrs
        .filter((c) => {
          const t = parseSippyTime(c['connect_time'])!.getTime();
          return t >= start && t < end;
        })
        .sort((a, b) => parseSippyTime(b['connect_time'])!.getTime() - parseSippyTime(a['connect_time'])!.getTime());
      return { result: 'OK', cdrs: rows.slice(offset, offset + limit) };
    },
  });
}

function cdrAt(ms: number): XmlRpcStruct {
  return makeRawSippyCdr({
    connect_time: formatSippyTime(new Date(ms)),
    disconnect_time: formatSippyTime(new Date(ms)),
    duration: 0,
    result: 486,
  });
}

describe('CdrSyncService (fake switch, embedded database)', () => {
  let database: DatabaseService;

  beforeAll(async () => {
    Logger.overrideLogger(false); // the service logs every run; keep the test output readable
    database = await openDatabaseService('memory://');
  });

  afterAll(async () => {
    await database.close();
  });

  beforeEach(async () => {
    await database.db.deleteFrom('cdrs').execute();
    await database.db.deleteFrom('sync_state').execute();
  });

  function build(transport: FakeXmlRpcTransport, env: Record<string, string> = {}): { sync: CdrSyncService; repo: CdrRepository } {
    const config = AppConfig.fromEnv({
      SIPPY_RPC_URL: 'https://switch.test/xmlapi/xmlapi',
      SIPPY_SYNC_PAGE_SIZE: '10',
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '1',
      SIPPY_MAX_CALL_SECONDS: '600',
      SIPPY_SYNC_RETRY_BASE_MS: '1',
      ...env,
    });
    const repo = new CdrRepository(database);
    const sync = new CdrSyncService(
      SippyLiveClient.of(new SippyClient(transport)),
      repo,
      new SyncStateRepository(database),
      database,
      new CdrNormalizerService(config),
      config,
      new FakeClock(T0),
      new SchedulerRegistry(),
    );
    return { sync, repo };
  }

  it('splits windows whose answer is a full page instead of trusting offsets', async () => {
    const cdrs = Array.from({ length: 95 }, (_, i) => cdrAt(T0 - 3_000_000 + i * 20_000));
    const transport = fakeSwitch(cdrs);
    const { sync, repo } = build(transport);
    const result = await sync.runNow();
    expect(result).toMatchObject({ pass: 'full', inserted: 95, skipped: 0 });
    expect(await repo.countAll()).toBe(95);
    const offsets = transport.callsOf('getAccountCDRs').map((c) => (c.params[0] as XmlRpcStruct)['offset']);
    expect(offsets.every((o) => o === 0)).toBe(true); // every window fitted in one page after splitting
    expect(transport.callsOf('getAccountCDRs').length).toBeGreaterThan(10);
  });

  it('pages by offset only when more than a page of CDRs share one second', async () => {
    const sameSecond = Array.from({ length: 25 }, () => cdrAt(T0 - 1_000_000));
    const transport = fakeSwitch(sameSecond);
    const { sync, repo } = build(transport);
    await sync.runNow();
    expect(await repo.countAll()).toBe(25);
    const offsets = transport.callsOf('getAccountCDRs').map((c) => (c.params[0] as XmlRpcStruct)['offset']);
    expect(offsets).toEqual(expect.arrayContaining([10, 20]));
  });

  it('keeps the currency of the account and a second run stores nothing twice', async () => {
    const transport = fakeSwitch([cdrAt(T0 - 100_000), cdrAt(T0 - 200_000)]);
    const { sync, repo } = build(transport);
    await sync.runNow();
    const again = await sync.runNow();
    expect(again.inserted).toBe(0);
    const { items } = await repo.list({ limit: 10 });
    expect(items.map((c) => c.currency)).toEqual(['EUR', 'EUR']);
  });

  it('a failure keeps the windows already committed and reports the error; the next run resumes', async () => {
    const cdrs = Array.from({ length: 30 }, (_, i) => cdrAt(T0 - 5_000_000 + i * 150_000));
    const transport = fakeSwitch(cdrs);
    let calls = 0;
    const { sync, repo } = build(transport, {
      SIPPY_SYNC_WINDOW_MINUTES: '20',
      SIPPY_SYNC_PAGE_SIZE: '1000',
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2',
      SIPPY_SYNC_RETRY_ATTEMPTS: '1',
      SIPPY_SYNC_NEWEST_FIRST: 'false',
    });
    const original = fakeSwitch(cdrs);
    transport.on('getAccountCDRs', async (params) => {
      calls += 1;
      if (calls === 5) throw new SippyError('timeout', 'no answer within 400 ms');
      return original.call('getAccountCDRs', params);
    });
    await expect(sync.runNow()).rejects.toMatchObject({ kind: 'timeout' });
    const partial = await repo.countAll();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30);
    // The run committed windows before failing: progress, so it does not count towards the back-off.
    expect(sync.status()).toMatchObject({
      consecutive_failures: 1,
      failures_without_progress: 0,
      last_error: 'timeout: no answer within 400 ms',
    });
    const resumed = await sync.runNow();
    expect(resumed.inserted).toBe(30 - partial);
    expect(await repo.countAll()).toBe(30);
    expect(sync.status()).toMatchObject({ consecutive_failures: 0, last_error: null, rows_total: 30 });
  });

  it('schedules itself, and backs off after a failure', async () => {
    const transport = new FakeXmlRpcTransport().failWith('getAccountCDRs', new SippyError('unreachable', 'connection refused'));
    transport.on('listAccounts', () => ({ result: 'OK', accounts: [] }));
    const { sync } = build(transport, { SIPPY_SYNC_INTERVAL_SECONDS: '15', SIPPY_SYNC_MAX_BACKOFF_SECONDS: '50' });
    await sync.onApplicationBootstrap(); // first run right away
    const waitFor = async (failures: number): Promise<void> => {
      for (let i = 0; i < 200 && sync.status().consecutive_failures < failures; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 10)); // let the timer callback reschedule
    };
    await waitFor(1);
    expect(sync.status()).toMatchObject({ consecutive_failures: 1, next_run_at: new Date(T0 + 30_000).toISOString() });
    await sync.runNow().catch(() => undefined);
    await sync.runNow().catch(() => undefined);
    expect(sync.status().consecutive_failures).toBe(3);
    await sync.onApplicationShutdown();
    expect(sync.status().next_run_at).not.toBeNull(); // the pending timer was cancelled, the last plan stays visible
  });

  it('lets one replica poll the switch; the other stands by and takes over when the lease is released', async () => {
    const cdrs = [cdrAt(T0 - 100_000)];
    const first = build(fakeSwitch(cdrs));
    const secondTransport = fakeSwitch(cdrs);
    const second = build(secondTransport);
    await expect(first.sync.runNow()).resolves.toMatchObject({ pass: 'full', inserted: 1 });
    await expect(second.sync.runNow()).resolves.toMatchObject({ pass: 'standby', requests: 0 });
    expect(secondTransport.callsOf('getAccountCDRs')).toHaveLength(0);
    expect(second.sync.status()).toMatchObject({ standby: true, rows_total: 1 });
    await first.sync.onApplicationShutdown();
    await expect(second.sync.runNow()).resolves.toMatchObject({ inserted: 0 });
    expect(second.sync.status().standby).toBe(false);
    expect(secondTransport.callsOf('getAccountCDRs').length).toBeGreaterThan(0);
  });

  it('stops a run whose lease lapsed and was taken by another replica mid-read: the window read meanwhile is not stored, the rest is left to the new holder', async () => {
    const cdrs = Array.from({ length: 30 }, (_, i) => cdrAt(T0 - 5_000_000 + i * 150_000));
    const original = fakeSwitch(cdrs);
    const transport = fakeSwitch(cdrs);
    const states = new SyncStateRepository(database);
    let calls = 0;
    let lostAt = 0; // where the window read while the lease was lost starts (1 s of boundary overlap added back)
    transport.on('getAccountCDRs', async (params) => {
      calls += 1;
      if (calls === 3) {
        lostAt = parseSippyTime((params[0] as XmlRpcStruct)['start_date'])!.getTime() + 1000;
        // this read outlived the lease: another replica took it over meanwhile
        await database.db.deleteFrom('sync_state').where('key', '=', SYNC_LEASE_KEY).execute();
        expect(await states.tryLease(SYNC_LEASE_KEY, 'other-replica', new Date(T0), 60_000)).toBe(true);
      }
      return original.call('getAccountCDRs', params);
    });
    const env = { SIPPY_SYNC_WINDOW_MINUTES: '20', SIPPY_SYNC_PAGE_SIZE: '1000', SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2', SIPPY_SYNC_NEWEST_FIRST: 'false' };
    const { sync, repo } = build(transport, env);
    await expect(sync.runNow()).rejects.toMatchObject({ name: 'SyncInterruptedError', reason: 'lease_lost' });
    const stored = await repo.countAll();
    expect(calls).toBe(3); // nothing more was read after the lease was lost
    const firstTwo = cdrs.filter((c) => parseSippyTime(c['connect_time'])!.getTime() < lostAt).length;
    const third = cdrs.filter((c) => parseSippyTime(c['connect_time'])!.getTime() >= lostAt && parseSippyTime(c['connect_time'])!.getTime() < lostAt + 1_200_000).length;
    expect(third).toBeGreaterThan(0);
    expect(stored).toBe(firstTwo); // the third window, read while the lease was lost, was rolled back
    expect(sync.status()).toMatchObject({ standby: true, consecutive_failures: 0 });
    // the new holder goes on from the committed cursor and the stored set ends exact
    const lease = await states.get<{ owner: string }>(SYNC_LEASE_KEY);
    expect(lease?.owner).toBe('other-replica');
    await database.db.deleteFrom('sync_state').where('key', '=', SYNC_LEASE_KEY).execute();
    const next = build(fakeSwitch(cdrs), env);
    await expect(next.sync.runNow()).resolves.toMatchObject({ inserted: 30 - firstTwo });
    expect(await repo.countAll()).toBe(30);
  });

  it('retries a transient failure of a CDR page instead of failing the run', async () => {
    const cdrs = Array.from({ length: 30 }, (_, i) => cdrAt(T0 - 5_000_000 + i * 150_000));
    const transport = fakeSwitch(cdrs);
    const original = fakeSwitch(cdrs);
    let calls = 0;
    transport.on('getAccountCDRs', async (params) => {
      calls += 1;
      if (calls === 3) throw new SippyError('fault', 'fault 500', { faultCode: 500, faultString: 'Database is busy, try again later' });
      if (calls === 5) throw new SippyError('http', 'HTTP 503', { httpStatus: 503 });
      return original.call('getAccountCDRs', params);
    });
    const { sync, repo } = build(transport, {
      SIPPY_SYNC_WINDOW_MINUTES: '20',
      SIPPY_SYNC_PAGE_SIZE: '1000',
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2',
    });
    await expect(sync.runNow()).resolves.toMatchObject({ retries: 2, inserted: 30 });
    expect(await repo.countAll()).toBe(30);
    expect(sync.status()).toMatchObject({ consecutive_failures: 0, last_error: null });
  });

  it('does not retry a permission fault or wrong credentials, and a run that committed nothing backs off', async () => {
    const transport = new FakeXmlRpcTransport().failWith(
      'getAccountCDRs',
      new SippyError('fault', 'fault 403', { faultCode: 403, faultString: 'Access denied: method is not allowed for this user' }),
    );
    transport.on('listAccounts', () => ({ result: 'OK', accounts: [] }));
    const { sync } = build(transport);
    await expect(sync.runNow()).rejects.toMatchObject({ kind: 'fault' });
    expect(transport.callsOf('getAccountCDRs')).toHaveLength(1);
    await expect(sync.runNow()).rejects.toMatchObject({ kind: 'fault' });
    expect(sync.status()).toMatchObject({ consecutive_failures: 2, failures_without_progress: 2 });
  });

  it('on a backlog reads the newest window first, and the cursor still advances only over contiguous windows', async () => {
    const cdrs = Array.from({ length: 40 }, (_, i) => cdrAt(T0 - 7_000_000 + i * 170_000));
    const transport = fakeSwitch(cdrs);
    const original = fakeSwitch(cdrs);
    const starts: number[] = [];
    let fail = true;
    transport.on('getAccountCDRs', async (params) => {
      starts.push(parseSippyTime((params[0] as XmlRpcStruct)['start_date'])!.getTime());
      // The switch breaks for good (not transient) right after the first request of the first run.
      if (fail && starts.length === 2) throw new SippyError('auth', 'rejected the credentials', { httpStatus: 401 });
      return original.call('getAccountCDRs', params);
    });
    const { sync, repo } = build(transport, {
      SIPPY_SYNC_WINDOW_MINUTES: '20',
      SIPPY_SYNC_PAGE_SIZE: '1000',
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2',
    });
    await expect(sync.runNow()).rejects.toMatchObject({ kind: 'auth' });
    expect(starts[0]).toBe(Math.max(...starts)); // the newest window was asked for first
    const newest = await repo.countAll();
    expect(newest).toBeGreaterThan(0); // and its rows are stored already
    const { items } = await repo.list({ limit: 1000 });
    const oldestStored = Math.min(...items.map((c) => Date.parse(c.start_time!)));
    expect(oldestStored).toBeGreaterThanOrEqual(starts[0]);
    // The cursor did not move past the unread windows: the next run reads them all.
    expect(sync.status()).toMatchObject({ rows_total: newest, failures_without_progress: 0 });
    fail = false;
    await sync.runNow();
    const stored = await repo.list({ limit: 1000 });
    const expected = cdrs.filter((c) => parseSippyTime(c['connect_time'])!.getTime() >= T0 - 2 * 3_600_000 - 600_000).length;
    expect(stored.items.length).toBe(expected);
    expect(sync.status().rows_total).toBe(expected);
  });

  describe('for reconciliation', () => {
    it('reads one window like the sync (splitting full pages) and keeps only the CDRs that started in it, storing nothing', async () => {
      const from = T0 - 3_600_000;
      // 25 in the window, one a second before it (the 1 s look-back returns it), one at its end (exclusive)
      const inside = Array.from({ length: 25 }, (_, i) => cdrAt(from + i * 60_000));
      const transport = fakeSwitch([cdrAt(from - 1000), ...inside, cdrAt(T0)]);
      const { sync, repo } = build(transport); // page size 10: the window is split
      const read = await sync.exclusive(() => sync.readSwitchWindow(from, T0));
      expect(read.rows.map((r) => r.cdr.id).sort()).toEqual(inside.map((c) => String(c['i_cdr'] as number)).sort());
      expect(read.requests).toBeGreaterThan(1);
      expect(read.skipped).toBe(0);
      expect(await repo.countAll()).toBe(0);
    });

    it('never overlaps a sync run: an exclusive task waits for the run in progress, and a run asked meanwhile waits for the task', async () => {
      const events: string[] = [];
      let releaseSwitch: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        releaseSwitch = resolve;
      });
      const original = fakeSwitch([cdrAt(T0 - 600_000)]);
      const transport = fakeSwitch([]);
      let first = true;
      transport.on('getAccountCDRs', async (params) => {
        if (first) {
          first = false;
          events.push('sync: switch called');
          await gate;
        }
        return original.call('getAccountCDRs', params);
      });
      const { sync } = build(transport, { SIPPY_SYNC_WINDOW_MINUTES: '1440' });
      const run1 = sync.runNow().then(() => events.push('sync 1 done'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      let run2: Promise<unknown> = Promise.resolve();
      const task = sync.exclusive(async () => {
        events.push('task start');
        run2 = sync.runNow().then(() => events.push('sync 2 done')); // asked while the task runs
        await new Promise((resolve) => setTimeout(resolve, 30));
        events.push('task end');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events).toEqual(['sync: switch called']); // the task waits for the run
      releaseSwitch();
      await Promise.all([run1, task]);
      await run2;
      expect(events).toEqual(['sync: switch called', 'sync 1 done', 'task start', 'task end', 'sync 2 done']);
    });

    it('refuses an exclusive task while another replica holds the sync lease', async () => {
      const { sync } = build(fakeSwitch([]));
      const states = new SyncStateRepository(database);
      expect(await states.tryLease(SYNC_LEASE_KEY, 'other-replica', new Date(T0), 60_000)).toBe(true);
      let ran = false;
      await expect(
        sync.exclusive(async () => {
          ran = true;
          return Promise.resolve();
        }),
      ).rejects.toBeInstanceOf(SyncLeaseHeldError);
      expect(ran).toBe(false);
    });
  });
});


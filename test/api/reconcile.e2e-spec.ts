import { parseSippyTime } from '@velora/sippy';
import { SippySimulator } from '@velora/sippy/simulator';
import type { ReconcileRun, ReconcileWindow } from '@velora/contracts';
import { sql } from 'kysely';
import { rollupApply } from '../../apps/api/src/cdrs/cdr-rollup.sql';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { DatabaseService } from '../../apps/api/src/database/database.service';
import { ReconcileNightlyService } from '../../apps/api/src/reconcile/reconcile-nightly.service';
import { SYNC_LEASE_KEY } from '../../apps/api/src/sync/cdr-sync.service';
import { SyncStateRepository } from '../../apps/api/src/sync/sync-state.repository';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

const PASSWORD = 'reconcile-e2e-Secret-pass';
const HOUR = 3_600_000;
/** 06:30 UTC: the simulator holds 8 hours of traffic, from 22:30 the day before. */
const T0 = Date.UTC(2026, 10, 25, 6, 30, 0);
/** The six closed hours 00:00–06:00 UTC of 25 Nov. */
const FROM = Date.UTC(2026, 10, 25, 0, 0, 0);
const TO = Date.UTC(2026, 10, 25, 6, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join(' | ') : String(message);
}

describeEachDatabase('Reconciliation with the switch', ({ getUrl }) => {
  const clock = new FakeClock(T0);
  let sim: SippySimulator;
  let api: TestApp;

  const connectOf = (raw: Record<string, unknown>): number => parseSippyTime(raw['connect_time'])!.getTime();
  /** The simulator's CDRs that started in [from, to) and are visible now. */
  const switchIds = (from: number, to: number): string[] =>
    sim
      .visibleCdrs()
      .filter((c) => connectOf(c) >= from && connectOf(c) < to)
      .map((c) => String(c['i_cdr']))
      .sort();
  const storedIds = async (from: number, to: number): Promise<string[]> => {
    const rows = await api.app
      .get(DatabaseService)
      .db.selectFrom('cdrs')
      .select('id')
      .where('start_time', '>=', new Date(from))
      .where('start_time', '<', new Date(to))
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id).sort();
  };
  /** Removes CDRs behind the sync's back, as if they had never arrived (rows and their share of the rollups). */
  const loseRows = async (ids: string[]): Promise<void> => {
    const list = sql`(select unnest(${sql.val(ids)}::text[]))`;
    await api.app
      .get(DatabaseService)
      .db.transaction()
      .execute(async (trx) => {
        await rollupApply(sql`(select * from cdrs where id in ${list})`, -1).execute(trx);
        await sql`delete from cdrs where id in ${list}`.execute(trx);
      });
  };
  const windowOf = (run: { windows: readonly ReconcileWindow[] }, start: number): ReconcileWindow => {
    const window = run.windows.find((w) => w.window_start === iso(start));
    if (window === undefined) throw new Error(`no window ${iso(start)}`);
    return window;
  };

  beforeAll(async () => {
    sim = new SippySimulator({
      password: PASSWORD,
      seed: 412,
      historyHours: 8,
      callsPerMinute: 2,
      maxCallSeconds: 1800,
      now: () => clock.now(),
    });
    await sim.start();
    api = await startTestApp(
      {
        DATABASE_URL: getUrl(),
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: PASSWORD,
        SIPPY_SYNC_ENABLED: 'true',
        SIPPY_SYNC_INTERVAL_SECONDS: '86400', // the test drives the runs
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '9',
        SIPPY_SYNC_PAGE_SIZE: '50', // an hour holds ~120 CDRs: the reconciliation splits windows like the sync
        SIPPY_MAX_CALL_SECONDS: '1800',
        SIPPY_SYNC_RETRY_BASE_MS: '1',
        RECONCILE_TIME_ZONE: 'UTC',
        RECONCILE_MAX_RANGE_DAYS: '2',
      },
      { clock },
    );
    await api.http().post('/api/sippy/sync').expect(200);
  });

  afterAll(async () => {
    await api.close();
    await sim.stop();
  });

  it('heals CDRs deleted behind the sync’s back: the set is whole again and the report says how many were healed', async () => {
    const before = await storedIds(FROM, TO);
    expect(before).toEqual(switchIds(FROM, TO)); // the sync stored exactly the switch's set
    expect(before.length).toBeGreaterThan(300);

    // lose 3 CDRs of 01:00–02:00 and 2 of 04:00–05:00
    const lostA = (await storedIds(FROM + HOUR, FROM + 2 * HOUR)).slice(5, 8);
    const lostB = (await storedIds(FROM + 4 * HOUR, FROM + 5 * HOUR)).slice(10, 12);
    await loseRows([...lostA, ...lostB]);
    expect((await storedIds(FROM, TO)).length).toBe(before.length - 5);
    // the sync does not see the gap: its cursor is past these hours
    await api.http().post('/api/sippy/sync').expect(200);
    expect((await storedIds(FROM, TO)).length).toBe(before.length - 5);

    const res = await api
      .http()
      .post('/api/sippy/reconcile')
      .send({ from: iso(FROM), to: iso(TO) })
      .expect(200);
    const run = res.body as ReconcileRun;
    expect(run).toMatchObject({
      from: iso(FROM),
      to: iso(TO),
      status: 'healed',
      healed: 5,
      failed_windows: 0,
      switch_count: before.length,
    });
    expect(run.windows).toHaveLength(6);
    expect(windowOf(run, FROM + HOUR)).toMatchObject({
      status: 'healed',
      healed: 3,
      trigger: 'manual',
      checked_by: 'admin@velora.test',
      error: null,
    });
    expect(windowOf(run, FROM + 4 * HOUR)).toMatchObject({ status: 'healed', healed: 2 });
    for (const w of run.windows) {
      const start = Date.parse(w.window_start);
      expect(w.switch_count).toBe(switchIds(start, start + HOUR).length);
      expect(w.stored_before).toBe(w.switch_count! - w.healed);
      expect(w.stored_after).toBe(w.switch_count);
      if (w.healed === 0) expect(w.status).toBe('complete');
    }

    // the set is whole again
    expect(await storedIds(FROM, TO)).toEqual(before);
    // through the upsert path: the hourly rollups equal a rebuild from the rows
    const repository = api.app.get(CdrRepository);
    const incremental = await repository.rollupRows('daily');
    const incrementalTotals = await repository.rollupRows('totals');
    await repository.rebuildRollups();
    expect(await repository.rollupRows('daily')).toEqual(incremental);
    expect(await repository.rollupRows('totals')).toEqual(incrementalTotals);

    // the report lists the latest check of each hour; a second check finds nothing missing
    const again = await api
      .http()
      .post('/api/sippy/reconcile')
      .send({ from: iso(FROM + HOUR), to: iso(FROM + 2 * HOUR) })
      .expect(200);
    expect(again.body).toMatchObject({
      status: 'complete',
      healed: 0,
      switch_count: lostA.length + windowOf(run, FROM + HOUR).stored_before,
    });
    const report = await api
      .as('agent')
      .get('/api/sippy/reconcile')
      .query({ from: iso(FROM), to: iso(TO) })
      .expect(200);
    const windows = report.body as ReconcileWindow[];
    expect(windows.map((w) => w.window_start)).toEqual(run.windows.map((w) => w.window_start));
    expect(windows.map((w) => [w.status, w.healed])).toEqual([
      ['complete', 0],
      ['complete', 0], // the later check of 01:00 wins
      ['complete', 0],
      ['complete', 0],
      ['healed', 2],
      ['complete', 0],
    ]);

    // audited: who, which range, what came out
    const audit = await api.http().get('/api/audit-log').query({ action: 'sippy.reconcile' }).expect(200);
    const entry = (audit.body as Array<{ actor_email: string; target: string; details: Record<string, unknown> }>).find(
      (e) => e.target === `${iso(FROM)}/${iso(TO)}`,
    );
    expect(entry).toMatchObject({
      actor_email: 'admin@velora.test',
      details: { trigger: 'manual', status: 'healed', healed: 5, windows: 6, failed_windows: 0 },
    });
  });

  it('records a failing switch as failed with its cause, and loses nothing', async () => {
    const lost = (await storedIds(FROM + 2 * HOUR, FROM + 3 * HOUR)).slice(0, 2);
    await loseRows(lost);
    const stored = await storedIds(FROM, TO);
    const storedInHour = (await storedIds(FROM + 2 * HOUR, FROM + 3 * HOUR)).length;
    const refused = sim.faults.refuseMethods('getAccountCDRs');
    try {
      const res = await api
        .http()
        .post('/api/sippy/reconcile')
        .send({ from: iso(FROM + 2 * HOUR), to: iso(FROM + 4 * HOUR) })
        .expect(200);
      const run = res.body as ReconcileRun;
      expect(run).toMatchObject({ status: 'failed', healed: 0, failed_windows: 2, switch_count: 0 });
      const [first, second] = run.windows;
      expect(first).toMatchObject({
        status: 'failed',
        switch_count: null,
        healed: 0,
        stored_before: storedInHour,
        stored_after: storedInHour,
      });
      expect(first.error).toMatch(/^fault: SippySoft answered with an XML-RPC fault 403: Access denied/);
      expect(second.error).toMatch(/^not checked: fault: SippySoft/);
      expect(await storedIds(FROM, TO)).toEqual(stored); // nothing lost, nothing changed
    } finally {
      sim.faults.remove(refused);
    }
    const report = await api
      .as('agent')
      .get('/api/sippy/reconcile')
      .query({ from: iso(FROM + 2 * HOUR), to: iso(FROM + 3 * HOUR) })
      .expect(200);
    expect((report.body as ReconcileWindow[])[0]).toMatchObject({ status: 'failed' });

    // the switch is back: the same hour heals
    const healed = await api
      .http()
      .post('/api/sippy/reconcile')
      .send({ from: iso(FROM + 2 * HOUR), to: iso(FROM + 3 * HOUR) })
      .expect(200);
    expect(healed.body).toMatchObject({ status: 'healed', healed: 2 });
    expect(await storedIds(FROM, TO)).toEqual(switchIds(FROM, TO));
  });

  it('reconciles yesterday at night (the nightly job), as nobody in particular', async () => {
    const run = await api.app.get(ReconcileNightlyService).runNow();
    expect(run).not.toBeNull();
    // yesterday in UTC: 24 Nov, 24 hours; the simulator's traffic starts at 22:30
    expect(run).toMatchObject({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', failed_windows: 0 });
    expect(run!.windows).toHaveLength(24);
    expect(run!.switch_count).toBe(switchIds(Date.UTC(2026, 10, 24), Date.UTC(2026, 10, 25)).length);
    expect(run!.switch_count).toBeGreaterThan(0);
    expect(run!.windows.every((w) => w.trigger === 'nightly' && w.checked_by === null)).toBe(true);
  });

  it('waits for no other replica: 409 while another one holds the sync lease', async () => {
    const states = api.app.get(SyncStateRepository);
    await states.delete(SYNC_LEASE_KEY);
    expect(await states.tryLease(SYNC_LEASE_KEY, 'other-replica', new Date(clock.now()), 60_000)).toBe(true);
    try {
      const res = await api
        .http()
        .post('/api/sippy/reconcile')
        .send({ from: iso(FROM), to: iso(FROM + HOUR) })
        .expect(409);
      expect(messageOf(res.body)).toMatch(/another replica/);
    } finally {
      await states.delete(SYNC_LEASE_KEY);
    }
  });

  it.each([
    ['a range off the hour', { from: '2026-11-25T00:30:00Z', to: iso(TO) }, /from must be a whole hour/],
    ['to before from', { from: iso(TO), to: iso(FROM) }, /to must be later than from/],
    [
      'a range over RECONCILE_MAX_RANGE_DAYS',
      { from: '2026-11-22T00:00:00Z', to: iso(TO) },
      /to must be at most 2 days after from \(RECONCILE_MAX_RANGE_DAYS\)/,
    ],
    ['an hour that is not over yet', { from: iso(TO), to: iso(TO + HOUR) }, /to must not be later than the last whole hour/],
    ['a missing from', { to: iso(TO) }, /from/],
    ['a date that is not ISO 8601', { from: 'yesterday', to: iso(TO) }, /from must be a valid ISO 8601/],
    ['an unknown field', { from: iso(FROM), to: iso(TO), window: 'hour' }, /property window should not exist/],
  ])('400 naming the field for %s', async (_label, body, message) => {
    const res = await api.http().post('/api/sippy/reconcile').send(body).expect(400);
    expect(messageOf(res.body)).toMatch(message);
  });

  it('lets only admins reconcile and signed-in users read the report; the report validates its range', async () => {
    await api
      .as('agent')
      .post('/api/sippy/reconcile')
      .send({ from: iso(FROM), to: iso(TO) })
      .expect(403);
    await api
      .anonymous()
      .get('/api/sippy/reconcile')
      .query({ from: iso(FROM), to: iso(TO) })
      .expect(401);
    const reversed = await api
      .as('agent')
      .get('/api/sippy/reconcile')
      .query({ from: iso(TO), to: iso(FROM) })
      .expect(400);
    expect(messageOf(reversed.body)).toMatch(/to must be later than from/);
    const missing = await api
      .as('agent')
      .get('/api/sippy/reconcile')
      .query({ from: iso(FROM) })
      .expect(400);
    expect(messageOf(missing.body)).toMatch(/to must be a valid ISO 8601/);
  });
});

describe('Reconciliation without a switch', () => {
  it('answers 503 naming the missing configuration', async () => {
    const api = await startTestApp({ DATABASE_URL: 'memory://' });
    try {
      const res = await api
        .http()
        .post('/api/sippy/reconcile')
        .send({ from: '2026-11-24T00:00:00Z', to: '2026-11-24T01:00:00Z' })
        .expect(503);
      expect(messageOf(res.body)).toMatch(/SIPPY_RPC_URL/);
    } finally {
      await api.close();
    }
  });
});

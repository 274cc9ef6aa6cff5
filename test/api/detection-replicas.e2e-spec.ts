import type { DetectionFindingPage, FindingEventData, NotificationPage, VeloraEvent } from '@velora/contracts';
import { makeCdr } from '@velora/sippy/testing';
import { CdrRepository, type CdrUpsertInput } from '../../apps/api/src/cdrs/cdr.repository';
import { DETECTION_LEASE_KEY, DetectionRunner } from '../../apps/api/src/detection/detection-runner.service';
import { CdrSyncService, SYNC_LEASE_KEY } from '../../apps/api/src/sync/cdr-sync.service';
import { SyncStateRepository } from '../../apps/api/src/sync/sync-state.repository';
import type { SseClient } from '../support/sse-client';
import { Replicas, type Replica } from '../support/replicas';
import type { TestApp } from '../support/test-app';
import { isPostgresAvailableSync } from '../support/test-database';

const PASSWORD = 'detection-replicas-Sippy-pass';
const declare = process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync() ? describe : describe.skip;
const HOUR = 3_600_000;
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
let seq = 0;

/** `n` short calls from `caller` to distinct numbers, one per 10 s from `at` (a fan_out burst). */
function burst(caller: string, n: number, at: number): CdrUpsertInput[] {
  return Array.from({ length: n }, (_, i) => {
    seq += 1;
    const start = at + i * 10_000;
    const cdr = makeCdr({
      id: `rep-${String(seq)}`,
      call_id: `rep-${String(seq)}@test`,
      caller,
      callee: `9021266${String(i).padStart(5, '0')}`,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 3000).toISOString(),
      duration: 3,
      account: '3042',
    });
    return { cdr, raw: { i_cdr: cdr.id }, source: 'test' };
  });
}

const findings = (client: SseClient): FindingEventData[] =>
  client.messages.filter((m) => m.event === 'finding').map((m) => (JSON.parse(m.data) as VeloraEvent & { data: FindingEventData }).data);

/**
 * Detection behind two API replicas on ONE PostgreSQL database: only the replica holding the leases detects (the
 * sync leader; and never two runs at once, whatever the sync does), each finding is stored once, and both
 * replicas' event streams deliver it.
 */
declare('detection across two API replicas on one PostgreSQL', () => {
  let replicas: Replicas;
  let a: TestApp;
  let b: TestApp;
  const open = (replica: Replica): Promise<SseClient> => replicas.openStream(replica);
  const stored = async (subject: string): Promise<DetectionFindingPage['items']> =>
    ((await a.http().get('/api/detection/findings').query({ subject, limit: '200' }).expect(200)).body as DetectionFindingPage).items;

  beforeAll(async () => {
    replicas = await Replicas.start({
      switch: { password: PASSWORD, seed: 7, historyHours: 1, callsPerMinute: 1 },
      env: {
        SIPPY_SYNC_ENABLED: 'true',
        SIPPY_SYNC_INTERVAL_SECONDS: '86400',
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '1',
        // runs are started by the test (runNow), not by timers
        DETECTION_ENABLED: 'false',
        DETECTION_TIME_ZONE: 'UTC',
      },
      bAfterFirstSync: true, // a takes the sync lease
    });
    ({ a, b } = replicas);
  });

  afterEach(() => {
    replicas.closeStreams();
  });

  afterAll(async () => {
    await replicas.close();
  });

  it('only the sync leader detects; its new finding reaches the streams of both replicas, once', async () => {
    expect((await b.app.get(CdrSyncService).runNow()).pass).toBe('standby');
    const [onA, onB] = [await open('a'), await open('b')];
    await a.app.get(CdrRepository).upsertMany(burst('905557770001', 40, BASE + 60_000));

    expect(await b.app.get(DetectionRunner).runNow()).toMatchObject({ skipped: 'standby', cdrs: 0, findings: 0 });
    expect(await stored('905557770001')).toEqual([]);
    const run = await a.app.get(DetectionRunner).runNow();
    expect(run.cdrs).toBeGreaterThanOrEqual(40); // the burst and what the sync stored
    expect(run.skipped).toBeUndefined();

    const fan = (await stored('905557770001')).filter((f) => f.rule === 'fan_out');
    expect(fan).toHaveLength(1);
    for (const client of [onA, onB]) {
      await client.next(
        (m) => m.event === 'finding' && (JSON.parse(m.data) as { data: FindingEventData }).data.id === fan[0]?.id,
        10_000,
        'the finding',
      );
    }
    for (const client of [onA, onB]) {
      expect(findings(client).filter((f) => f.rule === 'fan_out')).toEqual([
        {
          id: fan[0]?.id,
          rule: 'fan_out',
          level: 'warn',
          subject: '905557770001',
          reason_en: fan[0]?.reason_en,
          reason_tr: fan[0]?.reason_tr,
        },
      ]);
    }
  });

  it('never runs two detections at once (the detection lease): concurrent runs store each finding once', async () => {
    const states = a.app.get(SyncStateRepository);
    // another process holds the detection lease: neither replica detects
    expect(await states.tryLease(DETECTION_LEASE_KEY, 'someone-else', new Date(), 60_000)).toBe(true);
    await a.app.get(CdrRepository).upsertMany(burst('905557770002', 120, BASE + 60_000));
    expect(await a.app.get(DetectionRunner).runNow()).toMatchObject({ skipped: 'standby', findings: 0 });
    await states.releaseLease(DETECTION_LEASE_KEY, 'someone-else');

    // the sync lease runs out (as when a stalls): b takes it, a has not noticed yet — both think they may detect,
    // the detection lease lets only one run at a time
    await states.delete(SYNC_LEASE_KEY);
    expect((await b.app.get(CdrSyncService).runNow()).pass).not.toBe('standby');
    const onB = await open('b');
    const runs = await Promise.all([a.app.get(DetectionRunner).runNow(), b.app.get(DetectionRunner).runNow()]);
    expect(runs.reduce((n, r) => n + r.cdrs, 0)).toBeGreaterThanOrEqual(120); // the burst and what b's sync stored
    // one run read everything; the other was refused the lease, or came after it and found nothing new
    expect(runs.filter((r) => r.cdrs > 0)).toHaveLength(1);
    const fan = (await stored('905557770002')).filter((f) => f.rule === 'fan_out');
    expect(fan).toHaveLength(1);
    expect(fan[0]).toMatchObject({ level: 'crit', score: 120, cdr_count: 120 });
    await onB.next(
      (m) => m.event === 'finding' && (JSON.parse(m.data) as { data: FindingEventData }).data.id === fan[0]?.id,
      10_000,
      'the finding',
    );
    // announced once (two runs at once would both see it as new and publish it twice)
    const bell = (await b.http().get('/api/notifications').query({ limit: '200' }).expect(200)).body as NotificationPage;
    expect(bell.items.filter((i) => i.type === 'finding' && i.data.id === fan[0]?.id)).toHaveLength(1);
    // and once more each: nothing new
    const again = await Promise.all([a.app.get(DetectionRunner).runNow(), b.app.get(DetectionRunner).runNow()]);
    expect(again.every((r) => r.findings === 0)).toBe(true);
    expect((await stored('905557770002')).filter((f) => f.rule === 'fan_out')).toHaveLength(1);
  });
});

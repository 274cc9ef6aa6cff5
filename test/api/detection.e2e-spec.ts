import type {
  DetectionBacktestResult,
  DetectionCdrFlag,
  DetectionFinding,
  DetectionFindingDetail,
  DetectionFindingPage,
  DetectionListEntry,
  DetectionNumberSummary,
  DetectionRule,
  FindingEventData,
} from '@velora/contracts';
import type { Cdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { SippySimulator } from '@velora/sippy/simulator';
import { CdrRepository, type CdrUpsertInput } from '../../apps/api/src/cdrs/cdr.repository';
import { DetectionRunner } from '../../apps/api/src/detection/detection-runner.service';
import { DetectionRepository } from '../../apps/api/src/detection/detection.repository';
import { CdrSyncService } from '../../apps/api/src/sync/cdr-sync.service';
import { cleanUp } from '../support/clean-up';
import type { StoredEvent } from '../../apps/api/src/events/events.types';
import { EventsService } from '../../apps/api/src/events/events.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

/**
 * Detection end to end: crafted CDRs stored like the sync stores them, the incremental runner, findings through the
 * API and as events, the operator actions (audited), report-only mode, the backtest and bad input.
 */
const HOUR = 3_600_000;
/** The start of an hour two hours ago: every crafted burst lies inside one window of each rule. */
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
let seq = 0;

function row(overrides: Partial<Cdr>): CdrUpsertInput {
  seq += 1;
  const cdr = makeCdr({ id: `det-${String(seq)}`, call_id: `det-${String(seq)}@test`, ...overrides });
  return { cdr, raw: { i_cdr: cdr.id }, source: 'test' };
}

/** `n` calls from `caller` to distinct numbers, short ones, one per 10 s from `at`. */
function fanOut(caller: string, n: number, at: number, account = '1042'): CdrUpsertInput[] {
  return Array.from({ length: n }, (_, i) => {
    const start = at + i * 10_000;
    return row({
      caller,
      callee: `9021277${String(i * 37 + 1000).padStart(5, '0')}`,
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 3000).toISOString(),
      duration: 3,
      account,
    });
  });
}

describeEachDatabase('Detection API', ({ getUrl }) => {
  let api: TestApp;
  let runner: DetectionRunner;
  const published: StoredEvent[] = [];

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: getUrl(), DETECTION_ENABLED: 'false', DETECTION_TIME_ZONE: 'UTC' });
    runner = api.app.get(DetectionRunner);
    api.app.get(EventsService).onPublished((stored) => {
      if (stored.event.type === 'finding') published.push(stored);
    });
  });

  afterAll(async () => {
    await api.close();
  });

  const store = (rows: CdrUpsertInput[]) => api.app.get(CdrRepository).upsertMany(rows);
  const findings = async (query: Record<string, string> = {}): Promise<DetectionFindingPage> =>
    (await api.http().get('/api/detection/findings').query(query).expect(200)).body as DetectionFindingPage;
  const findingData = (): FindingEventData[] => published.map((p) => p.event.data as unknown as FindingEventData);

  it('raises a finding from new CDRs, publishes it once, and a re-run changes nothing', async () => {
    const burst = fanOut('905550000001', 40, BASE + 60_000);
    await store(burst);
    const first = await runner.runNow();
    expect(first.cdrs).toBe(40);

    const page = await findings({ subject: '905550000001' });
    const rules = page.items.map((f) => f.rule).sort();
    // 40 distinct numbers in the hour (fan_out ≥ 30), all answered under 6 s (short_calls 100 %)
    expect(rules).toEqual(expect.arrayContaining(['fan_out', 'short_calls']));
    const fan = page.items.find((f) => f.rule === 'fan_out') as DetectionFinding;
    expect(fan).toMatchObject({ level: 'warn', score: 40, subject_type: 'number', status: 'open', mode: 'active', cdr_count: 40 });
    expect(fan.reason_en).toBe('905550000001 called 40 distinct numbers in 1 h (40 attempts), 100% of answered under 6 s');
    expect(fan.reason_tr).toBe('905550000001 1 sa içinde 40 farklı numarayı aradı (40 deneme), cevaplananların %100 kadarı 6 sn’den kısa');

    const detail = (await api.http().get(`/api/detection/findings/${fan.id}`).expect(200)).body as DetectionFindingDetail;
    expect(detail.cdr_ids.sort()).toEqual(burst.map((r) => r.cdr.id).sort());

    expect(findingData().filter((d) => d.id === fan.id)).toEqual([
      { id: fan.id, rule: 'fan_out', level: 'warn', subject: '905550000001', reason_en: fan.reason_en, reason_tr: fan.reason_tr },
    ]);
    expect(published.find((p) => (p.event.data as unknown as FindingEventData).id === fan.id)?.event.level).toBe('warn');

    // nothing new past the cursor: nothing read, nothing duplicated
    const again = await runner.runNow();
    expect(again).toMatchObject({ cdrs: 0, findings: 0 });
    const before = published.length;
    // the same CDRs stored again (the sync's idempotent upsert) are not new either
    await store(burst);
    expect((await runner.runNow()).cdrs).toBe(0);
    expect(published.length).toBe(before);
    expect((await findings({ subject: '905550000001', rule: 'fan_out' })).items).toHaveLength(1);
  });

  it('updates the same finding when more CDRs of its window arrive, and publishes the escalation to crit once', async () => {
    await store(
      fanOut('905550000001', 70, BASE + 600_000).map((r, i) => ({
        ...r,
        cdr: { ...r.cdr, callee: `9021288${String(i).padStart(5, '0')}` },
      })),
    );
    await runner.runNow();
    const fan = (await findings({ subject: '905550000001', rule: 'fan_out' })).items;
    expect(fan).toHaveLength(1);
    expect(fan[0]).toMatchObject({ level: 'crit', score: 110, cdr_count: 110 });
    expect(
      findingData()
        .filter((d) => d.id === fan[0].id)
        .map((d) => d.level),
    ).toEqual(['warn', 'crit']);
    await runner.runNow();
    expect(findingData().filter((d) => d.id === fan[0].id)).toHaveLength(2);
  });

  it('slides: a burst across the top of the hour (a block boundary before) is one finding', async () => {
    // 18 distinct callees in the 3 min before the hour, 18 in the 3 min after: 36 in 6 min, 18 per clock hour
    const before = fanOut('905550000011', 18, BASE - HOUR - 180_000);
    const after = fanOut('905550000011', 18, BASE - HOUR).map((r, i) => ({
      ...r,
      cdr: { ...r.cdr, callee: `9021299${String(i).padStart(5, '0')}` },
    }));
    await store(before);
    await runner.runNow();
    expect((await findings({ subject: '905550000011', rule: 'fan_out' })).items).toEqual([]);
    await store(after);
    await runner.runNow();
    const fan = (await findings({ subject: '905550000011', rule: 'fan_out' })).items;
    expect(fan).toHaveLength(1);
    expect(fan[0]).toMatchObject({ level: 'warn', score: 36, cdr_count: 36 });
    expect(findingData().filter((d) => d.id === fan[0].id)).toHaveLength(1);
  });

  it('cooldown: repeated bursts of one caller are one finding (last seen, CDRs, count updated) and one notification', async () => {
    const caller = '905550000012';
    const burst = (at: number, block: string) =>
      fanOut(caller, 35, at).map((r, i) => ({ ...r, cdr: { ...r.cdr, callee: `90212${block}${String(i).padStart(5, '0')}` } }));
    await store(burst(BASE - 8 * HOUR, '30'));
    await runner.runNow();
    const first = (await findings({ subject: caller, rule: 'fan_out' })).items;
    expect(first).toHaveLength(1);
    // 70 min later (over the 1 h window, within the cooldown of 3 h set below): the same finding grows
    await api
      .http()
      .put('/api/detection/rules/fan_out')
      .send({ cooldown_seconds: 3 * 3600 })
      .expect(200);
    await store(burst(BASE - 8 * HOUR + 70 * 60_000, '31'));
    await runner.runNow();
    await store(burst(BASE - 8 * HOUR + 140 * 60_000, '32'));
    await runner.runNow();
    const grown = (await findings({ subject: caller, rule: 'fan_out' })).items;
    expect(grown).toHaveLength(1);
    expect(grown[0]).toMatchObject({ id: first[0].id, level: 'warn', score: 35, cdr_count: 105 });
    expect(Date.parse(grown[0].last_seen)).toBe(BASE - 8 * HOUR + 140 * 60_000 + 34 * 10_000);
    expect(grown[0].first_seen).toBe(first[0].first_seen);
    const detail = (await api.http().get(`/api/detection/findings/${grown[0].id}`).expect(200)).body as DetectionFindingDetail;
    expect(detail.cdr_ids).toHaveLength(100); // the newest 100 of 105 are kept
    expect(findingData().filter((d) => d.id === first[0].id)).toHaveLength(1);

    // escalation within the cooldown: the same finding turns critical and is announced once more
    await store(
      fanOut(caller, 110, BASE - 8 * HOUR + 200 * 60_000).map((r, i) => ({
        ...r,
        cdr: { ...r.cdr, callee: `90212330${String(i).padStart(4, '0')}` },
      })),
    );
    await runner.runNow();
    const crit = (await findings({ subject: caller, rule: 'fan_out' })).items;
    expect(crit).toHaveLength(1);
    expect(crit[0]).toMatchObject({ id: first[0].id, level: 'crit', score: 110, cdr_count: 215 });
    expect(
      findingData()
        .filter((d) => d.id === first[0].id)
        .map((d) => d.level),
    ).toEqual(['warn', 'crit']);

    // after the cooldown: a new finding, announced
    await api.http().put('/api/detection/rules/fan_out').send({ cooldown_seconds: 600 }).expect(200);
    await store(burst(BASE - 8 * HOUR + 300 * 60_000, '34'));
    await runner.runNow();
    const again = (await findings({ subject: caller, rule: 'fan_out' })).items;
    expect(again).toHaveLength(2);
    expect(findingData().filter((d) => d.subject === caller && d.rule === 'fan_out')).toHaveLength(3);
    await api.http().put('/api/detection/rules/fan_out').send({ cooldown_seconds: 3600 }).expect(200);
  });

  it('runs the caller-number rules from the store: invalid CLIs and CLI rotation per account (with the source IPs)', async () => {
    const at = BASE - 5 * HOUR;
    // account 5042: 12 calls with caller numbers outside the Turkish numbering plan (no number starts with 901)
    await store(
      Array.from({ length: 12 }, (_, i) =>
        row({
          caller: `9012345${String(i).padStart(5, '0')}`,
          callee: `90212777${String(i).padStart(4, '0')}`,
          start_time: new Date(at + i * 60_000).toISOString(),
          account: '5042',
        }),
      ),
    );
    // account 6042: 60 outgoing calls from 60 distinct valid mobile numbers, through two IPs
    await store(
      Array.from({ length: 60 }, (_, i) =>
        row({
          caller: `90532555${String(i).padStart(4, '0')}`,
          callee: `90212888${String(i).padStart(4, '0')}`,
          start_time: new Date(at + i * 30_000).toISOString(),
          account: '6042',
          remote_ip: `192.0.2.${String(1 + (i % 2))}`,
          direction: 'outbound',
        }),
      ),
    );
    await runner.runNow();
    const invalid = (await findings({ rule: 'cli_validity', subject: '5042' })).items;
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ subject_type: 'account', level: 'warn', score: 12, cdr_count: 12 });
    expect(invalid[0].evidence).toMatchObject({ invalid: 12, by_problem: { unallocated: 12 } });
    expect(invalid[0].reason_tr).toContain('5042 hesabı');
    const rotation = (await findings({ rule: 'cli_rotation', subject: '6042' })).items;
    expect(rotation).toHaveLength(1);
    expect(rotation[0]).toMatchObject({ level: 'warn', score: 60 });
    expect(rotation[0].evidence).toMatchObject({ distinct_clis: 60, remote_ips: 2 });
    const rules = (await api.http().get('/api/detection/rules').expect(200)).body as DetectionRule[];
    expect(rules.map((r) => r.rule)).toEqual(expect.arrayContaining(['cli_validity', 'neighbour_spoofing', 'cli_rotation']));
  });

  it('badges the CDR rows with their findings', async () => {
    const detail = (
      await api
        .http()
        .get(`/api/detection/findings/${(await findings({ rule: 'fan_out' })).items[0].id}`)
        .expect(200)
    ).body as DetectionFindingDetail;
    const ids = [detail.cdr_ids[0], 'no-such-cdr'];
    const flags = (
      await api
        .as('agent')
        .get('/api/detection/cdr-flags')
        .query({ ids: ids.join(',') })
        .expect(200)
    ).body as DetectionCdrFlag[];
    expect(flags).toHaveLength(1);
    expect(flags[0].cdr_id).toBe(detail.cdr_ids[0]);
    expect(flags[0].level).toBe('crit');
    expect(flags[0].findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['fan_out', 'short_calls']));
    expect((await api.http().get('/api/detection/cdr-flags').expect(400)).body.message).toEqual(
      expect.arrayContaining([expect.stringContaining('ids')]),
    );
  });

  it('allow-listed numbers raise nothing; the action is admin-only and audited', async () => {
    await api.as('agent').post('/api/detection/actions/allow-number').send({ number: '905550000002' }).expect(403);
    const entry = (
      await api.http().post('/api/detection/actions/allow-number').send({ number: '+905550000002', note: 'call centre' }).expect(200)
    ).body as DetectionListEntry;
    expect(entry).toMatchObject({
      kind: 'allow_number',
      value: '905550000002',
      note: 'call centre',
      created_by_email: 'admin@velora.test',
    });
    await store(fanOut('905550000002', 40, BASE + 60_000));
    const count = published.length;
    await runner.runNow();
    expect((await findings({ subject: '905550000002' })).items).toEqual([]);
    expect(published.length).toBe(count);
    const audit = (await api.http().get('/api/audit-log').query({ action: 'detection.number_allow_listed' }).expect(200)).body as Array<{
      target: string;
      actor_email: string;
    }>;
    expect(audit[0]).toMatchObject({ target: '905550000002', actor_email: 'admin@velora.test' });
  });

  it('a rule in report-only mode records findings but never publishes them', async () => {
    const rule = (await api.http().put('/api/detection/rules/cpm_caller').send({ mode: 'report_only' }).expect(200)).body as DetectionRule;
    expect(rule).toMatchObject({ rule: 'cpm_caller', mode: 'report_only', customized: true });
    // 25 attempts in one minute from one number
    const flood = Array.from({ length: 25 }, (_, i) =>
      row({
        caller: '905550000003',
        callee: '902121110000',
        start_time: new Date(BASE + 30 * 60_000 + i * 2000).toISOString(),
        duration: 30,
      }),
    );
    await store(flood);
    const count = published.length;
    await runner.runNow();
    const recorded = (await findings({ subject: '905550000003', rule: 'cpm_caller' })).items;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ level: 'warn', mode: 'report_only', score: 25 });
    expect(findingData().filter((d) => d.rule === 'cpm_caller')).toEqual([]);
    expect(published.length).toBe(count);
  });

  it('spam marks and block-listed prefixes feed the rules', async () => {
    await api.http().post('/api/detection/actions/mark-spam').send({ number: '905559990000' }).expect(200);
    await api.http().post('/api/detection/actions/block-prefix').send({ prefix: '99988' }).expect(200);
    await store([
      row({ caller: '905559990000', callee: '902121234567', start_time: new Date(BASE + 5 * 60_000).toISOString() }),
      row({ caller: '902123456700', callee: '9998812345', start_time: new Date(BASE + 6 * 60_000).toISOString() }),
    ]);
    await runner.runNow();
    expect((await findings({ rule: 'marked_number', subject: '905559990000' })).items[0]).toMatchObject({ level: 'warn' });
    const premium = (await findings({ rule: 'premium', subject: '99988' })).items[0];
    expect(premium).toMatchObject({ level: 'crit', subject_type: 'prefix' });
    expect(premium.reason_en).toContain('block-listed prefix 99988');

    const summary = (await api.as('agent').get('/api/detection/numbers/905559990000').expect(200)).body as DetectionNumberSummary;
    expect(summary).toMatchObject({ number: '905559990000', spam_marked: true, allow_listed: false });
    expect(summary.findings.map((f) => f.rule)).toContain('marked_number');

    const lists = (await api.http().get('/api/detection/lists').query({ kind: 'high_risk_prefix' }).expect(200))
      .body as DetectionListEntry[];
    expect(lists.find((e) => e.value === '882')).toMatchObject({ source: 'seed', note: 'International networks' });
    await api.http().delete('/api/detection/lists/block_prefix/99988').expect(204);
    await api.http().delete('/api/detection/lists/block_prefix/99988').expect(404);
  });

  it('links our callbacks to a Wangiri number, and counts the switch’s own rejects per account', async () => {
    const ring = BASE + 40 * 60_000; // a 5-minute window of its own
    const wangiri = Array.from({ length: 22 }, (_, i) =>
      row({
        caller: '23276000111',
        callee: `90212555${String(i).padStart(4, '0')}`,
        direction: 'inbound',
        status: 'cancelled',
        result: 487,
        duration: 0,
        setup_time: new Date(ring + i * 5000).toISOString(),
        start_time: new Date(ring + i * 5000).toISOString(),
        end_time: new Date(ring + i * 5000 + 2000).toISOString(),
        account: null,
      }),
    );
    await store(wangiri);
    await runner.runNow();
    const bait = (await findings({ rule: 'wangiri', subject: '23276000111' })).items;
    expect(bait).toHaveLength(1);
    expect(bait[0]).toMatchObject({ level: 'warn', score: 22 });
    // later, two of our users call it back
    await store([
      row({
        caller: '902123456700',
        callee: '23276000111',
        start_time: new Date(ring + 10 * 60_000).toISOString(),
        duration: 95,
        cost: 4.2,
        currency: 'EUR',
      }),
      row({
        caller: '902123456701',
        callee: '23276000111',
        start_time: new Date(ring + 12 * 60_000).toISOString(),
        duration: 30,
        cost: 1.3,
        currency: 'EUR',
      }),
    ]);
    await runner.runNow();
    const callbacks = (await findings({ rule: 'wangiri_callback', subject: '23276000111' })).items;
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ level: 'warn', score: 2 });
    expect(callbacks[0].evidence).toMatchObject({ callbacks: 2, answered: 2, cost: 5.5, currency: 'EUR', wangiri_finding_id: bait[0].id });
    expect(callbacks[0].reason_en).toContain('2 callbacks to Wangiri number 23276000111 (it rang 22 of our numbers)');

    const rejects = Array.from({ length: 12 }, (_, i) =>
      row({
        account: '2042',
        caller: '903120000000',
        callee: `5399${String(i)}`,
        status: 'rejected',
        result: -21,
        duration: 0,
        start_time: new Date(BASE + 50 * 60_000 + i * 1000).toISOString(),
      }),
    );
    await store(rejects);
    await runner.runNow();
    const probing = (await findings({ rule: 'switch_rejects', subject: '2042' })).items;
    expect(probing[0]).toMatchObject({ level: 'warn', score: 12, subject_type: 'account' });
    expect(probing[0].reason_tr).toContain('12× yasak hedef (-21)');
  });

  it('backtests a rule with changed thresholds over a stored range without saving anything', async () => {
    const from = new Date(BASE).toISOString();
    const to = new Date(BASE + HOUR).toISOString();
    const total = (await findings()).items.length;
    const body = { rule: 'fan_out', from, to, settings: { warn: 10, crit: 20, window_seconds: 600 } };
    const result = (await api.http().post('/api/detection/backtest').send(body).expect(200)).body as DetectionBacktestResult;
    expect(result.settings).toMatchObject({ warn: 10, crit: 20, window_seconds: 600 });
    expect(result.truncated).toBe(false);
    // 905550000001's calls spread over several 10-minute windows, the Wangiri number rang 22 numbers in one (live
    // fan_out warns at 30 in 1 h: neither raised it with the defaults); 905550000002 is allow-listed
    expect(new Set(result.findings.map((f) => f.subject))).toEqual(new Set(['905550000001', '23276000111']));
    expect((await findings({ rule: 'fan_out', subject: '23276000111' })).items).toEqual([]);
    expect(result.findings.every((f) => f.reason_en.includes('in 10 min'))).toBe(true);
    expect(result.counts.crit).toBeGreaterThan(0);
    expect((await findings()).items.length).toBe(total);
    const rules = (await api.http().get('/api/detection/rules').expect(200)).body as DetectionRule[];
    // (the cooldown test saved fan_out's cooldown; the backtest changed nothing)
    expect(rules.find((r) => r.rule === 'fan_out')).toMatchObject({ warn: 30, crit: 100, window_seconds: 3600, cooldown_seconds: 3600 });
  });

  it('rejects bad input with a 400 naming the field, and an unknown rule with a 404', async () => {
    const message = async (res: Promise<{ body: { message: unknown } }>): Promise<string> => JSON.stringify((await res).body.message);
    await api.http().put('/api/detection/rules/no_such_rule').send({ warn: 1 }).expect(404);
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ warn: 0 }).expect(400))).toContain('warn');
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ warn: 50, crit: 40 }).expect(400))).toContain('crit');
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ window_seconds: 10 }).expect(400))).toContain(
      'window_seconds',
    );
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ mode: 'loud' }).expect(400))).toContain('mode');
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ cooldown_seconds: -1 }).expect(400))).toContain(
      'cooldown_seconds must be between 0 and 604800',
    );
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ cooldown_seconds: 1.5 }).expect(400))).toContain(
      'cooldown_seconds',
    );
    expect(await message(api.http().put('/api/detection/rules/fan_out').send({ colour: 'red' }).expect(400))).toContain('colour');
    expect(await message(api.http().post('/api/detection/actions/mark-spam').send({ number: '12ab' }).expect(400))).toContain('number');
    expect(await message(api.http().post('/api/detection/actions/block-prefix').send({ prefix: '+90' }).expect(400))).toContain('prefix');
    expect(await message(api.http().get('/api/detection/numbers/abc').expect(400))).toContain('number');
    expect(await message(api.http().get('/api/detection/findings').query({ level: 'loud' }).expect(400))).toContain('level');
    const backtest = { rule: 'fan_out', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
    expect(await message(api.http().post('/api/detection/backtest').send(backtest).expect(400))).toContain('to must be at most 31 days');
    expect(
      await message(
        api
          .http()
          .post('/api/detection/backtest')
          .send({ ...backtest, rule: 'nope' })
          .expect(400),
      ),
    ).toContain('rule');
    expect(
      await message(
        api
          .http()
          .post('/api/detection/backtest')
          .send({ rule: 'fan_out', from: backtest.from, to: '2026-01-02T00:00:00Z', settings: { min_sample: 0 } })
          .expect(400),
      ),
    ).toContain('min_sample');
  });

  it('pages findings with a keyset cursor', async () => {
    const all = (await findings({ limit: '200' })).items;
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor === null ? {} : { cursor }) };
      const page = await findings(query);
      seen.push(...page.items.map((f) => f.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((f) => f.id));
  });
});

describeEachDatabase('Detection after a CDR sync', ({ getUrl }) => {
  const PASSWORD = 'detect-e2e-Secret-pass';
  let sim: SippySimulator;
  let api: TestApp;

  beforeAll(async () => {
    sim = new SippySimulator({ password: PASSWORD, seed: 11, historyHours: 1, callsPerMinute: 1 });
    await sim.start();
    api = await startTestApp({
      DATABASE_URL: getUrl(),
      SIPPY_RPC_URL: sim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: PASSWORD,
      SIPPY_SYNC_ENABLED: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '86400', // the test drives the runs
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '3',
      SIPPY_SYNC_OVERLAP_SECONDS: '7200', // every run re-reads the last 2 h (the bursts are placed in the last hour)
      DETECTION_ENABLED: 'true',
      DETECTION_INTERVAL_SECONDS: '3600',
      DETECTION_DELAY_SECONDS: '1',
    });
  });

  afterAll(async () => {
    await api.close();
    await cleanUp(sim, (r) => r.stop());
  });

  /** Polls until `subject` has a finding of `rule` (the runner stores one rule's findings after another). */
  async function waitForFinding(subject: string, rule = 'fan_out'): Promise<DetectionFinding[]> {
    for (let i = 0; i < 100; i += 1) {
      const page = (await api.http().get('/api/detection/findings').query({ subject, rule }).expect(200)).body as DetectionFindingPage;
      if (page.items.length > 0) return page.items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no finding for ${subject}`);
  }

  it('the runner follows the sync by itself: a dialler burst on the switch becomes a finding', async () => {
    const start = Math.floor(Date.now() / HOUR) * HOUR - 40 * 60_000;
    for (let i = 0; i < 35; i += 1) {
      sim.addCdr({
        cli: '905557770000',
        cld: `9031255${String(i * 13 + 100).padStart(5, '0')}`,
        connect_time: start + i * 10_000,
        duration: 2,
        result: 0,
      });
    }
    const sync = await api.app.get(CdrSyncService).runNow();
    expect(sync.inserted).toBeGreaterThanOrEqual(35);
    const found = await waitForFinding('905557770000');
    expect(found.find((f) => f.rule === 'fan_out')).toMatchObject({ level: 'warn', score: 35 });
  });

  it('a failing detection never fails or blocks the sync, and catches up afterwards', async () => {
    const repository = api.app.get(DetectionRepository);
    const failing = jest.spyOn(repository, 'newCdrs').mockRejectedValue(new Error('detection store down'));
    try {
      const start = Math.floor(Date.now() / HOUR) * HOUR - 30 * 60_000;
      for (let i = 0; i < 35; i += 1) {
        sim.addCdr({
          cli: '905557770001',
          cld: `9031266${String(i * 13 + 100).padStart(5, '0')}`,
          connect_time: start + i * 10_000,
          duration: 2,
          result: 0,
        });
      }
      const sync = await api.app.get(CdrSyncService).runNow();
      expect(sync.inserted).toBeGreaterThanOrEqual(35);
      await expect(api.app.get(DetectionRunner).runNow()).rejects.toThrow('detection store down');
      expect(api.app.get(CdrSyncService).status().last_error).toBeNull();
    } finally {
      failing.mockRestore();
    }
    await api.app.get(DetectionRunner).runNow();
    expect((await waitForFinding('905557770001')).map((f) => f.rule)).toContain('fan_out');
  });
});

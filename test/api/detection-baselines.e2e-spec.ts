import type { Cdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import type { DetectionFindingPage } from '@velora/contracts';
import { CdrRepository, type CdrUpsertInput } from '../../apps/api/src/cdrs/cdr.repository';
import { DetectionRunner } from '../../apps/api/src/detection/detection-runner.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

/**
 * The baselines of cost_spike (and asr_collapse, night_burst) cover the 7 days before the window, cut to the history
 * the store really holds. A fresh install holds hours: averaging them over 7 days made every account that spent
 * anything look like a spike ("26.69× its usual 1.00 TRY" on the simulator's first hour).
 */
const HOUR = 3_600_000;
const MINUTE = 60_000;
let seq = 0;

function call(account: string, at: number, cost: number): CdrUpsertInput {
  seq += 1;
  const cdr = makeCdr({
    id: `base-${String(seq)}`,
    call_id: `base-${String(seq)}@test`,
    caller: `90532000${String(seq).padStart(4, '0')}`,
    callee: `90212000${String(seq).padStart(4, '0')}`,
    start_time: new Date(at).toISOString(),
    end_time: new Date(at + 60_000).toISOString(),
    duration: 60,
    account,
    cost,
    currency: 'TRY',
  } satisfies Partial<Cdr>);
  return { cdr, raw: { i_cdr: cdr.id }, source: 'test' };
}

/** 12 calls of `account`, one every 2 min from `at`, `cost` each (cost_spike's minimum sample is 10 calls). */
function spend(account: string, at: number, cost: number): CdrUpsertInput[] {
  return Array.from({ length: 12 }, (_, i) => call(account, at + i * 2 * MINUTE, cost));
}

describeEachDatabase('Detection baselines on a young store', ({ getUrl }) => {
  let api: TestApp;
  let runner: DetectionRunner;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: getUrl(), DETECTION_ENABLED: 'false', DETECTION_TIME_ZONE: 'UTC' });
    runner = api.app.get(DetectionRunner);
  });

  afterAll(async () => {
    await api.close();
  });

  const store = (rows: CdrUpsertInput[]) => api.app.get(CdrRepository).upsertMany(rows);
  const costSpikes = async (subject: string) =>
    ((await api.http().get('/api/detection/findings').query({ rule: 'cost_spike', subject }).expect(200)).body as DetectionFindingPage)
      .items;

  it('judges spend only once the store holds a day, against the hours it really covers', async () => {
    const spikeAt = Date.now() - 40 * MINUTE;

    // the first hour of a fresh install: 36 TRY is no spike of anything yet
    await store(spend('acct-first-hour', spikeAt, 3));
    await runner.runNow();
    expect(await costSpikes('acct-first-hour')).toEqual([]);

    // three days of history arrive (a backfill): acct-steady spends 2 TRY every hour
    const history = Array.from({ length: 72 }, (_, k) => call('acct-steady', spikeAt - 3 * HOUR - k * HOUR, 2));
    await store(history);
    await runner.runNow();
    expect(await costSpikes('acct-steady')).toEqual([]);

    // 12 TRY in an hour is 6× its usual 2 TRY over the ~3 days the store covers (averaged over 7 days it would have
    // been ~0.86 TRY/h: "12×")
    await store(spend('acct-steady', spikeAt + MINUTE, 1));
    await runner.runNow();
    const [steady] = await costSpikes('acct-steady');
    expect(steady).toMatchObject({ level: 'warn', subject_type: 'account' });
    expect(steady.score).toBeGreaterThan(5.5);
    expect(steady.score).toBeLessThan(6.5);
    expect(steady.reason_en).toContain('Account acct-steady spent 12.00 TRY in 1 h');
    expect(steady.reason_en).toMatch(/its usual (1\.9\d|2\.00) TRY/);

    // with a day of history behind the window, an account that never spent before is judged against the floor
    await store(spend('acct-new', spikeAt + 2 * MINUTE, 3));
    await runner.runNow();
    const [fresh] = await costSpikes('acct-new');
    expect(fresh).toMatchObject({ level: 'crit', score: 36 });
  });
});

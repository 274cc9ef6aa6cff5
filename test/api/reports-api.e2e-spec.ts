import type { Cdr, RawCdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { sql } from 'kysely';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { DatabaseService } from '../../apps/api/src/database/database.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

/**
 * Reports over a crafted CDR set whose numbers are worked out by hand (docs/reports.md).
 * Istanbul is UTC+3: the local day 2026-11-24 is [2026-11-23T21:00Z, 2026-11-24T21:00Z).
 */
const DAY = { from: '2026-11-24T00:00:00+03:00', to: '2026-11-25T00:00:00+03:00', tz: 'Europe/Istanbul' };

function call(id: string, start: string, overrides: Partial<Cdr>, raw: RawCdr = {}): { cdr: Cdr; raw: RawCdr; source: string } {
  const duration = overrides.duration ?? 0;
  const cdr = makeCdr({
    id,
    start_time: start,
    end_time: new Date(Date.parse(start) + duration * 1000).toISOString(),
    duration,
    billed_duration: 0,
    cost: null,
    currency: null,
    ...overrides,
  });
  return { cdr, raw: { i_cdr: id, ...raw }, source: 'test' };
}

const answered = (d: number, billed: number, cost: number, currency: string): Partial<Cdr> => ({
  status: 'completed', result: 0, sip_code: 200, duration: d, billed_duration: billed, cost, currency,
});
const failed = (status: Cdr['status'], result: number): Partial<Cdr> => ({
  status, result, sip_code: result > 0 ? result : null, duration: 0, billed_duration: 0, cost: 0, currency: 'TRY',
});
const TR = (city: string, account: string, trunk: string | null, caller: string): Partial<Cdr> => ({ country: 'Turkey', country_code: 'TR', city, account, trunk, caller });
const DE = (account: string, trunk: string, caller: string): Partial<Cdr> => ({ country: 'Germany', country_code: 'DE', city: 'Berlin', account, trunk, caller });
const C1 = '905551110001';
const C2 = '905551110002';
const C3 = '905551110003';

const CRAFTED = [
  // 13:00 local: three overlapping answered calls (peak 3 at 10:01:30Z)
  call('A', '2026-11-24T10:00:00.000Z', { ...answered(100, 120, 0.5, 'TRY'), ...TR('Istanbul', '1', 'T1', C1) }, { pdd1xx: 1.5 }),
  call('B', '2026-11-24T10:00:30.000Z', { ...answered(120, 120, 1, 'TRY'), ...TR('Ankara', '1', 'T1', C1) }, { pdd1xx: 2.5 }),
  call('C', '2026-11-24T10:01:30.000Z', { ...answered(30, 60, 0.25, 'USD'), ...DE('2', 'T2', C2), direction: 'inbound' }, { delay: 3 }),
  call('D', '2026-11-24T11:00:00.000Z', { ...failed('busy', 486), ...TR('Istanbul', '1', 'T1', C1) }, { pdd1xx: 1 }),
  call('E', '2026-11-24T12:00:00.000Z', { ...failed('no_answer', 480), ...TR('Istanbul', '2', 'T2', C2) }),
  call('F', '2026-11-24T12:30:00.000Z', { ...failed('failed', 503), ...DE('2', 'T2', C3) }),
  call('G', '2026-11-24T13:00:00.000Z', { ...failed('rejected', -20), ...TR('Istanbul', '1', 'T1', C3), disconnect_reason: 'Insufficient balance' }),
  // result 0 but no talk time: an attempt, not answered, not a user-side failure
  call('H', '2026-11-24T13:30:00.000Z', { ...failed('completed', 0), sip_code: 200, ...TR('Istanbul', '1', 'T1', C3) }),
  // exactly local midnight: inside the day
  call('L', '2026-11-23T21:00:00.000Z', { ...failed('no_answer', 408), ...TR('Izmir', '3', null, C3) }),
  // the previous local day
  call('I', '2026-11-23T10:00:00.000Z', { ...answered(60, 60, 0.5, 'TRY'), ...TR('Istanbul', '1', 'T1', C1) }),
  call('J', '2026-11-23T11:00:00.000Z', { ...failed('busy', 486), ...TR('Istanbul', '1', 'T1', C1) }),
  // the next local day (00:30 on the 25th)
  call('K', '2026-11-24T21:30:00.000Z', { ...answered(60, 60, 0.5, 'TRY'), ...TR('Istanbul', '1', 'T1', C1) }),
];

interface Metrics {
  calls: number;
  answered: number;
  asr: number | null;
  ner: number | null;
  acd: number | null;
  billed_minutes: number;
  cost: { currency: string | null; amount: number }[];
  avg_pdd: number | null;
  peak_concurrent: number;
}
interface Row {
  key: string | null;
  name?: { en: string; tr: string };
  metrics: Metrics;
  filter: Record<string, string> | null;
}

describeEachDatabase('Reports API', ({ getUrl }) => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      DATABASE_URL: getUrl(),
      SIPPY_SIMULATOR: 'off',
      SIPPY_SYNC_ENABLED: 'false',
      REPORT_MAX_RANGE_DAYS: '31',
    });
    await api.app.get(CdrRepository).upsertMany(CRAFTED);
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  /** The CDR list with a row's filter selects exactly the row's calls. */
  async function listCount(filter: Record<string, string> | null): Promise<number> {
    expect(filter).not.toBeNull();
    const res = await api.http().get('/api/sippy/cdrs').query({ ...filter, limit: 1 }).expect(200);
    return Number(res.headers['x-total-count']);
  }

  it('compares the local day with the previous one: calls, ASR, NER, ACD, minutes, cost, PDD, peak', async () => {
    const res = await api.http().get('/api/reports/compare').query(DAY).expect(200);
    expect(res.body.current).toEqual({
      calls: 9,
      answered: 3,
      failed: 6,
      asr: 33.33,
      acd: 83.3,
      ner: 66.67,
      billed_minutes: 5,
      talk_minutes: 4.17,
      cost: [
        { currency: 'TRY', amount: 1.5 },
        { currency: 'USD', amount: 0.25 },
      ],
      avg_pdd: 2,
      peak_concurrent: 3,
    });
    expect(res.body.previous).toEqual({ from: '2026-11-22T21:00:00.000Z', to: '2026-11-23T21:00:00.000Z', tz: 'Europe/Istanbul' });
    expect(res.body.previous_metrics).toMatchObject({ calls: 2, answered: 1, asr: 50, billed_minutes: 1 });
    expect(res.body.delta_pct).toMatchObject({ calls: 350, answered: 200, asr: -33.3 });
    expect(await listCount(res.body.filter)).toBe(9);
    expect(await listCount(res.body.previous_filter)).toBe(2);
  });

  it('hour buckets follow the viewer zone: 24 local hours, the calls in their local hour, concurrency carried', async () => {
    const res = await api.http().get('/api/reports/timeseries').query({ ...DAY, bucket: 'hour' }).expect(200);
    const points = res.body.points as { bucket: string; from: string; to: string; metrics: Metrics; filter: Record<string, string> }[];
    expect(points).toHaveLength(24);
    expect(points[0]).toMatchObject({ bucket: '2026-11-24T00:00:00', from: '2026-11-23T21:00:00.000Z', to: '2026-11-23T22:00:00.000Z' });
    const byHour = Object.fromEntries(points.map((p) => [p.bucket.slice(11, 13), p.metrics]));
    expect(byHour['00']).toMatchObject({ calls: 1, answered: 0, ner: 100 });
    expect(byHour['13']).toMatchObject({ calls: 3, answered: 3, asr: 100, peak_concurrent: 3, billed_minutes: 5 });
    expect(byHour['14']).toMatchObject({ calls: 1, peak_concurrent: 0 });
    expect(byHour['15']).toMatchObject({ calls: 2, answered: 0, ner: 50 });
    expect(points.reduce((n, p) => n + p.metrics.calls, 0)).toBe(9);
    expect(await listCount(points[13].filter)).toBe(3);
  });

  it('day, week (from Monday) and month buckets', async () => {
    const day = await api.http().get('/api/reports/timeseries').query({ ...DAY, bucket: 'day' }).expect(200);
    expect(day.body.points).toHaveLength(1);
    expect(day.body.points[0]).toMatchObject({ bucket: '2026-11-24T00:00:00', metrics: { calls: 9 } });
    const week = await api.http().get('/api/reports/timeseries').query({ ...DAY, bucket: 'week' }).expect(200);
    expect(week.body.points).toHaveLength(1);
    // 2026-11-24 is a Tuesday: its week starts on Monday the 23rd; the range clips the instants
    expect(week.body.points[0]).toMatchObject({ bucket: '2026-11-23T00:00:00', from: '2026-11-23T21:00:00.000Z', metrics: { calls: 9 } });
    const month = await api.http().get('/api/reports/timeseries')
      .query({ from: '2026-11-01T00:00:00+03:00', to: '2026-12-01T00:00:00+03:00', tz: 'Europe/Istanbul', bucket: 'month' }).expect(200);
    expect(month.body.points).toEqual([expect.objectContaining({ bucket: '2026-11-01T00:00:00', metrics: expect.objectContaining({ calls: 12 }) })]);
  });

  it('hour buckets in a half-hour zone (Asia/Kolkata, +05:30) start at :30 UTC', async () => {
    const res = await api.http().get('/api/reports/timeseries')
      .query({ from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z', tz: 'Asia/Kolkata', bucket: 'hour' }).expect(200);
    const points = res.body.points as { bucket: string; from: string; metrics: Metrics }[];
    expect(points[0]).toMatchObject({ bucket: '2026-11-24T05:00:00', from: '2026-11-24T00:00:00.000Z' });
    const p = points.find((x) => x.bucket === '2026-11-24T15:00:00');
    expect(p).toMatchObject({ from: '2026-11-24T09:30:00.000Z', metrics: { calls: 3 } });
  });

  it('breaks down by country, account, trunk, direction and city; each row filters the CDR list to its calls', async () => {
    const country = await api.http().get('/api/reports/breakdown').query({ ...DAY, by: 'country' }).expect(200);
    const rows = country.body.rows as Row[];
    expect(rows.map((r) => [r.key, r.metrics.calls, r.metrics.answered])).toEqual([['TR', 7, 2], ['DE', 2, 1]]);
    expect(rows[0].metrics.cost).toEqual([{ currency: 'TRY', amount: 1.5 }]);
    expect(rows[1].metrics).toMatchObject({ asr: 50, acd: 30, peak_concurrent: 1, avg_pdd: 3 });
    for (const by of ['country', 'city', 'account', 'trunk', 'direction'] as const) {
      const res = await api.http().get('/api/reports/breakdown').query({ ...DAY, by }).expect(200);
      for (const row of res.body.rows as Row[]) {
        if (row.key === null) {
          expect(row.filter).toBeNull();
          continue;
        }
        expect(await listCount(row.filter)).toBe(row.metrics.calls);
      }
    }
    const trunk = await api.http().get('/api/reports/breakdown').query({ ...DAY, by: 'trunk' }).expect(200);
    expect((trunk.body.rows as Row[]).map((r) => [r.key, r.metrics.calls])).toEqual([['T1', 5], ['T2', 3], [null, 1]]);
  });

  it('breaks down failures by cause with names in both languages', async () => {
    const res = await api.http().get('/api/reports/breakdown').query({ ...DAY, by: 'cause' }).expect(200);
    const rows = res.body.rows as Row[];
    expect(rows.map((r) => r.key).sort()).toEqual(['-20', '0', '408', '480', '486', '503']);
    expect(rows.find((r) => r.key === '-20')?.name).toEqual({ en: '-20 Insufficient balance', tr: '-20 Yetersiz bakiye' });
    expect(rows.find((r) => r.key === '486')?.name).toEqual({ en: '486 Busy Here', tr: '486 Meşgul' });
    for (const row of rows) {
      expect(await listCount(row.filter)).toBe(row.metrics.calls);
    }
  });

  it('top callers, callees and destinations by calls, minutes, cost and failures', async () => {
    const calls = await api.http().get('/api/reports/top').query({ ...DAY, by: 'caller', metric: 'calls' }).expect(200);
    expect((calls.body.rows as Row[]).map((r) => [r.key, r.metrics.calls])).toEqual([[C3, 4], [C1, 3], [C2, 2]]);
    const minutes = await api.http().get('/api/reports/top').query({ ...DAY, by: 'caller', metric: 'minutes', limit: 1 }).expect(200);
    expect((minutes.body.rows as Row[]).map((r) => [r.key, r.metrics.billed_minutes])).toEqual([[C1, 4]]);
    const failures = await api.http().get('/api/reports/top').query({ ...DAY, by: 'caller', metric: 'failures' }).expect(200);
    const top = (failures.body.rows as Row[])[0];
    expect(top.key).toBe(C3);
    expect(await listCount(top.filter)).toBe(4);
    const dest = await api.http().get('/api/reports/top').query({ ...DAY, by: 'destination', metric: 'cost' }).expect(200);
    const first = (dest.body.rows as Row[])[0];
    expect(first).toMatchObject({ key: 'TR / Ankara', filter: expect.objectContaining({ country: 'TR', city: 'Ankara' }) });
    expect(await listCount(first.filter)).toBe(1);
  });

  it.each([
    [{ ...DAY, by: 'planet' }, 'breakdown', 'by'],
    [{ ...DAY }, 'breakdown', 'by'],
    [{ ...DAY, bucket: 'minute' }, 'timeseries', 'bucket'],
    [{ ...DAY, by: 'caller', metric: 'love' }, 'top', 'metric'],
    [{ ...DAY, tz: 'Mars/Olympus_Mons' }, 'compare', 'tz'],
    [{ ...DAY, tz: '+03:00' }, 'compare', 'tz'],
    [{ from: DAY.to, to: DAY.from }, 'compare', 'to'],
    [{ from: DAY.from, to: DAY.from }, 'compare', 'to'],
    [{ from: '2026-10-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, 'compare', 'REPORT_MAX_RANGE_DAYS'],
    [{ to: DAY.to }, 'compare', 'from'],
    [{ ...DAY, account: 'x', colour: 'red' }, 'compare', 'colour'],
  ])('400 for %j on %s naming %s', async (query, endpoint, name) => {
    const res = await api.http().get(`/api/reports/${endpoint}`).query(query).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(name);
  });

  it('agrees with the totals rollup (migrations 0008, 0019) on calls, billed minutes and cost per currency', async () => {
    const res = await api.http().get('/api/reports/compare').query(DAY).expect(200);
    const rows = await sql<{ calls: number; billed: number; currency: string; cost: number }>`
      select sum(calls)::float8 as calls, sum(billed_sum)::float8 as billed, currency, sum(cost_sum)::float8 as cost
      from cdr_rollup_hourly_totals where bucket >= ${new Date('2026-11-23T21:00:00Z')} and bucket < ${new Date('2026-11-24T21:00:00Z')}
      group by currency order by currency`.execute(api.app.get(DatabaseService).db);
    const current = res.body.current as Metrics;
    expect(rows.rows.reduce((n, r) => n + r.calls, 0)).toBe(current.calls);
    expect(rows.rows.reduce((n, r) => n + r.billed, 0) / 60).toBe(current.billed_minutes);
    const costs = rows.rows.filter((r) => r.currency !== '' && r.cost !== 0).map((r) => ({ currency: r.currency, amount: r.cost }));
    expect(costs.sort((a, b) => b.amount - a.amount)).toEqual(current.cost);
  });

  it('is documented in Swagger: the four endpoints, their parameters, answers and 400s', async () => {
    const doc = (await api.http().get('/api/docs-json').expect(200)).body as {
      paths: Partial<Record<string, { get?: { parameters?: { name: string }[]; responses: Record<string, unknown> } }>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of ['timeseries', 'breakdown', 'top', 'compare']) {
      const get = doc.paths[`/api/reports/${path}`]?.get;
      expect(get?.responses).toHaveProperty('200');
      expect(get?.responses).toHaveProperty('400');
      expect(get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'tz', 'account', 'trunk', 'result']));
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CompareReportDto', 'ReportMetricsDto', 'TimeseriesReportDto']));
  });

  it('needs a session', async () => {
    await api.anonymous().get('/api/reports/compare').query(DAY).expect(401);
  });
});

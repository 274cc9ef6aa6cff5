import { Logger } from '@nestjs/common';
import type { Cdr, CdrDirection, CdrStatus, RawCdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { sql } from 'kysely';
import { cleanUp } from '../../../../test/support/clean-up';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import { CdrRepository, type CdrUpsertInput } from '../cdrs/cdr.repository';
import type { DatabaseService } from '../database/database.service';
import { BREAKDOWN_DIMENSIONS } from './dto/report-query.dto';
import { toMetrics } from './report-metrics';
import { hourAligned, REPORT_BUCKETS } from './report-time';
import { rollupPlan, RollupReportsSource } from './reports-rollup.source';
import { ReportsRepository, type ReportGroup, type ReportScope } from './reports.repository';

jest.setTimeout(300_000);

/**
 * Differential test (docs/reports.md, *Storage*): on random crafted CDR sets, maintained incrementally through upserts
 * with changes and re-sends, the rollup-backed source and the raw-row source give identical answers for random
 * filters, ranges (on and off the hour), zones (hour-aligned, half-hour, across a DST change) and buckets.
 */

/** Deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Berlin changes to summer time on 2026-03-29 01:00Z: the window crosses it.
const WINDOW_FROM = Date.parse('2026-03-27T00:00:00Z');
const WINDOW_HOURS = 96;
const HOUR = 3_600_000;
const ZONES = ['Europe/Istanbul', 'UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const STATUSES: CdrStatus[] = ['completed', 'busy', 'no_answer', 'failed', 'rejected', 'cancelled'];
const DIRECTIONS: CdrDirection[] = ['outbound', 'inbound', 'internal'];
const RESULTS = [0, 0, 0, 200, 486, 480, 408, 487, 603, 503, 404, -20, null];

function randomCdrs(random: () => number, count: number, prefix: string): CdrUpsertInput[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const out: CdrUpsertInput[] = [];
  for (let i = 0; i < count; i++) {
    // Starts on the hour, on the half hour and anywhere; a few without a start.
    const hour = Math.floor(random() * WINDOW_HOURS);
    const offset = pick([0, 0, 1_800_000, Math.floor(random() * HOUR), HOUR - 1]);
    const start = random() < 0.03 ? null : WINDOW_FROM + hour * HOUR + offset;
    const status = pick(STATUSES);
    const duration = pick([0, 0, 1, 61.5, 0.25, Math.floor(random() * 5000) / 8, Math.round(random() * 1e6) / 1e3, null]);
    const cost = pick([null, 0, 0.0123, 1.5, Math.round(random() * 1e6) / 1e6, Math.round(random() * 1e9) / 1e7]);
    const end = start === null || random() < 0.05 ? null : start + Math.floor(random() * 3 * HOUR) * pick([0, 1, 1, 1]);
    const raw: RawCdr = { i_cdr: `${prefix}${i}` };
    const pddKind = pick(['none', 'pdd1xx', 'delay', 'both', 'string', 'bad', 'zero']);
    if (pddKind === 'pdd1xx' || pddKind === 'both') raw['pdd1xx'] = Math.round(random() * 8000) / 1000;
    if (pddKind === 'delay' || pddKind === 'both') raw['delay'] = Math.round(random() * 40) / 4;
    if (pddKind === 'string') raw['pdd1xx'] = '2.125';
    if (pddKind === 'bad') raw['delay'] = 'n/a';
    if (pddKind === 'zero') raw['pdd1xx'] = 0;
    const cdr: Cdr = makeCdr({
      id: `${prefix}${i}`,
      start_time: start === null ? null : new Date(start).toISOString(),
      end_time: end === null ? null : new Date(end).toISOString(),
      duration,
      billed_duration: pick([null, 0, 60, Math.floor(random() * 600)]),
      status,
      result: pick(RESULTS),
      direction: pick(DIRECTIONS),
      ...pick([
        { country: 'Turkey', country_code: 'TR', city: pick(['Istanbul', 'Ankara', 'istanbul']) },
        { country: 'Germany', country_code: 'DE', city: 'Berlin' },
        { country: 'Atlantis', country_code: null, city: null },
        { country: null, country_code: null, city: null },
      ]),
      account: pick(['1', '2', '3', null]),
      trunk: pick(['T1', 'T2', null]),
      currency: pick(['TRY', 'USD', null]),
      cost,
      caller: pick(['905551110001', '905551110002', '4930123']),
    });
    out.push({ cdr, raw, source: 'test' });
  }
  return out;
}

/** Changes some stored CDRs (status, cost, hour, country, answered-ness) and re-sends others unchanged. */
function changes(random: () => number, stored: CdrUpsertInput[]): CdrUpsertInput[] {
  const out: CdrUpsertInput[] = [];
  for (const input of stored) {
    const r = random();
    if (r < 0.15) {
      out.push(input); // re-sent, unchanged
    } else if (r < 0.3) {
      const start = input.cdr.start_time === null ? null : new Date(Date.parse(input.cdr.start_time) + (random() < 0.5 ? HOUR : -7 * 60_000));
      out.push({
        ...input,
        cdr: {
          ...input.cdr,
          status: random() < 0.5 ? 'completed' : 'busy',
          duration: random() < 0.5 ? 0 : 42.125,
          cost: random() < 0.5 ? null : 0.333333,
          start_time: start === null ? null : start.toISOString(),
          country_code: random() < 0.5 ? 'DE' : input.cdr.country_code,
          result: random() < 0.5 ? 487 : input.cdr.result,
        },
        raw: { ...input.raw, pdd1xx: random() < 0.5 ? 3.5 : null },
      });
    }
  }
  return out;
}

function randomScope(random: () => number): ReportScope {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const onHour = random() < 0.5;
  const fromHour = Math.floor(random() * (WINDOW_HOURS - 2)) - 2;
  const lengthHours = pick([1, 2, 5, 24, 30, 72, 100]);
  const jitter = (): number => (onHour ? 0 : pick([1, 1_800_000, Math.floor(random() * HOUR)]));
  const from = new Date(WINDOW_FROM + fromHour * HOUR + jitter());
  let to = new Date(from.getTime() + lengthHours * HOUR + (onHour ? 0 : pick([-1_700_000, 1, 1_234_567])));
  if (random() < 0.1) to = new Date(from.getTime() + 600_000); // inside one hour
  const scope: ReportScope = { from, to, tz: pick(ZONES) };
  const maybe = <T>(p: number, value: () => T): T | undefined => (random() < p ? value() : undefined);
  scope.status = maybe(0.2, () => (random() < 0.5 ? pick(STATUSES) : [pick(STATUSES), pick(STATUSES)]));
  scope.direction = maybe(0.2, () => pick(DIRECTIONS));
  scope.country = maybe(0.25, () => pick(['TR', 'de', 'Türkiye', 'Germany', 'Atlantis']));
  scope.account = maybe(0.2, () => pick(['1', '2', '9']));
  scope.trunk = maybe(0.2, () => pick(['T1', 'T2']));
  scope.result = maybe(0.15, () => pick([0, 486, 603, -20]));
  scope.answered = maybe(0.15, () => random() < 0.5);
  scope.city = maybe(0.05, () => 'ISTANBUL');
  scope.caller = maybe(0.05, () => '0001');
  scope.peakMaxCalls = maybe(0.3, () => pick([0, 20, 60, 1000]));
  return scope;
}

/** What the API publishes of a group (the metrics as in docs/reports.md) plus the exact sums. */
function published(g: ReportGroup): unknown {
  return { key: g.key, sums: g.sums, metrics: toMetrics(g.sums, g.cost, g.peak) };
}

describeEachDatabase('RollupReportsSource vs ReportsRepository', ({ kind, getUrl }) => {
  let database: DatabaseService;
  let cdrs: CdrRepository;
  let raw: ReportsRepository;
  let rollup: RollupReportsSource;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openDatabaseService(getUrl());
    // Rollup hours are UTC hours whatever the session's zone: every session of this suite runs in a half-hour zone.
    if (kind === 'pglite') {
      await sql`set timezone to 'Asia/Kolkata'`.execute(database.db);
    } else {
      const name = await sql<{ name: string }>`select current_database() as name`.execute(database.db);
      await sql`alter database ${sql.id(name.rows[0]?.name ?? '')} set timezone to 'Asia/Kolkata'`.execute(database.db);
      await database.close();
      database = await openDatabaseService(getUrl());
    }
    const zone = await sql<{ tz: string }>`select current_setting('timezone') as tz`.execute(database.db);
    expect(zone.rows[0]?.tz).toBe('Asia/Kolkata');
    cdrs = new CdrRepository(database);
    raw = new ReportsRepository(database);
    rollup = new RollupReportsSource(database, raw);
  });

  afterAll(async () => {
    await cleanUp(database, (d) => d.close());
  });

  beforeEach(async () => {
    await sql`truncate cdrs, cdr_rollup_hourly_totals, cdr_rollup_daily_totals, cdr_rollup_report_hourly, cdr_rollup_report_hourly_totals, cdr_rollup_report_daily`.execute(
      database.db,
    );
  });

  it.each([11, 23])('gives the raw answers for random filters, ranges, zones and buckets (seed %i)', async (seed) => {
    const random = rng(seed);
    const first = randomCdrs(random, 260, `s${seed}-`);
    await cdrs.upsertMany(first.slice(0, 130));
    await cdrs.upsertMany(first.slice(100)); // overlaps: 30 re-sent
    await cdrs.upsertMany(changes(random, first));
    await cdrs.upsertMany(changes(random, first));

    let fromRollup = 0;
    for (let i = 0; i < 30; i++) {
      const scope = randomScope(random);
      const label = JSON.stringify(scope);
      if (rollupPlan(scope) !== null) fromRollup += 1;
      expect({ label, totals: published(await rollup.totals(scope)) }).toEqual({ label, totals: published(await raw.totals(scope)) });
      for (const by of BREAKDOWN_DIMENSIONS) {
        const [a, b] = await Promise.all([rollup.breakdown(scope, by, 500), raw.breakdown(scope, by, 500)]);
        expect({ label, by, rows: a.map(published) }).toEqual({ label, by, rows: b.map(published) });
      }
      const bucket = REPORT_BUCKETS[i % REPORT_BUCKETS.length] ?? 'day';
      const [a, b] = await Promise.all([rollup.timeseries(scope, bucket), raw.timeseries(scope, bucket)]);
      const point = (g: ReportGroup & { start: Date; end: Date }): unknown => ({ ...(published(g) as object), start: g.start, end: g.end });
      expect({ label, bucket, aligned: hourAligned(scope.tz, scope.from, scope.to), points: a.map(point) }).toEqual({
        label,
        bucket,
        aligned: hourAligned(scope.tz, scope.from, scope.to),
        points: b.map(point),
      });
    }
    // The comparison means something only if most scopes were really answered from the rollup.
    expect(fromRollup).toBeGreaterThanOrEqual(12);
  });

  it('keeps the reports rollup equal to a rebuild after a chaos of upserts, changes and re-sends', async () => {
    const random = rng(7);
    const stored = randomCdrs(random, 400, 'c-');
    for (let i = 0; i < stored.length; i += 37) {
      await cdrs.upsertMany(stored.slice(i, i + 37));
      await cdrs.upsertMany(changes(random, stored.slice(0, i)));
    }
    // A rolled-back batch leaves no trace.
    await database.db
      .transaction()
      .execute(async (trx) => {
        await cdrs.upsertMany(changes(random, stored), trx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const fine = await cdrs.reportRollupRows();
    const totals = await cdrs.reportRollupRows('totals');
    const daily = await cdrs.reportRollupRows('daily');
    const dated = stored.filter((s) => s.cdr.start_time !== null).length;
    expect(fine.reduce((n, r) => n + Number(r['calls']), 0)).toBe(dated);
    expect(totals.reduce((n, r) => n + Number(r['calls']), 0)).toBe(dated);
    expect(daily.reduce((n, r) => n + Number(r['calls']), 0)).toBe(dated);
    await cdrs.rebuildRollups();
    expect(await cdrs.reportRollupRows('daily')).toEqual(daily);
    expect(await cdrs.reportRollupRows()).toEqual(fine);
    expect(await cdrs.reportRollupRows('totals')).toEqual(totals);
  });
});

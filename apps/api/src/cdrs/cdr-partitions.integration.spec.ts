import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Cdr } from '@velora/sippy';
import { sql, type Kysely } from 'kysely';
import { makeCdr } from '../../../../libs/sippy/testing/cdr.factory';
import { cleanUp } from '../../../../test/support/clean-up';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import type { Database } from '../database/database.types';
import { MIGRATIONS } from '../database/migrations';
import { migrateToLatest } from '../database/migrator';
import type { CdrSyncService } from '../sync/cdr-sync.service';
import { CdrPartitionsRepository } from './cdr-partitions.repository';
import { CdrPartitionsService } from './cdr-partitions.service';
import { CdrRepository, type CdrUpsertInput } from './cdr.repository';

jest.setTimeout(120_000);

beforeAll(() => {
  Logger.overrideLogger(false);
});

function cdrAt(start: string, overrides: Partial<Cdr> = {}): CdrUpsertInput {
  const cdr = makeCdr({ start_time: start, end_time: new Date(Date.parse(start) + 90_000).toISOString(), ...overrides });
  return { cdr, raw: { i_cdr: cdr.id, pdd1xx: 1.25 }, source: 'sippy' };
}

/** A few CDRs in each of several months (two accounts, two statuses), plus an undated one. */
function dataset(months: readonly string[]): CdrUpsertInput[] {
  const rows: CdrUpsertInput[] = [];
  for (const month of months) {
    for (let i = 0; i < 6; i++) {
      rows.push(
        cdrAt(`${month}-0${String(1 + i)}T1${String(i)}:2${String(i)}:00.000Z`, {
          account: i % 2 === 0 ? '7' : '8',
          status: i % 3 === 0 ? 'busy' : 'completed',
          duration: i % 3 === 0 ? 0 : 60 + i,
          cost: 0.1 * i,
        }),
      );
    }
  }
  rows.push(cdrAt('2026-11-24T10:00:00.000Z', { start_time: null, end_time: null }));
  return rows;
}

async function allRollups(repository: CdrRepository): Promise<unknown[]> {
  return [
    await repository.rollupRows('totals'),
    await repository.rollupRows('daily'),
    await repository.reportRollupRows('fine'),
    await repository.reportRollupRows('totals'),
    await repository.reportRollupRows('daily'),
  ];
}

async function storedRows(db: Kysely<Database>): Promise<unknown[]> {
  const result = await sql`select *, raw::text as raw from cdrs order by id`.execute(db);
  return result.rows;
}

async function relkind(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ relkind: string }>`select relkind::text as relkind from pg_class where oid = 'cdrs'::regclass`.execute(db);
  return result.rows[0]?.relkind ?? '?';
}

async function indexDefs(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ def: string }>`
    select replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ') as def from pg_index where indrelid = 'cdrs'::regclass`.execute(db);
  return result.rows.map((r) => r.def).sort();
}

function service(database: DatabaseService, now: string, retentionDays?: number): CdrPartitionsService {
  const sync = { exclusive: <T>(task: () => Promise<T>) => task() } as unknown as CdrSyncService;
  const config = { cdrStore: { retentionDays, partitionMonthsAhead: 3 } } as unknown as AppConfig;
  const clock: Clock = { now: () => Date.parse(now) };
  return new CdrPartitionsService(new CdrPartitionsRepository(database), sync, config, clock, {} as SchedulerRegistry);
}

describeEachDatabase('migration 0023 (monthly CDR partitions)', ({ kind, getUrl }) => {
  let database: DatabaseService;

  afterAll(async () => {
    await cleanUp(database, (d) => d.close());
  });

  it('converts a populated table on PostgreSQL 15+: identical rows, indexes and rollups (PGlite keeps the plain table)', async () => {
    database = new DatabaseService({ url: getUrl(), dataDir: 'unused' });
    const before0023 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0023'));
    await migrateToLatest(database.db, before0023);
    await new CdrRepository(database).upsertMany(dataset(['2026-09', '2026-10', '2026-11']));
    const rows = await storedRows(database.db);
    const rollups = await allRollups(new CdrRepository(database));
    const indexes = (await indexDefs(database.db)).filter((def) => !def.includes('cdrs_pkey'));

    expect((await migrateToLatest(database.db)).applied).toContain('0023-cdrs-monthly-partitions');

    const repository = new CdrRepository(database);
    expect(await relkind(database.db)).toBe(kind === 'postgres' ? 'p' : 'r');
    expect(await storedRows(database.db)).toEqual(rows);
    expect(await allRollups(repository)).toEqual(rollups);
    await repository.rebuildRollups();
    expect(await allRollups(repository)).toEqual(rollups);
    const after = await indexDefs(database.db);
    // every index of 0001/0002/0008/0017 (and any later one) is on the new table; the key contains start_time
    expect(after.filter((def) => !def.includes('cdrs_id_start_time_key') && !def.includes('cdrs_pkey'))).toEqual(indexes);
    expect(after.some((def) => def.includes(kind === 'postgres' ? 'cdrs_id_start_time_key' : 'cdrs_pkey'))).toBe(true);
    if (kind === 'postgres') {
      const parts = await new CdrPartitionsRepository(database).monthPartitions();
      expect(parts.map((p) => p.name)).toEqual(expect.arrayContaining(['cdrs_p2026_09', 'cdrs_p2026_10', 'cdrs_p2026_11']));
      const placed = await sql<{ part: string; n: number }>`
        select tableoid::regclass::text as part, count(*)::int as n from cdrs group by 1 order by 1`.execute(database.db);
      expect(placed.rows).toEqual([
        { part: 'cdrs_default', n: 1 },
        { part: 'cdrs_p2026_09', n: 6 },
        { part: 'cdrs_p2026_10', n: 6 },
        { part: 'cdrs_p2026_11', n: 6 },
      ]);
    }
    // the upsert works on the new shape: a re-send changes nothing, a change counts as updated
    const again = dataset(['2026-12']);
    await expect(repository.upsertMany(again)).resolves.toEqual({ inserted: 7, updated: 0 });
    await expect(repository.upsertMany(again)).resolves.toEqual({ inserted: 0, updated: 0 });
  });
});

describeEachDatabase('CdrPartitionsService and retention', ({ kind, getUrl }) => {
  let database: DatabaseService;
  let repository: CdrRepository;

  beforeAll(async () => {
    database = await openDatabaseService(getUrl());
    repository = new CdrRepository(database);
  });

  afterAll(async () => {
    await cleanUp(database, (d) => d.close());
  });

  it('creates the current month and 3 ahead, and splits a backfilled month out of the default partition', async () => {
    const report = await service(database, '2027-02-10T12:00:00Z').maintain(Date.parse('2027-02-10T12:00:00Z'));
    const partitions = new CdrPartitionsRepository(database);
    if (kind === 'pglite') {
      expect(report).toMatchObject({ shape: 'plain', created: [], split: [], dropped: [] });
      return;
    }
    // the migration created the months ahead of the real date; this run adds what the later date needs
    expect(report.created).toContain('cdrs_p2027_05');
    const names = (await partitions.monthPartitions()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['cdrs_p2027_02', 'cdrs_p2027_03', 'cdrs_p2027_04', 'cdrs_p2027_05']));

    // a backfill of a month without a partition lands in the default partition, then gets its own
    await repository.upsertMany(dataset(['2025-03']));
    const inDefault = await sql<{ n: number }>`select count(*)::int as n from cdrs_default where start_time is not null`.execute(database.db);
    expect(inDefault.rows[0]?.n).toBe(6);
    const rollups = await allRollups(repository);
    const split = await service(database, '2027-02-10T12:00:00Z').maintain(Date.parse('2027-02-10T12:00:00Z'));
    expect(split.split).toEqual(['cdrs_p2025_03']);
    const placed = await sql<{ n: number }>`select count(*)::int as n from cdrs_p2025_03`.execute(database.db);
    expect(placed.rows[0]?.n).toBe(6);
    const left = await sql<{ n: number }>`select count(*)::int as n from cdrs_default where start_time is not null`.execute(database.db);
    expect(left.rows[0]?.n).toBe(0);
    expect(await allRollups(repository)).toEqual(rollups);
    // the split partition is a real one: the parent's indexes were built on it when it was attached
    const idx = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where tablename = 'cdrs_p2025_03'`.execute(database.db);
    expect(idx.rows[0]?.n).toBeGreaterThanOrEqual(10);
  });

  it('counts a row whose start moves to another month once, keeps its first_seen_at and the rollups exact', async () => {
    const first = cdrAt('2026-11-30T23:59:00.000Z');
    await expect(repository.upsertMany([first])).resolves.toEqual({ inserted: 1, updated: 0 });
    const seen = await database.db.selectFrom('cdrs').select('first_seen_at').where('id', '=', first.cdr.id).executeTakeFirstOrThrow();
    const seenText = async () => (await sql<{ t: string }>`select first_seen_at::text as t from cdrs where id = ${first.cdr.id}`.execute(database.db)).rows;
    const exact = await seenText(); // microseconds, which a JS Date does not hold
    const moved: CdrUpsertInput = { ...first, cdr: { ...first.cdr, start_time: '2026-12-01T00:01:00.000Z' } };
    await expect(repository.upsertMany([moved])).resolves.toEqual({ inserted: 0, updated: 1 });
    await expect(repository.upsertMany([moved])).resolves.toEqual({ inserted: 0, updated: 0 });
    const copies = await database.db.selectFrom('cdrs').select(['start_time', 'first_seen_at']).where('id', '=', first.cdr.id).execute();
    expect(copies).toEqual([{ start_time: new Date('2026-12-01T00:01:00.000Z'), first_seen_at: seen.first_seen_at }]);
    expect(await seenText()).toEqual(exact);
    const incremental = await allRollups(repository);
    await repository.rebuildRollups();
    expect(await allRollups(repository)).toEqual(incremental);
  });

  it('retention drops whole old months, keeps the rollups, ignores re-reads of dropped windows; the list total starts at the horizon', async () => {
    await repository.upsertMany(dataset(['2026-09', '2026-10', '2026-11']));
    await repository.rebuildRollups();
    const rollups = await allRollups(repository);
    const now = '2026-12-04T08:00:00Z';
    // 40 days before now is 2026-10-25: October is the oldest month kept, everything before goes
    const report = await service(database, now, 40).maintain(Date.parse(now));
    expect(report.horizon).toBe('2026-10-01T00:00:00.000Z');
    if (kind === 'postgres') {
      // March 2025 has its own partition (split above): dropped whole; September 2026 had none (the migration ran on
      // an empty table in December), so its rows were in the default partition: deleted there
      expect(report.dropped).toEqual(['cdrs_p2025_03']);
      expect(report.deleted).toBe(6);
      expect(report.split).toEqual(['cdrs_p2026_10', 'cdrs_p2026_11']);
      const names = (await new CdrPartitionsRepository(database).monthPartitions()).map((p) => p.name);
      expect(names.filter((n) => n < 'cdrs_p2026_10')).toEqual([]);
    } else {
      expect(report.deleted).toBeGreaterThanOrEqual(6);
    }
    const oldest = await sql<{ t: Date | null }>`select min(start_time) as t from cdrs`.execute(database.db);
    expect(oldest.rows[0]?.t?.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-10-01T00:00:00Z'));
    expect(await allRollups(repository)).toEqual(rollups);

    // a re-read of a dropped window stores nothing and adds nothing to the rollups
    await expect(repository.upsertMany(dataset(['2026-09']).slice(0, 6))).resolves.toEqual({ inserted: 0, updated: 0 });
    expect(await allRollups(repository)).toEqual(rollups);
    // the rebuild starts at the horizon: the kept rollups of the dropped months stay
    await repository.rebuildRollups();
    expect(await allRollups(repository)).toEqual(rollups);
    // the list total counts what the list can show
    const page = await repository.list({ limit: 1 });
    expect(page.total).toBe(await repository.countAll());
    // … also from a date before the horizon, through the daily + hourly split (a bound off the day, an hour one)
    const horizon = new Date('2026-10-01T00:00:00Z');
    const to = new Date('2026-11-03T13:00:00Z');
    const ranged = await repository.list({ limit: 1, from: new Date('2026-09-02T05:00:00Z'), to });
    expect(ranged).toMatchObject({ total: await repository.countStartedIn(horizon, to), total_exact: true });
    expect(ranged.total).toBeGreaterThan(0);
    const busy = await repository.list({ limit: 1, from: new Date('2026-09-02T05:00:00Z'), to, status: 'busy' });
    const busyRows = await database.db.selectFrom('cdrs').select('id').where('status', '=', 'busy').where('start_time', '>=', horizon).where('start_time', '<', to).execute();
    expect(busy).toMatchObject({ total: busyRows.length, total_exact: true });
    // the rollups still answer for the dropped months (summary), the list total does not count them
    expect((await repository.summary({ from: new Date('2026-09-01T00:00:00Z'), to: horizon })).calls).toBe(6);
    await expect(repository.list({ limit: 1, from: new Date('2026-09-01T00:00:00Z'), to: horizon })).resolves.toMatchObject({ total: 0, items: [] });
    // a second run with the same setting does nothing more; a later horizon never moves back
    const again = await service(database, now, 400).maintain(Date.parse(now));
    expect(again).toMatchObject({ dropped: [], deleted: 0, horizon: '2026-10-01T00:00:00.000Z' });
  });
});

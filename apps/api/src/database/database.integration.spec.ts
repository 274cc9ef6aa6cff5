import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AbortedTransactionError, sql, type Kysely, type Migration } from 'kysely';
import { Client } from 'pg';
import {
  TEST_POSTGRES_ADMIN_URL,
  describeEachDatabase,
  isPostgresAvailableSync,
  openDatabaseService,
} from '../../../../test/support/test-database';
import { CdrRepository } from '../cdrs/cdr.repository';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { createDatabase } from './database.factory';
import { DatabaseModule } from './database.module';
import { DatabaseService } from './database.service';
import type { Database } from './database.types';
import { DatabaseConfigError } from './errors/database-config.error';
import { MigrationFailedError } from './errors/migration-failed.error';
import { MIGRATIONS } from './migrations';
import { isTrigramInstalled } from './migrations/0002-cdrs-trigram-indexes.migration';
import { migrateToLatest } from './migrator';
import { cleanUp } from '../../../../test/support/clean-up';

jest.setTimeout(60_000);

beforeAll(() => {
  Logger.overrideLogger(false);
});

const ALL_MIGRATIONS = [
  '0001-create-cdrs',
  '0002-cdrs-trigram-indexes',
  '0003-create-sync-state',
  '0004-create-auth',
  '0005-create-rate-limits',
  '0006-users-oidc-identity',
  '0008-cdr-country-code-and-rollups',
  '0010-create-saved-views',
  '0011-create-integration-settings',
  '0012-create-cdr-reconciliations',
  '0014-create-events',
  '0016-create-insights',
  '0017-create-detection',
  '0018-cdr-report-rollups',
  '0019-cdr-rollup-daily-totals',
  '0021-detection-cooldown',
  '0022-detection-account-sources',
  '0023-cdrs-monthly-partitions',
];

async function indexNames(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ indexname: string }>`
    select indexname from pg_indexes where tablename = 'cdrs' order by indexname
  `.execute(db);
  return result.rows.map((r) => r.indexname);
}

describeEachDatabase('database', ({ kind, getUrl }) => {
  let db: Kysely<Database>;

  beforeAll(() => {
    db = createDatabase({ url: getUrl(), dataDir: 'unused' }).db;
  });

  afterAll(async () => {
    await cleanUp(db, (r) => r.destroy());
  });

  it('applies every migration once; a second run is a no-op', async () => {
    await expect(migrateToLatest(db)).resolves.toEqual({ applied: ALL_MIGRATIONS });
    await expect(migrateToLatest(db)).resolves.toEqual({ applied: [] });
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(recorded.rows.map((r) => r.name)).toEqual(ALL_MIGRATIONS);
  });

  it('creates the list/filter indexes, including trigram indexes where pg_trgm exists', async () => {
    await migrateToLatest(db);
    const names = await indexNames(db);
    expect(names).toEqual(
      expect.arrayContaining([
        // PostgreSQL 15+: the partitioned table's key contains the partition key (migration 0023)
        kind === 'postgres' ? 'cdrs_id_start_time_key' : 'cdrs_pkey',
        'cdrs_start_time_id_idx',
        'cdrs_status_start_time_idx',
        'cdrs_direction_start_time_idx',
        'cdrs_country_start_time_idx',
        'cdrs_country_code_start_time_idx',
        'cdrs_caller_pattern_idx',
        'cdrs_callee_pattern_idx',
      ]),
    );
    // Both servers used here ship pg_trgm (PGlite via its contrib bundle).
    await expect(isTrigramInstalled(db)).resolves.toBe(true);
    expect(names).toEqual(expect.arrayContaining(['cdrs_caller_trgm_idx', 'cdrs_callee_trgm_idx']));
  });

  it('reads every type the same way on both drivers', async () => {
    const result = await sql<Record<string, unknown>>`
      select 5::int8 as int8, count(*) as count, 7::int4 as int4, 2.5::float8 as float8, 1.10::numeric as numeric,
             avg(x) as avg_int, '2026-11-24T10:03:12.345Z'::timestamptz as timestamptz, '2026-11-24'::date as date,
             '2026-11-24 10:03:12'::timestamp as timestamp, '{"a":[1,"b",null]}'::jsonb as jsonb, true as bool,
             null::text as nothing
      from (values (1), (2)) v(x)
    `.execute(db);
    expect(result.rows[0]).toStrictEqual({
      int8: 5,
      count: 2,
      int4: 7,
      float8: 2.5,
      numeric: '1.10',
      avg_int: '1.5000000000000000',
      timestamptz: new Date('2026-11-24T10:03:12.345Z'),
      date: '2026-11-24',
      timestamp: '2026-11-24 10:03:12',
      jsonb: { a: [1, 'b', null] },
      bool: true,
      nothing: null,
    });
  });

  it('refuses int8 values that a JS number cannot hold', async () => {
    await expect(sql`select 9007199254740993::int8 as x`.execute(db)).rejects.toThrow(/outside the JS safe integer range/);
    // The connection is still usable afterwards.
    await expect(sql<{ x: number }>`select 1::int8 as x`.execute(db)).resolves.toMatchObject({ rows: [{ x: 1 }] });
  });

  it('reports a failed migration by name and rolls the whole run back', async () => {
    await migrateToLatest(db);
    const createsThenFails: Migration = {
      async up(trx: Kysely<unknown>) {
        await sql`create table half_done (id int)`.execute(trx);
        throw new Error('boom');
      },
    };
    const never: Migration = {
      async up(trx: Kysely<unknown>) {
        await sql`create table never_created (id int)`.execute(trx);
      },
    };
    const error = await migrateToLatest(db, { ...MIGRATIONS, '0900-broken': createsThenFails, '0901-after': never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationFailedError);
    const failure = error as MigrationFailedError;
    expect(failure.failed).toEqual(['0900-broken']);
    expect(failure.notExecuted).toEqual(['0901-after']);
    expect(failure.message).toBe('Database migration failed: 0900-broken: boom; not executed: 0901-after');
    const tables = await sql<{ n: number }>`
      select count(*) as n from information_schema.tables where table_name in ('half_done', 'never_created')
    `.execute(db);
    expect(tables.rows[0]?.n).toBe(0);
    await expect(migrateToLatest(db)).resolves.toEqual({ applied: [] });
  });

  it('refuses to commit a transaction in which a statement failed', async () => {
    await migrateToLatest(db);
    const run = db.transaction().execute(async (trx) => {
      await sql`insert into sync_state (key, state) values ('aborted', '{}')`.execute(trx);
      await sql`select 1 / 0`.execute(trx).catch(() => undefined); // swallowed: the transaction is aborted
    });
    await expect(run).rejects.toBeInstanceOf(AbortedTransactionError);
    const rows = await db.selectFrom('sync_state').select('key').where('key', '=', 'aborted').execute();
    expect(rows).toEqual([]);
  });

  it(`DatabaseService reports its kind (${kind}), pings, and closes idempotently`, async () => {
    const service = await openDatabaseService(getUrl());
    expect(service.kind).toBe(kind);
    await expect(service.ping()).resolves.toBeUndefined();
    await service.close();
    await service.close();
    await expect(service.ping()).rejects.toThrow();
  });
});

describe('PGlite', () => {
  describe('single connection', () => {
    let service: DatabaseService;
    let repository: SyncStateRepository;

    beforeAll(async () => {
      service = await openDatabaseService('memory://');
      repository = new SyncStateRepository(service);
    });

    afterAll(async () => {
      await cleanUp(service, (r) => r.close());
    });

    it('gives a transaction the only connection: other queries wait and then see committed rows', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const entered = new Promise<void>((resolve) => (inside = resolve));
      const transaction = service.transaction(async (trx) => {
        await repository.save('k', { v: 1 }, trx);
        inside();
        await gate;
      });
      await entered;
      let outsideResult: unknown = 'pending';
      const outside = repository.get('k').then((value) => (outsideResult = value));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(outsideResult).toBe('pending'); // waiting for the connection, not reading uncommitted data
      release();
      await transaction;
      await outside;
      expect(outsideResult).toEqual({ v: 1 });
    });

    it('runs concurrent transactions one after the other (no lost update)', async () => {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          service.transaction(async (trx) => {
            const current = (await repository.get<number>('counter', trx)) ?? 0;
            await new Promise((resolve) => setTimeout(resolve, 1));
            await repository.save('counter', current + 1, trx);
          }),
        ),
      );
      await expect(repository.get<number>('counter')).resolves.toBe(10);
    });
  });

  it('keeps data in <dataDir>/pglite across restarts (DatabaseModule.forRootAsync)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'velora-pglite-'));
    try {
      @Injectable()
      class FakeConfig {
        readonly database = { url: undefined, dataDir: join(dataDir, 'nested') };
      }
      @Module({ providers: [FakeConfig], exports: [FakeConfig] })
      class FakeConfigModule {}

      const first = await Test.createTestingModule({
        imports: [
          DatabaseModule.forRootAsync({
            imports: [FakeConfigModule],
            inject: [FakeConfig],
            useFactory: (config: FakeConfig) => config.database,
          }),
        ],
      }).compile();
      await first.init(); // onModuleInit migrates
      const service = first.get(DatabaseService);
      expect(service.kind).toBe('pglite');
      expect(service.description).toBe(`PGlite ${join(dataDir, 'nested', 'pglite')}`);
      await new SyncStateRepository(service).save('persisted', { ok: true });
      await first.close(); // onApplicationShutdown closes PGlite
      await expect(service.ping()).rejects.toThrow();
      expect((await stat(join(dataDir, 'nested', 'pglite'))).isDirectory()).toBe(true);

      const reopened = await openDatabaseService(undefined, join(dataDir, 'nested'));
      try {
        await expect(new SyncStateRepository(reopened).get('persisted')).resolves.toEqual({ ok: true });
        await expect(reopened.migrate()).resolves.toEqual({ applied: [] });
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails module start-up with a config error for an unsupported URL, without the password', async () => {
    const compile = Test.createTestingModule({
      imports: [DatabaseModule.forRoot({ url: 'mysql://root:hunter2@db/velora', dataDir: 'unused' })],
    }).compile();
    const error = await compile.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseConfigError);
    expect((error as Error).message).toContain('mysql://root:***@db/velora');
    expect((error as Error).message).not.toContain('hunter2');
  });
});

(isPostgresAvailableSync() ? describe : describe.skip)('PostgreSQL without the right to create pg_trgm', () => {
  const suffix = `${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const role = `velora_test_role_${suffix}`;
  const database = `velora_test_noext_${suffix}`;

  async function admin<T>(dbName: string, fn: (client: Client) => Promise<T>): Promise<T> {
    const url = new URL(TEST_POSTGRES_ADMIN_URL);
    url.pathname = `/${dbName}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin('postgres', async (c) => {
      await c.query(`create role ${role} login`);
      await c.query(`create database ${database}`);
      await c.query(`revoke create on database ${database} from public`);
    });
    await admin(database, (c) => c.query(`grant create, usage on schema public to ${role}`));
  });

  afterAll(async () => {
    await admin('postgres', async (c) => {
      await c.query(`drop database if exists ${database} with (force)`);
      await c.query(`drop role if exists ${role}`);
    });
  });

  it('still migrates, skipping the trigram indexes, and substring search still works', async () => {
    const url = new URL(TEST_POSTGRES_ADMIN_URL);
    url.username = role;
    url.pathname = `/${database}`;
    const service = await openDatabaseService(url.toString());
    try {
      await expect(isTrigramInstalled(service.db)).resolves.toBe(false);
      const names = await indexNames(service.db);
      expect(names).toContain('cdrs_caller_pattern_idx');
      expect(names).not.toContain('cdrs_caller_trgm_idx');
      const repository = new CdrRepository(service);
      await repository.upsertMany([
        {
          source: 'sippy',
          raw: {},
          cdr: {
            id: '1',
            call_id: null,
            caller: '442071234567',
            callee: null,
            start_time: null,
            end_time: null,
            setup_time: null,
            duration: null,
            billed_duration: null,
            status: 'unknown',
            result: null,
            sip_code: null,
            disconnect_reason: null,
            release_source: null,
            direction: 'unknown',
            country: null,
            country_code: null,
            city: null,
            cost: null,
            currency: null,
            trunk: null,
            codec: null,
            account: null,
            remote_ip: null,
          },
        },
      ]);
      await expect(repository.list({ caller: '2071' })).resolves.toMatchObject({ total: 1 });
    } finally {
      await service.close();
    }
  });
});

describeEachDatabase('migration 0008 (country codes of existing rows)', ({ getUrl }) => {
  it("takes the code from the raw record's country_iso, white space around it or not, else from a two-letter country", async () => {
    const { db } = createDatabase({ url: getUrl(), dataDir: 'unused' });
    try {
      const upTo0006 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0008'));
      await migrateToLatest(db, upTo0006);
      const cdr = (id: string, country: string | null, raw: Record<string, unknown>) =>
        sql`insert into cdrs (id, source, start_time, status, direction, country, raw)
          values (${id}, 'sippy', '2026-11-24T09:50:00Z', 'completed', 'outbound', ${country}, ${JSON.stringify(raw)}::jsonb)`;
      await cdr('plain', 'Turkey', { country_iso: 'tr' }).execute(db);
      await cdr('padded', 'Germany', { country_iso: ' de\t' }).execute(db);
      await cdr('s-prefixed', null, { country_iso: 'sTR' }).execute(db);
      await cdr('name-only', ' fr ', {}).execute(db);
      await cdr('none', 'Narnia', { country_iso: 'NAR' }).execute(db);
      await migrateToLatest(db);
      const rows = await sql<{ id: string; country_code: string | null }>`select id, country_code from cdrs order by id`.execute(db);
      expect(rows.rows).toEqual([
        { id: 'name-only', country_code: 'FR' },
        { id: 'none', country_code: null },
        { id: 'padded', country_code: 'DE' },
        { id: 'plain', country_code: 'TR' },
        { id: 's-prefixed', country_code: null },
      ]);
    } finally {
      await db.destroy();
    }
  });
});

describeEachDatabase('migration 0019 (rollup daily totals)', ({ getUrl }) => {
  it('drops the full-key rollup, recomputes hourly totals cut off a UTC hour, and fills the daily totals', async () => {
    const { db } = createDatabase({ url: getUrl(), dataDir: 'unused' });
    try {
      const upTo0018 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0019'));
      await migrateToLatest(db, upTo0018);
      const cdr = (id: string, start: string, status: string, cost: number | null) =>
        sql`insert into cdrs (id, source, start_time, setup_time, duration, billed_duration, status, direction, country_code, currency, cost, raw)
          values (${id}, 'sippy', ${start}, ${start}::timestamptz - interval '3 seconds', 60, 60, ${status}, 'outbound', 'TR', 'USD', ${cost}, '{}')`;
      await cdr('1', '2026-11-24T09:50:00Z', 'completed', 0.5).execute(db);
      await cdr('2', '2026-11-24T10:10:00Z', 'busy', null).execute(db);
      await cdr('3', '2026-11-25T01:00:00Z', 'completed', 0.25).execute(db);
      // What 0008 wrote on a server in a +05:30 zone: buckets on local hours, half past the UTC hour.
      await sql`delete from cdr_rollup_hourly_totals`.execute(db);
      await sql`insert into cdr_rollup_hourly_totals (bucket, country_code, status, direction, currency, calls)
        values ('2026-11-24T09:30:00Z', 'TR', 'completed', 'outbound', 'USD', 1), ('2026-11-24T09:30:00Z', 'TR', 'busy', 'outbound', 'USD', 1)`.execute(db);
      expect((await migrateToLatest(db)).applied).toContain('0019-cdr-rollup-daily-totals');

      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_name like 'cdr_rollup_%' order by 1`.execute(db);
      expect(tables.rows.map((r) => r.name)).not.toContain('cdr_rollup_hourly');
      const hourly = await sql<{ bucket: Date; status: string; calls: number; pdd_count: number; cost_sum: number }>`
        select bucket, status, calls, pdd_count, cost_sum from cdr_rollup_hourly_totals order by bucket, status`.execute(db);
      expect(hourly.rows).toEqual([
        { bucket: new Date('2026-11-24T09:00:00Z'), status: 'completed', calls: 1, pdd_count: 1, cost_sum: 0.5 },
        { bucket: new Date('2026-11-24T10:00:00Z'), status: 'busy', calls: 1, pdd_count: 1, cost_sum: 0 },
        { bucket: new Date('2026-11-25T01:00:00Z'), status: 'completed', calls: 1, pdd_count: 1, cost_sum: 0.25 },
      ]);
      const daily = await sql<{ bucket: Date; status: string; calls: number; cost_sum: number }>`
        select bucket, status, calls, cost_sum from cdr_rollup_daily_totals order by bucket, status`.execute(db);
      expect(daily.rows).toEqual([
        { bucket: new Date('2026-11-24T00:00:00Z'), status: 'busy', calls: 1, cost_sum: 0 },
        { bucket: new Date('2026-11-24T00:00:00Z'), status: 'completed', calls: 1, cost_sum: 0.5 },
        { bucket: new Date('2026-11-25T00:00:00Z'), status: 'completed', calls: 1, cost_sum: 0.25 },
      ]);
      // And what the migration left equals a rebuild from the rows.
      const service = await openDatabaseService(getUrl());
      try {
        const repository = new CdrRepository(service);
        const before = [await repository.rollupRows('totals'), await repository.rollupRows('daily')];
        await repository.rebuildRollups();
        expect([await repository.rollupRows('totals'), await repository.rollupRows('daily')]).toEqual(before);
      } finally {
        await service.close();
      }
    } finally {
      await db.destroy();
    }
  });
});

/**
 * `npx tsx bench/cdr-partitions.ts` — migration 0023 and retention on PostgreSQL, in one run on one throw-away
 * database: the conversion of a populated plain `cdrs` into monthly partitions (the time the table stays locked)
 * against the baseline of the same copy into a plain table with the same indexes; then retention of one month by
 * dropping its partition against deleting its rows in batches of 5,000 (what a plain table does).
 *
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); BENCH_PARTITIONS_ROWS (default 1000000) rows
 * over the last 90 days. The database is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { sql } from 'kysely';
import { DatabaseService } from '../apps/api/src/database/database.service';
import { MIGRATIONS } from '../apps/api/src/database/migrations';
import { rebuildCdrs } from '../apps/api/src/database/migrations/0023-cdrs-monthly-partitions.migration';
import { migrateToLatest } from '../apps/api/src/database/migrator';
import { CdrPartitionsRepository } from '../apps/api/src/cdrs/cdr-partitions.repository';

const SERVER = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env['BENCH_PARTITIONS_ROWS'] ?? 1_000_000);

async function main(): Promise<void> {
  const name = `velora_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = new DatabaseService({ url: url.toString(), dataDir: 'unused' });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
  try {
    const db = database.db;
    await migrateToLatest(db, Object.fromEntries(Object.entries(MIGRATIONS).filter(([n]) => n < '0023')));
    out(`bench:partitions ${String(ROWS)} rows (${String(cpus().length)} cores, ${String(Math.round(totalmem() / 2 ** 30))} GiB, ${new Date().toISOString()})`);
    const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    let t = performance.now();
    await sql`
      insert into cdrs (id, caller, callee, start_time, end_time, duration, status, direction, country_code, cost, currency, account, raw)
      select lpad(i::text, 12, '0'), '90532' || (i % 9999999)::text, '4420' || (i % 7777777)::text,
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '90 days',
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '90 days' + ((i % 600) || ' s')::interval,
        i % 600, (array['completed','busy','no_answer','failed'])[i % 4 + 1], 'outbound', 'TR', (i % 600) * 0.0001, 'USD',
        (1000 + i % 50)::text, jsonb_build_object('i_cdr', i)
      from generate_series(1, ${ROWS}) as i`.execute(db);
    await sql`analyze cdrs`.execute(db);
    out(`generate: ${seconds(t)} s`);

    t = performance.now();
    await db.transaction().execute((trx) => rebuildCdrs(trx as never, 'plain'));
    out(`| rebuild ${String(ROWS)} rows | baseline: plain table, same indexes | ${seconds(t)} s |`);
    t = performance.now();
    await db.transaction().execute((trx) => rebuildCdrs(trx as never, 'partitioned'));
    out(`| rebuild ${String(ROWS)} rows | migration 0023: monthly partitions | ${seconds(t)} s |`);

    const partitions = new CdrPartitionsRepository(database);
    const oldest = (await partitions.monthPartitions()).at(0);
    if (oldest === undefined) throw new Error('no partition');
    const next = new Date(Date.UTC(oldest.from.getUTCFullYear(), oldest.from.getUTCMonth() + 1, 1));
    const count = await sql<{ n: string }>`select count(*)::text as n from cdrs where start_time < ${next}`.execute(db);
    const monthRows = count.rows[0]?.n ?? '?';
    t = performance.now();
    await partitions.dropMonth(oldest.name);
    out(`| retention of one month (${monthRows} rows) | drop partition | ${seconds(t)} s |`);
    await db.transaction().execute((trx) => rebuildCdrs(trx as never, 'plain'));
    // the plain table's retention of the next month, as on PGlite / PostgreSQL < 15
    const after = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1));
    const count2 = await sql<{ n: string }>`select count(*)::text as n from cdrs where start_time < ${after}`.execute(db);
    t = performance.now();
    const deleted = await partitions.deleteBefore(after, 5000);
    out(`| retention of one month (${count2.rows[0]?.n ?? '?'} rows) | baseline: batched delete (${String(deleted)} rows) | ${seconds(t)} s |`);
  } finally {
    await database.close().catch(() => undefined);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

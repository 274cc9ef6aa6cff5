/**
 * `npm run bench:pg` — CDR store on PostgreSQL: list, totals, 30-day summary, the reports over 30 days and ingest,
 * new (rollup, capped count, rollup-backed reports) side by side with the baseline (exact count(*), raw aggregate,
 * raw-row reports, upsert without rollup maintenance), in one run on one throw-away database.
 *
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server to create the
 * database on; BENCH_CDRS or BENCH_PG_ROWS (default 1000000; 10000000 is opt-in) rows are generated with
 * generate_series over the last 30 days (secondary indexes dropped during the insert and built after). `npm run bench`
 * runs this file with --if-requested: only when BENCH_CDRS is set. BENCH_PG_RUNS (30) timed runs per fast case, BENCH_PG_RAW_RUNS (3) per
 * raw-row report. The database is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { sql } from 'kysely';
import { makeCdr } from '../libs/sippy/testing/cdr.factory';
import { CdrRepository, cdrChunkJson, cdrUpsertQuery, type CdrListFilter, type CdrUpsertInput } from '../apps/api/src/cdrs/cdr.repository';
import { CdrPartitionsRepository } from '../apps/api/src/cdrs/cdr-partitions.repository';
import { legacyUpsertChunk } from './legacy-cdr-upsert';
import { DatabaseService } from '../apps/api/src/database/database.service';
import { RollupReportsSource } from '../apps/api/src/reports/reports-rollup.source';
import { ReportsRepository, type ReportScope, type ReportsSource } from '../apps/api/src/reports/reports.repository';

const SERVER = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** `npm run bench` runs this file only when BENCH_CDRS is set (e.g. 10000000); `npm run bench:pg` always. */
const REQUESTED = process.env['BENCH_CDRS'];
const ROWS = Number(REQUESTED ?? process.env['BENCH_PG_ROWS'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_PG_RUNS'] ?? 30);
const RAW_RUNS = Number(process.env['BENCH_PG_RAW_RUNS'] ?? 3);
const DAY = 86_400_000;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return { p50: pct(samples, 50), p99: pct(samples, 99) };
}

const lines: string[] = [];
function row(what: string, variant: string, r: { p50: number; p99: number }): void {
  const line = `| ${what} | ${variant} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`;
  lines.push(line);
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--if-requested') && REQUESTED === undefined) {
    process.stdout.write('bench:pg skipped (set BENCH_CDRS, e.g. BENCH_CDRS=10000000, to run the list/report/ingest benchmark on PostgreSQL)\n');
    return;
  }
  const name = `velora_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    process.stdout.write(`bench:pg skipped: PostgreSQL not reachable (${error instanceof Error ? error.message : String(error)})\n`);
    return;
  }
  await admin.query(`create database ${name}`);
  // Index builds after a bulk insert are much faster than index upkeep per row (10M rows with the trigram indexes).
  await admin.query(`alter database ${name} set maintenance_work_mem = '512MB'`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = new DatabaseService({ url: url.toString(), dataDir: 'unused' });
  try {
    await database.migrate();
    const db = database.db;
    const repository = new CdrRepository(database);
    const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    process.stdout.write(`bench:pg ${ROWS} rows into ${name} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB)\n`);
    let t = performance.now();
    // Set-based generation: drop the secondary indexes, insert with generate_series, build them again.
    const indexes = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes
      where tablename = 'cdrs' and indexname not in (select conname from pg_constraint where conrelid = 'cdrs'::regclass)`.execute(db);
    for (const index of indexes.rows) await sql`drop index ${sql.ref(index.indexname)}`.execute(db);
    await sql`
      insert into cdrs (id, caller, callee, start_time, end_time, setup_time, duration, billed_duration, status, result, direction,
        country, country_code, city, cost, currency, trunk, account, raw)
      select lpad(i::text, 12, '0'), '90532' || (i % 9999999)::text, '4420' || (i % 7777777)::text,
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days',
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days' + ((i % 600) || ' s')::interval,
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days' - ((i % 7) || ' s')::interval,
        case when i % 10 < 6 then i % 600 else 0 end, case when i % 10 < 6 then i % 600 else 0 end,
        (array['completed','completed','completed','completed','completed','completed','busy','no_answer','failed','rejected'])[i % 10 + 1],
        (array[0, 200, 0, 0, 0, 0, 486, 480, 503, 603])[i % 10 + 1],
        (array['outbound','outbound','inbound','internal'])[i % 4 + 1],
        (array['TURKEY','GERMANY','UNITED KINGDOM','FRANCE','NETHERLANDS','UNITED STATES','RUSSIA'])[i % 7 + 1],
        (array['TR','DE','GB','FR','NL','US','RU'])[i % 7 + 1],
        (array['Istanbul','Berlin','London','Paris','Amsterdam','New York','Moscow','Ankara','Hamburg','Leeds','Lyon'])[i % 11 + 1],
        (i % 600) * 0.0001, (array['USD','USD','USD','EUR'])[i % 4 + 1], 'trunk-' || (i % 5)::text, (1000 + i % 50)::text,
        case when i % 3 = 0 then jsonb_build_object('pdd1xx', (i % 70) / 10.0) else '{}'::jsonb end
      from generate_series(1, ${ROWS}) as i`.execute(db);
    const inserted = performance.now() - t;
    // PostgreSQL 15+ (migration 0023): the months before the migration's landed in the default partition; give them
    // their own partitions as CdrPartitionsService does.
    const partitions = new CdrPartitionsRepository(database);
    const shape = await partitions.shape();
    if (shape === 'partitioned') for (const month of await partitions.defaultMonths()) await partitions.splitMonth(month);
    for (const index of indexes.rows) await sql.raw(index.indexdef.replace(/ ON ONLY /, ' ON ')).execute(db);
    lines.push(`generate ${ROWS} rows (${shape} table): ${((performance.now() - t) / 1000).toFixed(1)} s (insert ${(inserted / 1000).toFixed(1)} s, ${indexes.rows.length} indexes after)`);
    t = performance.now();
    await repository.rebuildRollups();
    lines.push(`rollups:rebuild: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await sql`analyze`.execute(db);
    process.stdout.write(`${lines.join('\n')}\n`);
    // BENCH_PG_INGEST_ONLY=1: only the ingest cases (after the generation, on the same table).
    if (process.env['BENCH_PG_INGEST_ONLY'] !== '1') {
      lines.push('', '| case | variant | p50 ms | p99 ms |', '| --- | --- | --- | --- |');

      const list = (f: CdrListFilter) => () => repository.list({ limit: 100, countCap: 10_000, ...f });
      const exactCount = (where: ReturnType<typeof sql>) => async () => {
        await sql`select * from cdrs where ${where} order by start_time desc nulls last, id desc limit 100`.execute(db);
        await sql`select count(*) from cdrs where ${where}`.execute(db);
      };
      row('list limit=100', 'rollup total', await time(RUNS, list({})));
      row('list limit=100', 'baseline exact count(*)', await time(Math.min(RUNS, 10), exactCount(sql`true`)));
      // Issue #10's setting: 10 clients asking at once (each client one request after the other).
      const concurrent = async (clients: number, perClient: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> => {
        await fn();
        const samples: number[] = [];
        await Promise.all(Array.from({ length: clients }, async () => {
          for (let i = 0; i < perClient; i++) {
            const t0 = performance.now();
            await fn();
            samples.push(performance.now() - t0);
          }
        }));
        return { p50: pct(samples, 50), p99: pct(samples, 99) };
      };
      row('list limit=100, 10 concurrent clients', 'rollup total', await concurrent(10, RUNS, list({})));
      row('list status=failed&country=TR', 'rollup total', await time(RUNS, list({ status: 'failed', country: 'TR' })));
      row('list status=failed&country=TR', 'baseline exact count(*)', await time(Math.min(RUNS, 10), exactCount(sql`status = 'failed' and country_code = 'TR'`)));
      row('list caller=90532 (capped count)', 'cap 10,000', await time(RUNS, list({ caller: '90532' })));
      const deep = await repository.list({ limit: 100, offset: 0 });
      let cursor = deep.next_cursor ?? undefined;
      for (let i = 0; i < 50 && cursor !== undefined; i++) {
        cursor = (await repository.list({ limit: 100, cursor })).next_cursor ?? undefined;
      }
      row('list page 51 (keyset cursor)', 'cursor=', await time(RUNS, () => repository.list({ limit: 100, cursor, countCap: 10_000 })));
      row('list page 51 (offset 5000)', 'offset=', await time(RUNS, list({ offset: 5000 })));
      const from = new Date(now - 30 * DAY + 1234);
      const to = new Date(now - 1234);
      row('summary 30 days', 'rollup + raw edges', await time(RUNS, () => repository.summary({ from, to })));
      row('summary 30 days', 'baseline raw aggregate', await time(3, () =>
        sql`select count(*), count(*) filter (where status = 'completed'), avg(duration) filter (where status = 'completed'),
              sum(duration), currency, sum(cost), status, direction from cdrs where start_time >= ${from} and start_time < ${to}
            group by currency, status, direction`.execute(db)));

      // Reports over 30 days (off the hour: raw edge hours), raw rows vs the rollup, the way ReportsService calls them.
      const raw = new ReportsRepository(database);
      const rollup = new RollupReportsSource(database, raw);
      // The rollup source as the API runs it (peak swept only up to REPORT_PEAK_MAX_CALLS calls, default 200,000); the
      // baseline as the reports were before: raw rows, peak always swept.
      const PEAK_MAX = Number(process.env['REPORT_PEAK_MAX_CALLS'] ?? 200_000);
      const scope: ReportScope = { from, to, tz: 'Europe/Istanbul', peakMaxCalls: PEAK_MAX };
      const baseline: ReportsSource = {
        totals: (s) => raw.totals({ ...s, peakMaxCalls: undefined }),
        breakdown: (s, by, limit) => raw.breakdown({ ...s, peakMaxCalls: undefined }, by, limit),
        top: (s, by, metric, limit) => raw.top({ ...s, peakMaxCalls: undefined }, by, metric, limit),
        timeseries: (s, bucket) => raw.timeseries({ ...s, peakMaxCalls: undefined }, bucket),
      };
      const reports: [string, (source: ReportsSource) => Promise<unknown>][] = [
        ['compare (totals of 30 days + the 30 before)', (s) => Promise.all([s.totals(scope), s.totals({ ...scope, from: new Date(from.getTime() - 30 * DAY), to: from })])],
        ['timeseries bucket=day', (s) => s.timeseries(scope, 'day')],
        ['timeseries bucket=hour', (s) => s.timeseries(scope, 'hour')],
        ['breakdown by=country', (s) => s.breakdown(scope, 'country', 50)],
        ['breakdown by=account', (s) => s.breakdown(scope, 'account', 50)],
        ['breakdown by=trunk', (s) => s.breakdown(scope, 'trunk', 50)],
        ['breakdown by=direction', (s) => s.breakdown(scope, 'direction', 50)],
        ['breakdown by=cause', (s) => s.breakdown(scope, 'cause', 50)],
        ['breakdown by=country, status=completed&trunk=trunk-1', (s) => s.breakdown({ ...scope, status: 'completed', trunk: 'trunk-1' }, 'country', 50)],
      ];
      // BENCH_PG_RAW_RUNS=0 (for 10M rows, where one raw report takes minutes): the baseline of the first report and the
      // peak sweep are timed once, without a warm-up; the others are left out.
      const once = async (fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> => {
        const t0 = performance.now();
        await fn();
        const ms = performance.now() - t0;
        return { p50: ms, p99: ms };
      };
      for (const [i, [what, run]] of reports.entries()) {
        row(`report 30 days: ${what}`, 'rollup + raw edges', await time(RUNS, () => run(rollup)));
        if (RAW_RUNS > 0) row(`report 30 days: ${what}`, 'baseline raw rows + peak', await time(RAW_RUNS, () => run(baseline)));
        else if (i === 0) row(`report 30 days: ${what}`, 'baseline raw rows + peak (1 run)', await once(() => run(baseline)));
      }
      row('report 30 days: peak concurrent alone (the baseline sweeps it in every report)', 'raw sweep', RAW_RUNS > 0 ? await time(RAW_RUNS, () => raw.peaks(scope, sql`'all'`)) : await once(() => raw.peaks(scope, sql`'all'`)));
      const day = { ...scope, from: new Date(now - DAY), to: new Date(now - 1234) };
      row('report 1 day: compare, peak swept (scope < REPORT_PEAK_MAX_CALLS)', 'rollup + raw edges + peak', await time(RUNS, () =>
        Promise.all([rollup.totals({ ...day, peakMaxCalls: undefined }), rollup.totals({ ...day, peakMaxCalls: undefined, from: new Date(now - 2 * DAY), to: day.from })])));
      row('report 30 days: top callers (always raw rows)', 'raw rows', RAW_RUNS > 0 ? await time(RAW_RUNS, () => rollup.top(scope, 'caller', 'calls', 10)) : await once(() => rollup.top(scope, 'caller', 'calls', 10)));
      const size = await sql<{ cdrs: string; fine: string; coarse: string }>`
        select (select count(*) from cdrs)::text as cdrs, (select count(*) from cdr_rollup_report_hourly)::text as fine,
          (select count(*) from cdr_rollup_report_hourly_totals)::text as coarse`.execute(db);
      lines.push('', `rows: cdrs ${size.rows[0]?.cdrs}, cdr_rollup_report_hourly ${size.rows[0]?.fine}, cdr_rollup_report_hourly_totals ${size.rows[0]?.coarse}`);
    }

    // Ingest, rollup maintenance vs the same upsert without it, and the upsert as it was before the chunk travelled
    // as one JSON parameter ("before": bench/legacy-cdr-upsert.ts, a `values` list of bound parameters planned for
    // every chunk). Each round: 10 chunks of BENCH_PG_INGEST_CHUNK (500) new CDRs the way a sync window brings them
    // (consecutive minutes, the generator's dimensions), then the same 10 chunks re-sent unchanged (the sync's
    // overlapping re-reads). The "without rollup" baseline is what `upsertMany` runs per chunk minus the rollup: the
    // `for update` lock of the ids and the same `insert … on conflict do update … where changed returning` statement,
    // one transaction per call. Rounds rotate the order of the variants so load changes hit all alike.
    const CHUNK = Number(process.env['BENCH_PG_INGEST_CHUNK'] ?? 500);
    let seq = 0;
    const chunk = (): CdrUpsertInput[] =>
      Array.from({ length: CHUNK }, () => {
        const i = ++seq;
        const cdr = makeCdr({
          id: `ingest-${i}`,
          start_time: new Date(now - 6 * 3_600_000 + i * 1_200).toISOString(),
          status: (['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'busy', 'no_answer', 'failed', 'rejected'] as const)[i % 10],
          result: [0, 200, 0, 0, 0, 0, 486, 480, 503, 603][i % 10],
          direction: (['outbound', 'outbound', 'inbound', 'internal'] as const)[i % 4],
          country_code: ['TR', 'DE', 'GB', 'FR', 'NL', 'US', 'RU'][i % 7],
          currency: ['USD', 'USD', 'USD', 'EUR'][i % 4],
          trunk: `trunk-${String(i % 5)}`,
          account: String(1000 + (i % 50)),
        });
        return { cdr, raw: { i_cdr: cdr.id, ...(i % 3 === 0 ? { pdd1xx: (i % 70) / 10 } : {}) }, source: 'sippy' };
      });
    const date = (v: string | null) => (v === null ? null : new Date(v));
    const asRows = (batch: CdrUpsertInput[]) =>
      batch.map(({ cdr, raw, source }) => ({
        ...cdr,
        start_time: date(cdr.start_time),
        end_time: date(cdr.end_time),
        setup_time: date(cdr.setup_time),
        source,
        raw: JSON.stringify(raw),
      }));
    const plainUpsert = (batch: CdrUpsertInput[]) =>
      db.transaction().execute(async (trx) => {
        const ids = sql`(select unnest(${sql.val(batch.map((b) => b.cdr.id))}::text[]))`;
        await sql`select id, start_time, first_seen_at from cdrs where id in ${ids} for update`.execute(trx);
        await cdrUpsertQuery(trx, cdrChunkJson(asRows(batch)), shape).returning('cdrs.id').execute();
      });
    const beforeUpsert = (batch: CdrUpsertInput[]) => db.transaction().execute((trx) => legacyUpsertChunk(trx, asRows(batch), shape));
    const VARIANTS = ['rollup', 'plain', 'before'] as const;
    const ingest = Object.fromEntries(VARIANTS.flatMap((v) => [[v, 0], [`${v}Resent`, 0]])) as Record<(typeof VARIANTS)[number] | `${(typeof VARIANTS)[number]}Resent`, number>;
    const ROUNDS = Number(process.env['BENCH_PG_INGEST_ROUNDS'] ?? 6);
    for (let round = 0; round < ROUNDS; round++) {
      const order = [...VARIANTS.slice(round % 3), ...VARIANTS.slice(0, round % 3)];
      for (const variant of order) {
        const chunks = Array.from({ length: 10 }, chunk);
        const run = variant === 'rollup' ? (b: CdrUpsertInput[]) => repository.upsertMany(b) : variant === 'plain' ? plainUpsert : beforeUpsert;
        t = performance.now();
        for (const b of chunks) await run(b);
        ingest[variant] += performance.now() - t;
        t = performance.now();
        for (const b of chunks) await run(b);
        ingest[`${variant}Resent`] += performance.now() - t;
      }
    }
    const n = ROUNDS * 10 * CHUNK;
    const rate = (ms: number) => (n / (ms / 1000)).toFixed(0);
    const share = (withIt: number, without: number) => `${(((withIt - without) / withIt) * 100).toFixed(0)}%`;
    lines.push('', `ingest ${n} new CDRs per variant (${shape} table, chunks of ${CHUNK}, a sync window each):`);
    lines.push(`  new:    with rollup ${rate(ingest.rollup)} rows/s, same upsert without rollup ${rate(ingest.plain)} rows/s — rollup costs ${share(ingest.rollup, ingest.plain)} of throughput; before (values list) ${rate(ingest.before)} rows/s`);
    lines.push(`  re-sent unchanged: with rollup ${rate(ingest.rollupResent)} rows/s, without ${rate(ingest.plainResent)} rows/s — ${share(ingest.rollupResent, ingest.plainResent)}; before ${rate(ingest.beforeResent)} rows/s`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench:pg: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

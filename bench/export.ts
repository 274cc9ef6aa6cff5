/**
 * `npm run bench:export` (also the last step of `npm run bench`) — CSV and XLSX export of 1M CDRs on PostgreSQL:
 * MB/s and peak RSS of `CdrExportService` streaming over loopback HTTP, with the baseline measured in the same run:
 * paging the JSON list (`CdrRepository.list`, 1,000 rows per page with the keyset cursor, as a client without
 * an export would; the first BENCH_EXPORT_BASELINE_ROWS rows).
 *
 * BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server to create a throw-away database
 * on; BENCH_EXPORT_ROWS (default 1000000) rows are generated with generate_series over 30 days. Each case runs in
 * its own child process (so its peak RSS is its own). Without a reachable server the bench says so and exits 0.
 * The database is dropped at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { sql } from 'kysely';
import type { Response } from 'express';
import type { AuditService } from '../apps/api/src/auth/audit.service';
import { CdrRepository, type CdrCursor } from '../apps/api/src/cdrs/cdr.repository';
import type { AppConfig } from '../apps/api/src/config/app-config';
import { DatabaseService } from '../apps/api/src/database/database.service';
import { CdrExportService } from '../apps/api/src/exports/cdr-export.service';
import type { CdrExportQueryDto } from '../apps/api/src/exports/dto/cdr-export-query.dto';
import { UserMasker } from '../apps/api/src/privacy/number-masking.service';

const SERVER = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env['BENCH_EXPORT_ROWS'] ?? 1_000_000);
/**
 * Rows the JSON-paging baseline reads (default 100,000: paging all 1M through the list took 515 s on the 2-core
 * machine, the list's cursor getting slower page by page; its rate over the first 100k is the comparison).
 */
const BASELINE_ROWS = Number(process.env['BENCH_EXPORT_BASELINE_ROWS'] ?? 100_000);
const CASES = ['json-paging', 'csv', 'xlsx'] as const;
type Case = (typeof CASES)[number];
/** The live table's columns plus cost, currency and trunk. */
const COLUMNS = ['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'duration', 'cost', 'currency', 'trunk'];

interface CaseResult {
  case: Case;
  rows: number;
  bytes: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

/** Child: serves one case over loopback HTTP, downloads it, reports bytes, time and peak RSS as one JSON line. */
async function runCase(name: Case, url: string): Promise<void> {
  const database = new DatabaseService({ url, dataDir: 'unused' });
  const repository = new CdrRepository(database);
  const audit = { record: () => Promise.resolve() } as unknown as AuditService;
  const config = { exports: { batchRows: Number(process.env['EXPORT_BATCH_ROWS'] ?? 2000) } } as AppConfig;
  const exporter = new CdrExportService(repository, audit, config);
  let rows = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (name === 'json-paging') {
        let cursor: CdrCursor | undefined;
        res.setHeader('Content-Type', 'application/json');
        for (;;) {
          const page = await repository.list({ limit: 1000, cursor, countCap: 10_000 });
          rows += page.items.length;
          if (!res.write(JSON.stringify(page.items))) await new Promise((r) => res.once('drain', r));
          if (page.next_cursor === null || rows >= BASELINE_ROWS) break;
          cursor = page.next_cursor;
        }
        res.end();
      } else {
        const query = { format: name, delimiter: ';', bom: true, columns: COLUMNS, sort: 'start_time:desc', tz: 'Europe/Istanbul' } as unknown as CdrExportQueryDto;
        const result = await exporter.export(query, res as unknown as Response, { actor: { userId: 'bench', email: 'bench@velora.test' } as never, ip: null, masker: new UserMasker(false) });
        rows = result.rows;
      }
    })().catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  const bytes = await new Promise<number>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => {
        n += chunk.length;
      });
      res.on('end', () => { resolve(n); });
      res.on('error', reject);
    }).on('error', reject);
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  server.close();
  await database.close();
  const result: CaseResult = { case: name, rows, bytes, ms, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: peak / 2 ** 20 };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function child(name: Case, url: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--case', name, url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) reject(new Error(`case ${name} failed (exit ${String(code)})`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as CaseResult);
    });
  });
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    process.stdout.write(`bench:export skipped: PostgreSQL not reachable (${error instanceof Error ? error.message : String(error)})\n`);
    return;
  }
  const name = `velora_bench_export_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const database = new DatabaseService({ url: url.toString(), dataDir: 'unused' });
  try {
    await database.migrate();
    const db = database.db;
    const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    process.stdout.write(`bench:export ${ROWS} rows into ${name} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version})\n`);
    let t = performance.now();
    await sql`
      insert into cdrs (id, call_id, caller, callee, start_time, end_time, setup_time, duration, billed_duration, status, direction,
        country, country_code, city, cost, currency, trunk, account, remote_ip, raw)
      select lpad(i::text, 12, '0'), md5(i::text) || '@203.0.113.45', '90532' || (i % 9999999)::text, '4420' || (i % 7777777)::text,
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days',
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days' + ((i % 600) || ' s')::interval,
        ${new Date(now)}::timestamptz - (i::double precision / ${ROWS}) * interval '30 days' - ((i % 7) || ' s')::interval,
        case when i % 10 < 6 then i % 600 else 0 end, case when i % 10 < 6 then i % 600 else 0 end,
        (array['completed','completed','completed','completed','completed','completed','busy','no_answer','failed','rejected'])[i % 10 + 1],
        (array['outbound','outbound','inbound','internal'])[i % 4 + 1],
        (array['TURKEY','GERMANY','UNITED KINGDOM','FRANCE','NETHERLANDS','UNITED STATES','RUSSIA'])[i % 7 + 1],
        (array['TR','DE','GB','FR','NL','US','RU'])[i % 7 + 1],
        (array['İstanbul','Berlin','London','Paris','Amsterdam','New York','Moscow'])[i % 7 + 1],
        (i % 600) * 0.0001, 'USD', 'trunk-' || (i % 5)::text, (1000 + i % 50)::text, '203.0.113.45', '{}'::jsonb
      from generate_series(1, ${ROWS}) as i`.execute(db);
    process.stdout.write(`generate: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    t = performance.now();
    await new CdrRepository(database).rebuildRollups();
    await sql`analyze`.execute(db);
    process.stdout.write(`rollups + analyze: ${((performance.now() - t) / 1000).toFixed(1)} s\n\n`);
    const lines = [
      `| case | rows | MB | seconds | MB/s | rows/s | RSS before MB | peak RSS MB |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const only = process.env['BENCH_EXPORT_CASES']?.split(',');
    for (const name of CASES.filter((c) => only === undefined || only.includes(c))) {
      const r = await child(name, url.toString());
      const mb = r.bytes / 1e6;
      const line = `| ${r.case === 'json-paging' ? 'baseline: JSON list paging (1,000/page, cursor)' : `export ${r.case}`} | ${r.rows} | ${mb.toFixed(1)} | ${(r.ms / 1000).toFixed(1)} | ${(mb / (r.ms / 1000)).toFixed(1)} | ${Math.round(r.rows / (r.ms / 1000))} | ${r.rssBeforeMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`;
      lines.push(line);
      process.stdout.write(`${line}\n`);
    }
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) {
  const name = process.argv[caseIndex + 1] as Case;
  const url = process.argv[caseIndex + 2] ?? '';
  void runCase(name, url).catch((error: unknown) => {
    process.stderr.write(`bench:export ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  void main().catch((error: unknown) => {
    process.stderr.write(`bench:export: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

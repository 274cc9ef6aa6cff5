/**
 * End-to-end ingest (issue #12 §1): the SippySoft simulator (real XML-RPC + Digest on loopback, no added latency)
 * → the real CdrSyncService (decode, normalize, batched upserts with the rollup maintenance, sync state) → stored
 * rows, on in-memory PGlite and on the local PostgreSQL (a throw-away database on VELORA_TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; the case is skipped with a note when it does not answer).
 *
 * One timed run = from empty tables (cdrs, sync state and every rollup table truncated) until every CDR of the switch's
 * last 24 h is stored, with the sync settings `npm start` uses (SIPPY_SYNC_PAGE_SIZE 1000, 60-minute windows).
 * "items/s" is stored CDRs per second of the whole run; peak RSS is this process's (simulator, client and, for
 * PGlite, the embedded database), sampled after every sync run.
 */
import { Logger } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';

import { CDR_UPSERT_CHUNK_SIZE, cdrChunkJson, CdrRepository, cdrUpsertQuery, toNewRow } from '../apps/api/src/cdrs/cdr.repository';
import { cdrTableShape, type CdrTableShape } from '../apps/api/src/cdrs/cdr-retention.sql';
import { AppConfig } from '../apps/api/src/config/app-config';
import type { DatabaseService } from '../apps/api/src/database/database.service';
import type { Database, NewCdrRow } from '../apps/api/src/database/database.types';
import { SippyClientFactory } from '../libs/sippy/src/client/sippy-client.factory';
import { SippySimulator } from '../libs/sippy/simulator';
import { createTestDatabase, isPostgresAvailableSync, openDatabaseService, type TestDatabaseKind } from '../test/support/test-database';
import type { BenchCase, BenchRun } from './harness';
import { benchSyncService } from './sync-service';

const PASSWORD = 'bench-Ingest-pass-1';
const CALLS_PER_MINUTE = Number(process.env['BENCH_INGEST_CALLS_PER_MINUTE'] ?? 40); // ≈ 58k CDRs over 24 h
const MAX_RUNS = 20;

/**
 * The baseline of "what the rollup upkeep costs end to end": `upsertMany` minus the rollups — the same dedupe, chunks,
 * locked pre-read of the stored versions and `insert … on conflict do update … where changed` statement, in the sync's
 * transaction, telling inserted from updated rows the same way — but no contribution to any rollup table.
 */
function upsertManyWithoutRollups(database: DatabaseService): CdrRepository['upsertMany'] {
  let shape: CdrTableShape | undefined;
  return async (rows, trx, options) => {
    const byId = new Map<string, NewCdrRow>();
    for (const input of rows) {
      const row = toNewRow(input);
      byId.delete(row.id);
      byId.set(row.id, row);
    }
    const values = [...byId.values()];
    const run = async (executor: Kysely<Database>) => {
      shape ??= await cdrTableShape(executor);
      let inserted = 0;
      for (let i = 0; i < values.length; i += CDR_UPSERT_CHUNK_SIZE) {
        const chunk = values.slice(i, i + CDR_UPSERT_CHUNK_SIZE);
        const stored = await sql<{ id: string }>`
          select id from cdrs where id = any(${sql.val(chunk.map((row) => row.id))}::text[]) for update`.execute(executor);
        const known = new Set(stored.rows.map((r) => r.id));
        const up = await cdrUpsertQuery(executor, cdrChunkJson(chunk), shape).returning('cdrs.id').execute();
        const insertedIds = up.map((r) => r.id).filter((id) => !known.has(id));
        if (insertedIds.length > 0) options?.onInserted?.(insertedIds);
        inserted += insertedIds.length;
      }
      return { inserted, updated: values.length - inserted };
    };
    return trx ? run(trx) : database.db.transaction().execute(run);
  };
}

function ingestCase(kind: TestDatabaseKind, rollups = true): BenchCase {
  const label = `${kind === 'pglite' ? 'PGlite (in memory)' : 'PostgreSQL (127.0.0.1)'}${rollups ? '' : ', baseline: no rollup upkeep'}`;
  return {
    name: `e2e ${kind}${rollups ? '' : ' no-rollups'}`,
    group: `simulator → stored rows (24 h at ${String(CALLS_PER_MINUTE)} calls/min, page 1000, rollups maintained)`,
    subject: label,
    runs: 3,
    async prepare(): Promise<BenchRun> {
      Logger.overrideLogger(false);
      const sim = new SippySimulator({ password: PASSWORD, seed: 12, historyHours: 24, callsPerMinute: CALLS_PER_MINUTE });
      await sim.start();
      const expected = sim.visibleCdrs().length;
      const target = await createTestDatabase(kind);
      const database = await openDatabaseService(target.url);
      const config = AppConfig.fromEnv({
        SIPPY_RPC_URL: sim.url,
        SIPPY_RPC_USER: 'ssp-root',
        SIPPY_RPC_PASS: PASSWORD,
        SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '25',
      });
      const client = new SippyClientFactory().create({ url: sim.url, username: 'ssp-root', password: PASSWORD, timeoutMs: 60_000 });
      const cdrs = new CdrRepository(database);
      // Time spent in the store (upsertMany: the multi-row upsert with rollup maintenance), to tell it from the rest.
      let storeMs = 0;
      const upsertMany = rollups ? cdrs.upsertMany.bind(cdrs) : upsertManyWithoutRollups(database);
      cdrs.upsertMany = async (...args: Parameters<CdrRepository['upsertMany']>) => {
        const started = performance.now();
        try {
          return await upsertMany(...args);
        } finally {
          storeMs += performance.now() - started;
        }
      };
      let runStarted = 0;
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = current_schema() and (table_name like 'cdr_rollup%' or table_name in ('cdrs', 'sync_state'))
      `.execute(database.db);
      const tables = rows.map((r) => `"${r.name}"`).join(', ');
      return {
        bytes: expected,
        items: expected,
        async run(sample): Promise<unknown> {
          await sql.raw(`truncate ${tables}`).execute(database.db);
          storeMs = 0;
          runStarted = performance.now();
          const sync = benchSyncService(client, cdrs, database, config);
          let stored = 0;
          for (let run = 1; run <= MAX_RUNS && stored < expected; run += 1) {
            await sync.runNow();
            sample();
            stored = await cdrs.countAll();
          }
          await sync.onApplicationShutdown();
          return stored;
        },
        check(result): void {
          if (typeof result !== 'number' || result < expected) throw new Error(`stored ${String(result)} of ${String(expected)} CDRs`);
          const totalMs = performance.now() - runStarted;
          process.stderr.write(
            `  ${label}: ${String(result)} CDRs in ${totalMs.toFixed(0)} ms, of which upsertMany ${storeMs.toFixed(0)} ms ` +
              `(${((100 * storeMs) / totalMs).toFixed(0)} %); the rest is the switch, the wire, decode, normalize, sync state\n`,
          );
        },
        async dispose(): Promise<void> {
          await client.close();
          await database.close();
          await target.dispose();
          await sim.stop();
        },
      };
    },
  };
}

const postgres = isPostgresAvailableSync();

export const notes: string[] = postgres ? [] : ['PostgreSQL did not answer: the end-to-end ingest row on PostgreSQL was skipped.'];

export const cases: BenchCase[] = [
  ingestCase('pglite'),
  ingestCase('pglite', false),
  ...(postgres ? [ingestCase('postgres'), ingestCase('postgres', false)] : []),
];

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { Pool } from 'pg';
import { pgliteParsers, pgTypesConfig } from './database-type-parsers';
import {
  describeDatabaseTarget,
  resolveDatabaseTarget,
  type DatabaseKind,
  type DatabaseTarget,
} from './database-url';
import type { Database } from './database.types';
import { DatabaseConfigError } from './errors/database-config.error';
import { PGliteDialect } from './pglite.dialect';

export interface DatabaseOptions {
  /** DATABASE_URL: unset/blank → PGlite in `<dataDir>/pglite`; `memory://`; `postgres(ql)://…`. */
  url?: string | null;
  /** DATA_DIR: parent folder of the embedded database (created when missing). */
  dataDir: string;
  /** PostgreSQL pool size. Default 10. */
  poolMax?: number;
  /** PostgreSQL connect timeout in ms. Default 10 000. */
  connectionTimeoutMs?: number;
  /** Errors of idle pooled PostgreSQL connections (server restart, network). Default: ignored. */
  onPoolError?: (error: Error) => void;
  /**
   * For `memory://` only: start from this PGlite data directory snapshot (`PGlite.dumpDataDir()`) instead of an
   * empty cluster. Tests pass an already migrated snapshot to skip initdb and the migrations (~5 s per app).
   */
  memoryTemplate?: Blob;
  /** PGlite only: PostgreSQL's shared_buffers in MB. Default 32 (PostgreSQL's own default is 128). */
  pgliteSharedBuffersMb?: number;
}

/** Connections of the PostgreSQL pool (metrics). */
export interface DatabasePoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  /** PostgreSQL: the pool's connection counts (zeros before the first query). PGlite has no pool: undefined. */
  readonly poolStats?: () => DatabasePoolStats;
  readonly kind: DatabaseKind;
  readonly target: DatabaseTarget;
  /** Where the data lives, safe to log (no password). */
  readonly description: string;
}

/**
 * Builds a `Kysely<Database>` for the configured target. Nothing connects yet: PGlite opens and
 * the pool connects on the first query. Destroy it with `db.destroy()`.
 * @throws DatabaseConfigError for an unsupported or malformed URL.
 */
export function createDatabase(options: DatabaseOptions): OpenedDatabase {
  const target = resolveDatabaseTarget(options);
  let pool: Pool | undefined;
  const dialect = createDialect(target, options, (created) => (pool = created));
  const poolMax = options.poolMax ?? 10;
  return {
    db: new Kysely<Database>({ dialect }),
    poolStats:
      target.kind === 'postgres'
        ? () => ({ total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0, max: poolMax })
        : undefined,
    kind: target.kind,
    target,
    description: describeDatabaseTarget(target),
  };
}

function createDialect(target: DatabaseTarget, options: DatabaseOptions, onPool: (pool: Pool) => void): Dialect {
  if (target.kind === 'postgres') {
    const poolMax = options.poolMax ?? 10;
    if (!Number.isInteger(poolMax) || poolMax < 1) {
      throw new DatabaseConfigError(`Database pool size must be a positive integer, got ${poolMax}`);
    }
    return new PostgresDialect({
      // Lazy: the pool (and its first connection attempt) is made when Kysely first needs it.
      pool: () => {
        const pool = new Pool({
          connectionString: target.connectionString,
          max: poolMax,
          connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
          application_name: 'velora',
          types: pgTypesConfig,
        });
        // Without a listener an idle-connection error would crash the process.
        pool.on('error', (error) => options.onPoolError?.(error));
        onPool(pool);
        return Promise.resolve(pool);
      },
    });
  }
  return new PGliteDialect({ pglite: () => openPGlite(target, options.memoryTemplate, options.pgliteSharedBuffersMb ?? 32) });
}

async function openPGlite(target: Extract<DatabaseTarget, { kind: 'pglite' }>, memoryTemplate: Blob | undefined, sharedBuffersMb: number): Promise<PGlite> {
  if (!Number.isInteger(sharedBuffersMb) || sharedBuffersMb < 1) {
    throw new DatabaseConfigError(`PGlite shared buffers must be a positive number of MB, got ${String(sharedBuffersMb)}`);
  }
  // PostgreSQL runs in WebAssembly in this process: its buffer cache is our RSS (docs/benchmarks.md, "Memory")
  const pgliteOptions = { extensions: { pg_trgm }, parsers: pgliteParsers(), postgresqlconf: [`shared_buffers = ${String(sharedBuffersMb)}MB`] };
  if (target.storage === 'memory') {
    return PGlite.create('memory://', memoryTemplate !== undefined ? { ...pgliteOptions, loadDataDir: memoryTemplate } : pgliteOptions);
  }
  try {
    await mkdir(target.dataDir, { recursive: true });
    if (!existsSync(join(target.dataDir, 'PG_VERSION'))) await initializeDataDir(target.dataDir);
    return await PGlite.create(target.dataDir, pgliteOptions);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseConfigError(`Cannot open the embedded database in ${target.dataDir}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Creates a new embedded cluster (initdb) in a short-lived child process. initdb in WebAssembly peaks at
 * ~800 MB, and memory a process once held mostly stays in its RSS: done in the server, a fresh install
 * would run at ~480 MB instead of ~300 MB (docs/benchmarks.md, "Memory"). The server then opens the
 * initialized directory as on any later start.
 */
async function initializeDataDir(dataDir: string): Promise<void> {
  const pglite = pathToFileURL(require.resolve('@electric-sql/pglite')).href;
  const script = `import(${JSON.stringify(pglite)}).then(async ({ PGlite }) => { const db = await PGlite.create(${JSON.stringify(dataDir)}); await db.close(); })`;
  await promisify(execFile)(process.execPath, ['-e', script], { timeout: 300_000, env: { PATH: process.env['PATH'] ?? '' } });
}

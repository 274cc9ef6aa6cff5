import { mkdir } from 'node:fs/promises';
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
  return new PGliteDialect({ pglite: () => openPGlite(target, options.memoryTemplate) });
}

async function openPGlite(target: Extract<DatabaseTarget, { kind: 'pglite' }>, memoryTemplate?: Blob): Promise<PGlite> {
  const pgliteOptions = { extensions: { pg_trgm }, parsers: pgliteParsers() };
  if (target.storage === 'memory') {
    return PGlite.create('memory://', memoryTemplate !== undefined ? { ...pgliteOptions, loadDataDir: memoryTemplate } : pgliteOptions);
  }
  try {
    await mkdir(target.dataDir, { recursive: true });
    return await PGlite.create(target.dataDir, pgliteOptions);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseConfigError(`Cannot open the embedded database in ${target.dataDir}: ${reason}`, {
      cause: error,
    });
  }
}

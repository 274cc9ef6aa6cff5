import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { sql, type Kysely, type Transaction } from 'kysely';
import { createDatabase, type DatabasePoolStats } from './database.factory';
import { DATABASE_MODULE_OPTIONS, type DatabaseModuleOptions } from './database.module-definition';
import type { DatabaseKind, DatabaseTarget } from './database-url';
import type { Database } from './database.types';
import { isTrigramInstalled } from './migrations/0002-cdrs-trigram-indexes.migration';
import { migrateToLatest, type MigrationReport } from './migrator';

/**
 * Owns the Kysely instance. Migrates in onModuleInit (unless `runMigrations: false`) and
 * destroys the pool / closes PGlite on application shutdown. Only `*.repository.ts` files use
 * `db`; everything else goes through repositories.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  readonly target: DatabaseTarget;
  /** Where the data lives, safe to log (password hidden). */
  readonly description: string;
  /** PostgreSQL pool connection counts (metrics); undefined for PGlite, which has no pool. */
  readonly poolStats?: () => DatabasePoolStats;

  readonly #options: DatabaseModuleOptions;
  readonly #logger = new Logger(DatabaseService.name);
  #destroyed = false;

  constructor(@Inject(DATABASE_MODULE_OPTIONS) options: DatabaseModuleOptions) {
    this.#options = options;
    const opened = createDatabase({
      url: options.url,
      dataDir: options.dataDir,
      poolMax: options.poolMax,
      connectionTimeoutMs: options.connectionTimeoutMs,
      memoryTemplate: options.memoryTemplate,
      pgliteSharedBuffersMb: options.pgliteSharedBuffersMb,
      onPoolError: (error) => { this.#logger.warn(`Idle PostgreSQL connection failed: ${error.message}`); },
    });
    this.db = opened.db;
    this.kind = opened.kind;
    this.target = opened.target;
    this.description = opened.description;
    this.poolStats = opened.poolStats;
  }

  async onModuleInit(): Promise<void> {
    if (this.#options.runMigrations === false) {
      this.#logger.log(`Using ${this.description} (migrations not run)`);
      return;
    }
    await this.migrate();
  }

  /** Applies pending migrations; logs what was applied. */
  async migrate(): Promise<MigrationReport> {
    let report: MigrationReport;
    try {
      report = await migrateToLatest(this.db);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#logger.error(`Cannot prepare ${this.description}: ${reason}`);
      throw error;
    }
    this.#logger.log(
      report.applied.length > 0
        ? `Using ${this.description}; applied migrations: ${report.applied.join(', ')}`
        : `Using ${this.description}; schema up to date`,
    );
    if (!(await isTrigramInstalled(this.db))) {
      this.#logger.warn(
        'pg_trgm is not installed (no privilege to create it?): caller/callee search works but scans ' +
          'the table. Run "create extension pg_trgm" as a superuser, then re-create the indexes of migration 0002.',
      );
    }
    return report;
  }

  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use only
   * `trx` inside (on PGlite a query on `db` would wait for the transaction: a deadlock).
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** Round trip to the database, for health checks. Rejects when it is unreachable. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Destroys the pool / closes PGlite. Idempotent. */
  async close(): Promise<void> {
    if (this.#destroyed) {
      return;
    }
    this.#destroyed = true;
    await this.db.destroy();
  }
}

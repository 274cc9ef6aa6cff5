import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { MigrationFailedError } from './errors/migration-failed.error';
import { MIGRATIONS } from './migrations';

/**
 * Serves the migrations from a static map (imported modules), so they work the same from `src/`
 * under Jest/tsx and from `dist/` — unlike kysely's FileMigrationProvider, which globs a folder.
 */
export class StaticMigrationProvider implements MigrationProvider {
  readonly #migrations: Readonly<Record<string, Migration>>;

  constructor(migrations: Readonly<Record<string, Migration>> = MIGRATIONS) {
    this.#migrations = migrations;
  }

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...this.#migrations });
  }
}

export interface MigrationReport {
  /** Migrations applied by this run, in order (empty when the schema was already up to date). */
  readonly applied: readonly string[];
}

export function createMigrator(
  db: Kysely<unknown>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Migrator {
  return new Migrator({ db, provider: new StaticMigrationProvider(migrations) });
}

/**
 * Applies every pending migration (all in one transaction, under kysely's advisory lock, so two
 * instances starting together do not race). Idempotent: a second run applies nothing.
 * @throws MigrationFailedError naming the failed and the not-executed migrations.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<MigrationReport> {
  const { error, results = [] } = await createMigrator(db as Kysely<unknown>, migrations).migrateToLatest();
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error === undefined) {
    return { applied };
  }
  throw migrationError(error, results, applied);
}

function migrationError(
  error: unknown,
  results: readonly MigrationResult[],
  applied: readonly string[],
): MigrationFailedError {
  const failed = results.filter((r) => r.status === 'Error').map((r) => r.migrationName);
  const notExecuted = results.filter((r) => r.status === 'NotExecuted').map((r) => r.migrationName);
  const reason = error instanceof Error ? error.message : String(error);
  const parts = [
    failed.length > 0
      ? `Database migration failed: ${failed.join(', ')}: ${reason}`
      : `Database migration failed: ${reason}`,
  ];
  if (notExecuted.length > 0) {
    parts.push(`not executed: ${notExecuted.join(', ')}`);
  }
  if (applied.length > 0) {
    parts.push(`rolled back with the failure: ${applied.join(', ')}`);
  }
  return new MigrationFailedError(parts.join('; '), { failed, notExecuted, cause: error });
}

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MEMORY_DATABASE_URL } from '../../apps/api/src/database/database-url';
import { DatabaseService } from '../../apps/api/src/database/database.service';
import { migratedMemoryTemplate } from './pglite-template';

export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase {
  /** DATABASE_URL for the app/DatabaseService (`memory://` or `postgres://…/velora_test_…`). */
  readonly url: string;
  readonly kind: TestDatabaseKind;
  /** Drops the database (PostgreSQL); no-op for in-memory PGlite. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Admin connection used to create and drop throw-away databases. The machine's and CI's local
 * PostgreSQL trusts `postgres` on loopback; override with VELORA_TEST_POSTGRES_URL.
 */
export const TEST_POSTGRES_ADMIN_URL =
  process.env['VELORA_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database (not migrated: DatabaseService/migrateToLatest does that). */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    return { url: MEMORY_DATABASE_URL, kind, dispose: () => Promise.resolve() };
  }
  const name = `velora_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let disposed = false;
  return {
    url: url.toString(),
    kind,
    dispose: async () => {
      if (disposed) {
        return;
      }
      disposed = true;
      await withAdminClient((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

let availability: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers (cached per process; 1.5 s connect timeout). */
export function isPostgresAvailable(): Promise<boolean> {
  availability ??= withAdminClient(async (client) => {
    await client.query('select 1');
  }, 1500).then(
    () => true,
    () => false,
  );
  return availability;
}

/**
 * Synchronous variant for test collection (Jest declares tests synchronously): probes with a
 * short-lived child process. Cached per process.
 */
export function isPostgresAvailableSync(): boolean {
  if (syncAvailability === undefined) {
    const script =
      `const { Client } = require(${JSON.stringify(require.resolve('pg'))});` +
      `const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 1500 });` +
      `c.on('error', () => {});` +
      `c.connect().then(() => c.query('select 1')).then(() => c.end())` +
      `.then(() => process.exit(0), () => process.exit(1));`;
    const probe = spawnSync(process.execPath, ['-e', script, TEST_POSTGRES_ADMIN_URL], {
      timeout: 5000,
      stdio: 'ignore',
    });
    syncAvailability = probe.status === 0;
  }
  return syncAvailability;
}

let syncAvailability: boolean | undefined;

/**
 * Declares the suite once per database: `<name> [pglite]` always, `<name> [postgres]` when the
 * test PostgreSQL is reachable. When it is not, the PostgreSQL copy is declared with
 * `describe.skip` (its tests show as skipped) and "skipped: PostgreSQL not reachable" is printed;
 * with VELORA_REQUIRE_POSTGRES=1 (CI) it runs anyway and fails loudly instead.
 *
 * Each copy gets its own empty database, created in `beforeAll` and dropped in the last `afterAll` (after the
 * suite's own, which close the apps using it); `fn`
 * receives `getUrl()` to call inside hooks/tests (not at declaration time).
 */
export function describeEachDatabase(
  name: string,
  fn: (context: { kind: TestDatabaseKind; getUrl: () => string }) => void,
): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const reachable =
      kind === 'pglite' || process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync();
    if (!reachable) {
      process.stderr.write(
        `${name} [postgres] skipped: PostgreSQL not reachable at ${redact(TEST_POSTGRES_ADMIN_URL)}\n`,
      );
    }
    const declare = reachable ? describe : describe.skip;
    declare(`${name} [${kind}]`, () => {
      let database: TestDatabase | undefined;

      beforeAll(async () => {
        database = await createTestDatabase(kind);
      });

      fn({
        kind,
        getUrl: () => {
          if (database === undefined) {
            throw new Error('test database not created yet: call getUrl() inside a hook or a test');
          }
          return database.url;
        },
      });

      // Declared after `fn`'s hooks on purpose: Jest runs the afterAll hooks of one block in declaration order, so
      // the suite's own clean-up (closing its apps and their connection pools) runs first and the database is
      // dropped last. Dropped first, `with (force)` cut the app's connections under it, and a pooled client
      // checked out at that moment (it has no error listener then) crashed the suite with "Connection terminated
      // unexpectedly".
      afterAll(async () => {
        await database?.dispose();
      });
    });
  }
}

/**
 * A migrated DatabaseService on `url` (outside Nest), for repository tests. Close it with
 * `await service.close()`. `dataDir` only matters when `url` is undefined (PGlite files).
 */
export async function openDatabaseService(url: string | undefined, dataDir = '.'): Promise<DatabaseService> {
  const memoryTemplate = url === MEMORY_DATABASE_URL ? await migratedMemoryTemplate() : undefined;
  const service = new DatabaseService({ url, dataDir, memoryTemplate });
  try {
    await service.migrate();
  } catch (error: unknown) {
    await service.close().catch(() => undefined);
    throw error;
  }
  return service;
}

async function withAdminClient<T>(fn: (client: Client) => Promise<T>, timeoutMs = 5000): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

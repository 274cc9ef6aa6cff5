import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Trigram GIN indexes for the case-insensitive substring search on caller/callee (`ilike '%…%'`).
 *
 * Needs the pg_trgm extension. PGlite has it when opened with `extensions: { pg_trgm }` (our
 * factory does). On PostgreSQL `create extension` may need a privileged role: when the extension
 * is neither installed nor installable, the indexes are skipped and search still works, only
 * with a scan (DatabaseService logs a warning at start-up). A DBA can later run
 * `create extension pg_trgm;` and the two `create index` statements below by hand.
 */
export const cdrsTrigramIndexesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (!(await ensureTrigramExtension(db))) {
      return;
    }
    await sql`create index cdrs_caller_trgm_idx on cdrs using gin (caller gin_trgm_ops)`.execute(db);
    await sql`create index cdrs_callee_trgm_idx on cdrs using gin (callee gin_trgm_ops)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop index if exists cdrs_caller_trgm_idx`.execute(db);
    await sql`drop index if exists cdrs_callee_trgm_idx`.execute(db);
  },
};

/** True when pg_trgm is installed (installing it if available and allowed). */
export async function ensureTrigramExtension<DB>(db: Kysely<DB>): Promise<boolean> {
  if (await isTrigramInstalled(db)) {
    return true;
  }
  const available = await sql<{ available: boolean }>`
    select exists (select 1 from pg_available_extensions where name = 'pg_trgm') as available
  `.execute(db);
  if (!(available.rows[0]?.available)) {
    return false;
  }
  // A failed statement aborts the surrounding (migration) transaction: guard it with a savepoint.
  const inTransaction = db.isTransaction;
  if (inTransaction) {
    await sql`savepoint velora_pg_trgm`.execute(db);
  }
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    if (inTransaction) {
      await sql`release savepoint velora_pg_trgm`.execute(db);
    }
    return true;
  } catch {
    // Typically "permission denied to create extension" for a non-privileged role.
    if (inTransaction) {
      await sql`rollback to savepoint velora_pg_trgm`.execute(db);
      await sql`release savepoint velora_pg_trgm`.execute(db);
    }
    return false;
  }
}

export async function isTrigramInstalled<DB>(db: Kysely<DB>): Promise<boolean> {
  const result = await sql<{ installed: boolean }>`
    select exists (select 1 from pg_extension where extname = 'pg_trgm') as installed
  `.execute(db);
  return result.rows[0]?.installed;
}

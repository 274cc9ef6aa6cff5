/**
 * `npm run migrate`: applies pending migrations to the configured database and exits.
 * Reads DATABASE_URL (unset → embedded PGlite) and DATA_DIR (default ./data), like the API.
 * Do not run it against an embedded PGlite folder while the API has it open (PGlite is
 * single-process); the API migrates at start-up anyway.
 */
import { createDatabase } from './database.factory';
import { migrateToLatest } from './migrator';

async function main(): Promise<number> {
  let opened;
  try {
    opened = createDatabase({ url: process.env['DATABASE_URL'], dataDir: process.env['DATA_DIR'] || './data' });
  } catch (error: unknown) {
    process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  process.stdout.write(`migrate: ${opened.description}\n`);
  try {
    const { applied } = await migrateToLatest(opened.db);
    process.stdout.write(
      applied.length > 0
        ? `migrate: applied ${applied.length}: ${applied.join(', ')}\n`
        : 'migrate: schema already up to date\n',
    );
    return 0;
  } catch (error: unknown) {
    process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await opened.db.destroy().catch(() => undefined);
  }
}

void main().then((code) => {
  process.exitCode = code;
});

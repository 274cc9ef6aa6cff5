/**
 * `npm run rollups:rebuild`: recomputes the CDR rollups (`cdr_rollup_hourly_totals` and `cdr_rollup_daily_totals`, the reports'
 * `cdr_rollup_report_hourly`, `_totals` and `cdr_rollup_report_daily`) from the `cdrs` table, one UTC day per
 * transaction, and exits. Idempotent; safe while the API runs on
 * PostgreSQL (each day blocks CDR writes briefly). Reads DATABASE_URL / DATA_DIR like `npm run
 * migrate` (do not run it on an embedded PGlite folder the API has open) and migrates first.
 */
import { DatabaseService } from '../database/database.service';
import { CdrRepository } from './cdr.repository';

async function main(): Promise<number> {
  let database: DatabaseService;
  try {
    database = new DatabaseService({ url: process.env['DATABASE_URL'], dataDir: process.env['DATA_DIR'] || './data' });
  } catch (error: unknown) {
    process.stderr.write(`rollups:rebuild: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  process.stdout.write(`rollups:rebuild: ${database.description}\n`);
  try {
    await database.migrate();
    const started = Date.now();
    const days = await new CdrRepository(database).rebuildRollups();
    process.stdout.write(`rollups:rebuild: ${days} day(s) rebuilt in ${Date.now() - started} ms\n`);
    return 0;
  } catch (error: unknown) {
    process.stderr.write(`rollups:rebuild: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close().catch(() => undefined);
  }
}

void main().then((code) => {
  process.exitCode = code;
});

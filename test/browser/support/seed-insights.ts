/**
 * Seeds an embedded PGlite folder with the insights data set (test/support/insights-dataset.ts) through the real
 * CdrRepository, so the hourly rollup is maintained exactly as by the sync. Run as a child process with tsx (the
 * browser specs' Jest does not load the Nest/ESM server code) before the API opens the folder:
 *   tsx test/browser/support/seed-insights.ts <dataDir> <target hour ISO>
 */
import { CdrRepository } from '../../../apps/api/src/cdrs/cdr.repository';
import { DatabaseService } from '../../../apps/api/src/database/database.service';
import { insightsDataset } from '../../support/insights-dataset';

async function main(): Promise<void> {
  const [dataDir = '', target = ''] = process.argv.slice(2);
  if (dataDir === '' || Number.isNaN(Date.parse(target))) {
    throw new Error('usage: seed-insights.ts <dataDir> <target hour ISO>');
  }
  const database = new DatabaseService({ url: undefined, dataDir });
  try {
    await database.migrate();
    const { rows } = insightsDataset(new Date(target));
    const result = await new CdrRepository(database).upsertMany(rows);
    process.stdout.write(`seeded ${String(result.inserted)} CDRs\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

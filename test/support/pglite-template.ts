import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteParsers } from '../../apps/api/src/database/database-type-parsers';
import { MIGRATIONS } from '../../apps/api/src/database/migrations';
import { migrateToLatest } from '../../apps/api/src/database/migrator';
import { PGliteDialect } from '../../apps/api/src/database/pglite.dialect';

const PGLITE_VERSION = (JSON.parse(readFileSync(join(__dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;

let template: Promise<Blob> | undefined;

/** Which snapshot fits this checkout: the PGlite version and the migrations' names and code. */
function templateKey(): string {
  const hash = createHash('sha256').update(PGLITE_VERSION);
  for (const [name, migration] of Object.entries(MIGRATIONS)) {
    hash.update(name).update(migration.up.toString());
  }
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(): Promise<Blob> {
  const pglite = await PGlite.create('memory://', { extensions: { pg_trgm }, parsers: pgliteParsers() });
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite, closeOnDestroy: false }) });
  try {
    await migrateToLatest(db);
    return await pglite.dumpDataDir('none');
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

/**
 * A migrated, empty PGlite data directory to start `memory://` test databases from (`memoryTemplate`): a fresh
 * PGlite spends ~5 s in initdb and migrations, one loaded from this snapshot ~1 s. Built once per checkout and
 * kept in the OS temp folder (keyed by PGlite version and migrations, written atomically), shared by all Jest
 * workers and files.
 */
export function migratedMemoryTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = join(tmpdir(), `velora-pglite-template-${templateKey()}.tar`);
    if (existsSync(file)) {
      return new Blob([readFileSync(file)]);
    }
    const blob = await buildTemplate();
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, file);
    return blob;
  })();
  return template;
}

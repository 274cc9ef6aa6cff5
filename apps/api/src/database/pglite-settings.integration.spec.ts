import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase } from './database.factory';
import { DatabaseConfigError } from './errors/database-config.error';

describe('PGlite memory settings', () => {
  it('runs the embedded PostgreSQL with 32 MB of shared buffers by default, or the configured size', async () => {
    for (const [option, expected] of [[undefined, '32MB'], [16, '16MB']] as const) {
      const { db } = createDatabase({ url: 'memory://', dataDir: 'unused', pgliteSharedBuffersMb: option });
      try {
        const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(db);
        expect(rows[0]?.shared_buffers).toBe(expected);
      } finally {
        await db.destroy();
      }
    }
  }, 240_000);

  it('refuses a size that is not a positive whole number of MB', async () => {
    const { db } = createDatabase({ url: 'memory://', dataDir: 'unused', pgliteSharedBuffersMb: 0 });
    await expect(sql`select 1`.execute(db)).rejects.toThrow(DatabaseConfigError);
    await db.destroy().catch(() => undefined);
  });

  it('creates a new embedded cluster (initdb in a child process), then opens the same files on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'velora-pglite-'));
    try {
      for (const expected of [0, 1]) {
        const { db } = createDatabase({ dataDir });
        try {
          if (expected === 0) await sql`create table t (n int)`.execute(db);
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from t`.execute(db);
          expect(rows[0]?.n).toBe(expected);
          await sql`insert into t values (1)`.execute(db);
        } finally {
          await db.destroy();
        }
        expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

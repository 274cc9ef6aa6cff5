import { join, resolve } from 'node:path';
import { DatabaseConfigError } from './errors/database-config.error';

/** Where the data lives, resolved from `{ url, dataDir }`. */
export type DatabaseTarget =
  | { kind: 'pglite'; storage: 'file'; dataDir: string }
  | { kind: 'pglite'; storage: 'memory' }
  | { kind: 'postgres'; connectionString: string };

export type DatabaseKind = DatabaseTarget['kind'];

export const MEMORY_DATABASE_URL = 'memory://';

/**
 * Resolves the database to open:
 * - `url` unset or blank → PGlite files in `<dataDir>/pglite`;
 * - `memory://` → in-memory PGlite (tests; nothing is kept);
 * - `postgres://…` / `postgresql://…` → PostgreSQL;
 * - anything else → DatabaseConfigError (the message shows the URL with its password hidden).
 */
export function resolveDatabaseTarget(options: { url?: string | null; dataDir: string }): DatabaseTarget {
  const url = options.url?.trim() ?? '';
  if (url === '') {
    if (options.dataDir.trim() === '') {
      throw new DatabaseConfigError('DATA_DIR must not be empty when DATABASE_URL is unset (embedded PGlite)');
    }
    return { kind: 'pglite', storage: 'file', dataDir: join(resolve(options.dataDir), 'pglite') };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'memory') {
    if (url.toLowerCase() !== MEMORY_DATABASE_URL) {
      throw new DatabaseConfigError(`DATABASE_URL "${redactDatabaseUrl(url)}": use exactly "memory://" for an in-memory database`);
    }
    return { kind: 'pglite', storage: 'memory' };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error: unknown) {
      throw new DatabaseConfigError(`DATABASE_URL "${redactDatabaseUrl(url)}" is not a valid URL`, { cause: error });
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new DatabaseConfigError(`DATABASE_URL "${redactDatabaseUrl(url)}" has no host`);
    }
    return { kind: 'postgres', connectionString: url };
  }
  throw new DatabaseConfigError(
    `DATABASE_URL "${redactDatabaseUrl(url)}" is not supported: use postgres://user:password@host:5432/db, ` +
      `postgresql://…, memory://, or leave it unset for embedded PGlite in DATA_DIR`,
  );
}

/**
 * The URL with its password (and any `password=` query parameter) replaced by `***`, safe to log.
 * Works on strings that are not valid URLs too (best effort on `scheme://user:pass@host`).
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    let changed = false;
    if (parsed.password !== '') {
      parsed.password = '***';
      changed = true;
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (/^(password|pass|pwd|sslpassword|sslkey)$/i.test(key)) {
        parsed.searchParams.set(key, '***');
        changed = true;
      }
    }
    return changed ? parsed.toString() : url;
  } catch {
    // Not parseable: hide everything between "//user:" and the last "@" before the host.
    return url
      .replace(/(\/\/[^/?#:@]*:)[^/?#]*@/, '$1***@')
      .replace(/([?&](?:password|pass|pwd|sslpassword|sslkey)=)[^&#]*/gi, '$1***');
  }
}

/** A loggable description of the target, without secrets. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  switch (target.kind) {
    case 'postgres':
      return `PostgreSQL ${redactDatabaseUrl(target.connectionString)}`;
    case 'pglite':
      return target.storage === 'memory' ? 'PGlite (in memory)' : `PGlite ${target.dataDir}`;
  }
}

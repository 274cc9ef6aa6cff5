import { join, resolve } from 'node:path';
import { describeDatabaseTarget, redactDatabaseUrl, resolveDatabaseTarget } from './database-url';
import { DatabaseConfigError } from './errors/database-config.error';

describe('resolveDatabaseTarget', () => {
  it.each([undefined, null, '', '   '])('uses PGlite files in <dataDir>/pglite when the URL is %p', (url) => {
    expect(resolveDatabaseTarget({ url, dataDir: './data' })).toEqual({
      kind: 'pglite',
      storage: 'file',
      dataDir: join(resolve('./data'), 'pglite'),
    });
  });

  it('rejects an empty DATA_DIR for embedded PGlite', () => {
    expect(() => resolveDatabaseTarget({ dataDir: ' ' })).toThrow(DatabaseConfigError);
  });

  it('uses in-memory PGlite for memory://', () => {
    expect(resolveDatabaseTarget({ url: 'memory://', dataDir: 'x' })).toEqual({ kind: 'pglite', storage: 'memory' });
    expect(resolveDatabaseTarget({ url: ' MEMORY:// ', dataDir: 'x' })).toEqual({ kind: 'pglite', storage: 'memory' });
  });

  it('rejects memory URLs with a path instead of silently ignoring it', () => {
    expect(() => resolveDatabaseTarget({ url: 'memory://mydb', dataDir: 'x' })).toThrow(/exactly "memory:\/\/"/);
  });

  it.each(['postgres://u:p@db.example:5432/velora', 'postgresql://u@127.0.0.1/velora', 'postgres:///velora?host=/run/postgresql'])(
    'uses PostgreSQL for %s',
    (url) => {
      expect(resolveDatabaseTarget({ url, dataDir: 'x' })).toEqual({ kind: 'postgres', connectionString: url });
    },
  );

  it.each([
    ['mysql://root:hunter2@db/velora', 'mysql://root:***@db/velora'],
    ['sqlite:./velora.db', 'sqlite:./velora.db'],
    ['/var/lib/velora', '/var/lib/velora'],
    ['https://user:hunter2@example.com/', 'https://user:***@example.com/'],
  ])('rejects %s with a config error that hides the password', (url, shown) => {
    let error: unknown;
    try {
      resolveDatabaseTarget({ url, dataDir: 'x' });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`"${shown}" is not supported`);
    expect(message).toContain('postgres://');
    expect(message).not.toContain('hunter2');
  });

  it('rejects a PostgreSQL URL without a host', () => {
    expect(() => resolveDatabaseTarget({ url: 'postgres:///velora', dataDir: 'x' })).toThrow(/has no host/);
  });
});

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://velora:s3cret@db:5432/velora', 'postgres://velora:***@db:5432/velora'],
    ['postgresql://velora:p%40ss%3Aword@db/velora?sslmode=require', 'postgresql://velora:***@db/velora?sslmode=require'],
    ['postgres://velora@db/velora', 'postgres://velora@db/velora'],
    ['postgres://db/velora?user=velora&password=s3cret', 'postgres://db/velora?user=velora&password=***'],
    ['memory://', 'memory://'],
  ])('%s → %s', (url, expected) => {
    expect(redactDatabaseUrl(url)).toBe(expected);
  });

  it('hides a password containing raw @ and : characters', () => {
    const redacted = redactDatabaseUrl('postgres://velora:p@ss:w@rd@db/velora');
    expect(redacted).not.toMatch(/p@ss|w@rd|ss:w/);
    expect(redacted).toContain('@db/velora');
  });

  it('hides passwords in strings that are not valid URLs', () => {
    const redacted = redactDatabaseUrl('postgres://velora:s3cret@db:notaport/velora');
    expect(redacted).not.toContain('s3cret');
    expect(redacted).toBe('postgres://velora:***@db:notaport/velora');
  });
});

describe('describeDatabaseTarget', () => {
  it('describes every target without secrets', () => {
    expect(describeDatabaseTarget({ kind: 'postgres', connectionString: 'postgres://u:pw@h/db' })).toBe(
      'PostgreSQL postgres://u:***@h/db',
    );
    expect(describeDatabaseTarget({ kind: 'pglite', storage: 'memory' })).toBe('PGlite (in memory)');
    expect(describeDatabaseTarget({ kind: 'pglite', storage: 'file', dataDir: '/d/pglite' })).toBe('PGlite /d/pglite');
  });
});

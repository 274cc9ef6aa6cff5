import type { Results } from '@electric-sql/pglite';
import { AbortedTransactionError, CompiledQuery, Kysely, sql } from 'kysely';
import { ConnectionMutex, PGliteDialect, PGliteDriver, type PGliteClient } from './pglite.dialect';

/** In-process stand-in for PGlite: records statements, answers from a script. */
class FakePGlite implements PGliteClient {
  readonly statements: { sql: string; params: unknown[] }[] = [];
  closed = false;
  answer: (statement: string) => Partial<Results<unknown>> = () => ({ rows: [] });

  async query<T>(statement: string, params: unknown[] = []): Promise<Results<T>> {
    this.statements.push({ sql: statement, params });
    await Promise.resolve();
    return { rows: [], fields: [], ...this.answer(statement) } as Results<T>;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('ConnectionMutex', () => {
  it('hands the lock to waiters in FIFO order', async () => {
    const mutex = new ConnectionMutex();
    const order: number[] = [];
    await mutex.lock();
    const waiters = [1, 2, 3].map((n) => mutex.lock().then(() => order.push(n)));
    expect(mutex.locked).toBe(true);
    for (let i = 0; i < 3; i++) {
      mutex.unlock();
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    mutex.unlock();
    expect(mutex.locked).toBe(false);
  });
});

describe('PGliteDriver', () => {
  it('opens PGlite lazily, once, through the factory', async () => {
    const fake = new FakePGlite();
    const factory = jest.fn(() => Promise.resolve(fake));
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: factory }) });
    expect(factory).not.toHaveBeenCalled();
    await sql`select 1`.execute(db);
    await sql`select 2`.execute(db);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(fake.statements.map((s) => s.sql)).toEqual(['select 1', 'select 2']);
    await db.destroy();
    expect(fake.closed).toBe(true);
  });

  it('passes parameters and maps affected rows for writes only', async () => {
    const fake = new FakePGlite();
    fake.answer = (statement) =>
      statement.startsWith('update') ? { command: 'UPDATE', affectedRows: 3 } : { command: 'SELECT', affectedRows: 0, rows: [{ a: 1 }] };
    const driver = new PGliteDriver({ pglite: fake });
    await driver.init();
    const connection = await driver.acquireConnection();
    const update = await connection.executeQuery(CompiledQuery.raw('update t set a = $1', [5]));
    const select = await connection.executeQuery(CompiledQuery.raw('select a from t'));
    await driver.releaseConnection();
    expect(update.numAffectedRows).toBe(3n);
    expect(select.numAffectedRows).toBeUndefined();
    expect(select.rows).toEqual([{ a: 1 }]);
    expect(fake.statements[0]).toEqual({ sql: 'update t set a = $1', params: [5] });
  });

  it('starts transactions with the requested isolation level and access mode', async () => {
    const fake = new FakePGlite();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: fake }) });
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
      });
    expect(fake.statements.map((s) => s.sql)).toEqual([
      'start transaction isolation level repeatable read read only',
      'select 1',
      'commit',
    ]);
  });

  it('throws AbortedTransactionError when COMMIT answers ROLLBACK', async () => {
    const fake = new FakePGlite();
    fake.answer = (statement) => (statement === 'commit' ? { command: 'ROLLBACK' } : { command: 'SELECT' });
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: fake }) });
    await expect(db.transaction().execute(async (trx) => sql`select 1`.execute(trx))).rejects.toBeInstanceOf(
      AbortedTransactionError,
    );
  });

  it('quotes savepoint names', async () => {
    const fake = new FakePGlite();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: fake }) });
    const trx = await db.startTransaction().execute();
    const withSavepoint = await trx.savepoint('sp"1').execute();
    await withSavepoint.rollbackToSavepoint('sp"1').execute();
    await trx.rollback().execute();
    expect(fake.statements.map((s) => s.sql)).toEqual(['begin', 'savepoint "sp""1"', 'rollback to "sp""1"', 'rollback']);
  });

  it('destroy waits for the connection holder, then closes; later acquires fail', async () => {
    const fake = new FakePGlite();
    const driver = new PGliteDriver({ pglite: fake });
    await driver.init();
    await driver.acquireConnection();
    const destroyed = driver.destroy();
    await Promise.resolve();
    expect(fake.closed).toBe(false);
    await driver.releaseConnection();
    await destroyed;
    expect(fake.closed).toBe(true);
    await expect(driver.acquireConnection()).rejects.toThrow(/destroyed/);
  });

  it('leaves PGlite open when closeOnDestroy is false', async () => {
    const fake = new FakePGlite();
    const driver = new PGliteDriver({ pglite: fake, closeOnDestroy: false });
    await driver.init();
    await driver.destroy();
    expect(fake.closed).toBe(false);
  });
});

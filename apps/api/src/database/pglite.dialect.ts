import type { PGliteInterface } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  IdentifierNode,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  RawNode,
  createQueryId,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for embedded PGlite (PostgreSQL compiled to WASM), so the same Kysely queries
 * and migrations run on PGlite and on PostgreSQL. See docs/decisions.md, "Own Kysely dialect for
 * PGlite". SQL generation, adapter and introspection are kysely's own Postgres classes; only the
 * driver is ours.
 *
 * PGlite is a single session: the driver exposes ONE connection behind a FIFO mutex. A Kysely
 * transaction holds the connection from BEGIN to COMMIT/ROLLBACK, so other queries wait and cannot
 * slip into (or see uncommitted rows of) that transaction. Consequence: inside
 * `db.transaction().execute(trx => …)` always use `trx`, never `db` — a query on `db` would wait
 * for the transaction to end, which waits for that query: a deadlock (on `pg` it would merely run
 * outside the transaction, which is a bug too).
 */

/** The part of PGlite the driver uses. */
export type PGliteClient = Pick<PGliteInterface, 'query' | 'close' | 'closed'>;

export interface PGliteDialectConfig {
  /** An open PGlite, or a factory called once, on first use (e.g. `() => PGlite.create(dir, opts)`). */
  pglite: PGliteClient | (() => Promise<PGliteClient>);
  /** Close PGlite when Kysely is destroyed. Default true. */
  closeOnDestroy?: boolean;
  /** Called once with the connection after PGlite is open (e.g. to `set` session settings). */
  onCreateConnection?: (connection: DatabaseConnection) => Promise<void>;
}

export class PGliteDialect implements Dialect {
  readonly #config: PGliteDialectConfig;

  constructor(config: PGliteDialectConfig) {
    this.#config = { ...config };
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

export class PGliteDriver implements Driver {
  readonly #config: PGliteDialectConfig;
  readonly #mutex = new ConnectionMutex();
  #pglite: PGliteClient | undefined;
  #connection: PGliteConnection | undefined;
  #destroyed = false;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const source = this.#config.pglite;
    this.#pglite = typeof source === 'function' ? await source() : source;
    this.#connection = new PGliteConnection(this.#pglite);
    if (this.#config.onCreateConnection) {
      await this.#config.onCreateConnection(this.#connection);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (this.#destroyed || this.#connection === undefined) {
      this.#mutex.unlock();
      throw new Error('PGlite driver has already been destroyed');
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      statement = 'start transaction';
      if (settings.isolationLevel) {
        statement += ` isolation level ${settings.isolationLevel}`;
      }
      if (settings.accessMode) {
        statement += ` ${settings.accessMode}`;
      }
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const result = await connection.executeQuery(CompiledQuery.raw('commit'));
    // PostgreSQL answers COMMIT with a ROLLBACK tag when an earlier error aborted the transaction.
    if (isCommandRow(result.rows[0]) && result.rows[0].command === 'ROLLBACK') {
      throw new AbortedTransactionError();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('savepoint', savepointName), createQueryId()));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('rollback to', savepointName), createQueryId()));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('release', savepointName), createQueryId()));
  }

  releaseConnection(): Promise<void> {
    this.#mutex.unlock();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) {
      return;
    }
    // Wait for the running query or transaction to finish, then close.
    await this.#mutex.lock();
    try {
      this.#destroyed = true;
      const pglite = this.#pglite;
      this.#pglite = undefined;
      this.#connection = undefined;
      if (pglite && this.#config.closeOnDestroy !== false && !pglite.closed) {
        await pglite.close();
      }
    } finally {
      this.#mutex.unlock();
    }
  }
}

export class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGliteClient;

  constructor(pglite: PGliteClient) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters], {
      rowMode: 'object',
    });
    const command = result.command?.toUpperCase();
    if (command === 'COMMIT' || command === 'ROLLBACK') {
      // Same shape kysely's PostgresDriver uses, so commitTransaction can detect an aborted COMMIT.
      return { rows: [{ command } as R] };
    }
    const affected = result.affectedRows ?? result.rowCount;
    return {
      numAffectedRows:
        affected !== undefined &&
        (command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE')
          ? BigInt(affected)
          : undefined,
      rows: result.rows,
    };
  }

  /** Not a server-side cursor: PGlite runs the query in full, then the rows are yielded in chunks. */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new Error('chunkSize must be a positive integer');
    }
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) {
      yield { rows: rows.slice(i, i + chunkSize) };
    }
  }
}

function isCommandRow(row: unknown): row is { command: string } {
  return typeof row === 'object' && row !== null && typeof (row as { command?: unknown }).command === 'string';
}

/** Same SQL as kysely's internal `parseSavepointCommand` (not exported): `<command> "<name>"`. */
function savepointCommand(command: string, savepointName: string): RawNode {
  return RawNode.createWithChildren([
    RawNode.createWithSql(`${command} `),
    IdentifierNode.create(savepointName), // quoted and escaped by the compiler
  ]);
}

/** FIFO mutex: `unlock` hands the lock straight to the next waiter. */
export class ConnectionMutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) {
      next();
    } else {
      this.#locked = false;
    }
  }

  get locked(): boolean {
    return this.#locked;
  }
}

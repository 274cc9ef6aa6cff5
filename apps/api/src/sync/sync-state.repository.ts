import { Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import { toJsonb } from '../database/jsonb';
import { DatabaseService } from '../database/database.service';
import type { Database } from '../database/database.types';

/**
 * The only code that touches `sync_state`: one JSON document per key (e.g. the Sippy sync cursor).
 * States go through JSON: store plain data (ISO strings, not Dates; no undefined-only values).
 */
@Injectable()
export class SyncStateRepository {
  readonly #database: DatabaseService;

  constructor(database: DatabaseService) {
    this.#database = database;
  }

  /**
   * The state saved under `key`, or null. The value is the stored JSON cast to `T`, not
   * validated: check its shape if it may come from an older version.
   */
  async get<T>(key: string, trx?: Kysely<Database>): Promise<T | null> {
    const row = await (trx ?? this.#database.db)
      .selectFrom('sync_state')
      .select('state')
      .where('key', '=', checkKey(key))
      .executeTakeFirst();
    return row === undefined ? null : (row.state as T);
  }

  /**
   * Creates or replaces the state under `key`. Pass the transaction that wrote the data the
   * state describes, so the two commit (or roll back) together.
   */
  async save(key: string, state: unknown, trx?: Kysely<Database>): Promise<void> {
    if (state === undefined) {
      throw new TypeError(`sync state "${key}": state must not be undefined`);
    }
    const json = toJsonb(state, `sync state "${key}"`);
    await (trx ?? this.#database.db)
      .insertInto('sync_state')
      .values({ key: checkKey(key), state: json })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: sql`now()` })))
      .execute();
  }

  /**
   * Takes or renews the lease `key` for `owner` until `now + ttlMs`, atomically: succeeds when nobody holds it,
   * when `owner` already holds it, or when the holder's lease has expired. Replicas use it so that one of them
   * polls the switch (the others stand by and take over when the lease lapses). Inside `trx` it also fences the
   * transaction: the lease row stays locked until commit, and a holder that lost the lease can roll back.
   */
  async tryLease(key: string, owner: string, now: Date, ttlMs: number, trx?: Kysely<Database>): Promise<boolean> {
    const state = toJsonb({ owner, until: new Date(now.getTime() + ttlMs).toISOString() }, `lease "${key}"`);
    const row = await (trx ?? this.#database.db)
      .insertInto('sync_state')
      .values({ key: checkKey(key), state })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: sql`now()` }))
          .where(sql<boolean>`sync_state.state->>'owner' = ${owner} or (sync_state.state->>'until')::timestamptz < ${now.toISOString()}::timestamptz`),
      )
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Gives the lease back if `owner` holds it (shutdown), so another replica can take over at once. */
  async releaseLease(key: string, owner: string): Promise<void> {
    await this.#database.db
      .deleteFrom('sync_state')
      .where('key', '=', checkKey(key))
      .where(sql<boolean>`state->>'owner' = ${owner}`)
      .execute();
  }

  /** Removes the state under `key` (e.g. to force a full re-sync). True when there was one. */
  async delete(key: string, trx?: Kysely<Database>): Promise<boolean> {
    const result = await (trx ?? this.#database.db)
      .deleteFrom('sync_state')
      .where('key', '=', checkKey(key))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.trim() === '') {
    throw new TypeError('sync state key must be a non-empty string');
  }
  return key;
}

import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DatabaseService } from '../database/database.service';
import { toJsonb } from '../database/jsonb';

/** The only code that touches `app_settings`: one JSON value per key (e.g. the generated session key). */
@Injectable()
export class AppSettingsRepository {
  constructor(private readonly database: DatabaseService) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.database.db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : (row.value as T);
  }

  /** Stores `value` under `key`, replacing what was there. */
  async set(key: string, value: unknown): Promise<void> {
    const json = toJsonb(value, `setting ${key}`);
    await this.database.db
      .insertInto('app_settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: sql<Date>`now()` }))
      .execute();
  }

  /** Stores `value` unless the key exists; returns the stored value (the first writer wins). */
  async getOrCreate<T>(key: string, value: T): Promise<T> {
    await this.database.db
      .insertInto('app_settings')
      .values({ key, value: toJsonb(value, `setting ${key}`) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.get<T>(key);
    if (stored === undefined) throw new Error(`setting ${key} vanished right after it was written`);
    return stored;
  }
}

import { Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { Database } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import { monthLiteral, partitionName } from '../database/migrations/0023-cdrs-monthly-partitions.migration';
import { cdrTableShape, CDR_RETENTION_STATE_KEY, readRetentionHorizon, type CdrTableShape } from './cdr-retention.sql';

/** One monthly partition of `cdrs`. */
export interface CdrMonthPartition {
  name: string;
  /** First instant of the UTC month. */
  from: Date;
}

/**
 * The DDL and bulk deletes behind CdrPartitionsService (docs/decisions.md, "CDR table: monthly partitions"): monthly
 * partitions of `cdrs`, the split of a month out of the default partition, and retention. Call it only under the sync
 * lease (`CdrSyncService.exclusive`): it must never run beside a sync window or on two replicas at once.
 */
@Injectable()
export class CdrPartitionsRepository {
  readonly #db: Kysely<Database>;

  constructor(database: DatabaseService) {
    this.#db = database.db;
  }

  shape(): Promise<CdrTableShape> {
    return cdrTableShape(this.#db);
  }

  /** The monthly partitions (not the default one), oldest first. */
  async monthPartitions(): Promise<CdrMonthPartition[]> {
    const result = await sql<{ name: string }>`
      select c.relname::text as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = to_regclass('cdrs') and c.relname ~ '^cdrs_p[0-9]{4}_[0-9]{2}$'
      order by c.relname`.execute(this.#db);
    return result.rows.map(({ name }) => {
      const [, year, month] = /^cdrs_p(\d{4})_(\d{2})$/.exec(name) ?? [];
      return { name, from: new Date(Date.UTC(Number(year), Number(month) - 1, 1)) };
    });
  }

  /** The UTC months that have dated rows in the default partition (one index probe per month). */
  async defaultMonths(): Promise<Date[]> {
    const result = await sql<{ month: Date }>`
      with recursive m(month) as (
        select date_trunc('month', min(start_time), 'UTC') from cdrs_default
        union all
        select (select date_trunc('month', min(start_time), 'UTC') from cdrs_default where start_time >= m.month + interval '1 month')
        from m where m.month is not null
      )
      select month from m where month is not null order by 1`.execute(this.#db);
    return result.rows.map((r) => new Date(r.month));
  }

  /** Creates the (empty) partition of a month that has no rows in the default partition. */
  async createMonth(from: Date): Promise<string> {
    const name = partitionName(from);
    await sql`create table if not exists ${sql.table(name)} partition of cdrs
      for values from (${sql.lit(monthLiteral(from.getUTCFullYear(), from.getUTCMonth()))}) to (${sql.lit(
        monthLiteral(from.getUTCFullYear(), from.getUTCMonth() + 1),
      )})`.execute(this.#db);
    return name;
  }

  /**
   * Moves a month's rows out of the default partition into their own partition, in one transaction: an empty table
   * like `cdrs`, the rows moved into it, a bound check constraint (so attaching needs no scan of the new table), then
   * `attach partition` (which builds the new partition's indexes) and the helper constraint dropped. Returns the rows
   * moved.
   */
  async splitMonth(from: Date): Promise<number> {
    const name = partitionName(from);
    const lo = monthLiteral(from.getUTCFullYear(), from.getUTCMonth());
    const hi = monthLiteral(from.getUTCFullYear(), from.getUTCMonth() + 1);
    return this.#db.transaction().execute(async (trx) => {
      await sql`create table ${sql.table(name)} (like cdrs including defaults including constraints)`.execute(trx);
      const moved = await sql`
        with moved as (delete from cdrs_default where start_time >= ${sql.lit(lo)} and start_time < ${sql.lit(hi)} returning *)
        insert into ${sql.table(name)} select * from moved`.execute(trx);
      await sql`alter table ${sql.table(name)} add constraint ${sql.ref(`${name}_bound`)}
        check (start_time is not null and start_time >= ${sql.lit(lo)} and start_time < ${sql.lit(hi)})`.execute(trx);
      await sql`alter table cdrs attach partition ${sql.table(name)} for values from (${sql.lit(lo)}) to (${sql.lit(hi)})`.execute(trx);
      await sql`alter table ${sql.table(name)} drop constraint ${sql.ref(`${name}_bound`)}`.execute(trx);
      return Number(moved.numAffectedRows ?? 0n);
    });
  }

  /** Detaches and drops one monthly partition (its rows are gone; the rollups are not touched). */
  async dropMonth(name: string): Promise<void> {
    if (!/^cdrs_p\d{4}_\d{2}$/.test(name)) throw new RangeError(`not a monthly CDR partition: ${name}`);
    await this.#db.transaction().execute(async (trx) => {
      await sql`alter table cdrs detach partition ${sql.table(name)}`.execute(trx);
      await sql`drop table ${sql.table(name)}`.execute(trx);
    });
  }

  /**
   * Deletes CDRs that started before `horizon`, `batch` rows per transaction (the plain table's retention, and what is
   * left of old months in the default partition). The rollups are not touched. Returns the rows deleted.
   */
  async deleteBefore(horizon: Date, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await sql`
        delete from cdrs where (id, start_time) in (
          select id, start_time from cdrs where start_time < ${horizon} order by start_time limit ${batch})`.execute(this.#db);
      const n = Number(result.numAffectedRows ?? 0n);
      total += n;
      if (n < batch) return total;
    }
  }

  horizon(): Promise<Date | null> {
    return readRetentionHorizon(this.#db);
  }

  async saveHorizon(from: Date): Promise<void> {
    await this.#db
      .insertInto('sync_state')
      .values({ key: CDR_RETENTION_STATE_KEY, state: toJsonb({ from: from.toISOString() }, 'retention horizon') })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: sql`now()` })))
      .execute();
  }
}

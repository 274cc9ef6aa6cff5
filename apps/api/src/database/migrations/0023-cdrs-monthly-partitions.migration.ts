import { sql, type Kysely, type Migration } from 'kysely';

/** Months created ahead by the migration (CdrPartitionsService keeps CDR_PARTITION_MONTHS_AHEAD ahead afterwards). */
const MONTHS_AHEAD = 3;

/**
 * `cdrs` as a table partitioned by UTC month of `start_time` on PostgreSQL 15+ (docs/decisions.md, "CDR table:
 * monthly partitions"). Inside the migration transaction, with `cdrs` locked: a partitioned copy (`like cdrs`), one
 * partition `cdrs_pYYYY_MM` per month that has rows plus the current month and 3 ahead, the DEFAULT partition
 * `cdrs_default` (undated rows, months without a partition yet); the rows are copied in one pass, the old table is
 * dropped, the copy renamed, then the unique key `(id, start_time)` (nulls not distinct) and every other index the
 * old table had (whatever migration created it: 0001, 0002, 0008, 0017, …) are built once over the loaded
 * partitions. On PGlite and PostgreSQL < 15 (no `unique nulls not distinct`) nothing changes: the plain table stays.
 */
export const cdrsMonthlyPartitionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (!(await canPartition(db)) || (await cdrsRelkind(db)) !== 'r') return;
    await rebuildCdrs(db, 'partitioned');
  },

  async down(db: Kysely<unknown>): Promise<void> {
    if ((await cdrsRelkind(db)) !== 'p') return;
    await rebuildCdrs(db, 'plain');
  },
};

/** PostgreSQL 15 or later, and not PGlite (its `version()` says so). */
export async function canPartition(db: Kysely<unknown>): Promise<boolean> {
  const result = await sql<{ num: number; version: string }>`
    select current_setting('server_version_num')::int as num, version() as version`.execute(db);
  const row = result.rows.at(0);
  return row !== undefined && row.num >= 150000 && !/pglite/i.test(row.version);
}

/** 'r' for a plain table, 'p' for a partitioned one. */
export async function cdrsRelkind(db: Kysely<unknown>): Promise<string | null> {
  const result = await sql<{ relkind: string }>`
    select c.relkind::text as relkind from pg_class c where c.oid = to_regclass('cdrs')`.execute(db);
  return result.rows[0]?.relkind ?? null;
}

/** First instant of a UTC month as an ISO literal (for partition bounds, which take no parameters). */
export function monthLiteral(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 1)).toISOString();
}

/** `cdrs_pYYYY_MM` of the UTC month that starts at `start`. */
export function partitionName(start: Date): string {
  return `cdrs_p${String(start.getUTCFullYear())}_${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Copies `cdrs` into a new table of the given shape with every index it had (the migration; its down; the benchmark). */
export async function rebuildCdrs(db: Kysely<unknown>, shape: 'partitioned' | 'plain'): Promise<void> {
  await sql`lock table cdrs in access exclusive mode`.execute(db);
  // Every index of the current table except the one behind its key, recreated verbatim on the new one.
  const indexes = await sql<{ def: string }>`
    select pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    where i.indrelid = 'cdrs'::regclass
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
    order by i.indexrelid`.execute(db);
  await sql`
    create table cdrs_rebuilt (like cdrs including defaults including constraints)
    ${shape === 'partitioned' ? sql`partition by range (start_time)` : sql``}`.execute(db);
  if (shape === 'partitioned') {
    // The months that have rows, by a loose index scan on cdrs_start_time_id_idx (one probe per month, not a scan).
    const months = await sql<{ month: Date }>`
      with recursive m(month) as (
        select date_trunc('month', min(start_time), 'UTC') from cdrs
        union all
        select (select date_trunc('month', min(start_time), 'UTC') from cdrs where start_time >= m.month + interval '1 month')
        from m where m.month is not null
      )
      select month from m where month is not null
      union
      select date_trunc('month', now(), 'UTC') + make_interval(months => g) from generate_series(0, ${sql.lit(MONTHS_AHEAD)}) g
      order by 1`.execute(db);
    for (const { month } of months.rows) {
      const start = new Date(month);
      const from = monthLiteral(start.getUTCFullYear(), start.getUTCMonth());
      const to = monthLiteral(start.getUTCFullYear(), start.getUTCMonth() + 1);
      await sql`create table ${sql.table(partitionName(start))} partition of cdrs_rebuilt
        for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
    }
    await sql`create table cdrs_default partition of cdrs_rebuilt default`.execute(db);
  }
  // One sequential pass; each row is routed to its month's partition.
  await sql`insert into cdrs_rebuilt select * from cdrs`.execute(db);
  await sql`drop table cdrs`.execute(db);
  await sql`alter table cdrs_rebuilt rename to cdrs`.execute(db);
  if (shape === 'partitioned') {
    await sql`alter table cdrs add constraint cdrs_id_start_time_key unique nulls not distinct (id, start_time)`.execute(db);
  } else {
    await sql`drop table if exists cdrs_default`.execute(db);
    await sql`alter table cdrs add constraint cdrs_pkey primary key (id)`.execute(db);
  }
  for (const { def } of indexes.rows) {
    // pg_get_indexdef says `ON ONLY public.cdrs` for a partitioned index: the new one must cover the partitions.
    await sql.raw(def.replace(/ ON ONLY /, ' ON ')).execute(db);
  }
  await sql`analyze cdrs`.execute(db);
}

/**
 * BENCH BASELINE ONLY — a frozen copy of `CdrRepository#upsertChunk` as it was before the chunk travelled as one JSON
 * parameter (commit 4790baf, issue #12 phase 1): the same locked pre-read, then one statement whose `insert` carries
 * the chunk as a `values` list of 28 bound parameters per row (planned anew for every chunk). `bench/cdr-store-pg.ts`
 * times it next to the current upsert in the same run. Plain inputs only (no retention horizon, no moved starts:
 * the bench sends neither), rows already in column form.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { cdrOnConflict } from '../apps/api/src/cdrs/cdr.repository';
import { CONTRIBUTION_COLUMNS, CONTRIBUTION_FIELDS, PDD_SQL, rollupContribution, rollupUpserts } from '../apps/api/src/cdrs/cdr-rollup.sql';
import { monthSpan, type CdrTableShape } from '../apps/api/src/cdrs/cdr-retention.sql';
import type { Database, NewCdrRow } from '../apps/api/src/database/database.types';

export async function legacyUpsertChunk(executor: Kysely<Database>, chunk: NewCdrRow[], shape: CdrTableShape): Promise<number> {
  const span = shape === 'partitioned' ? monthSpan(chunk) : sql<SqlBool>`true`;
  const ids = sql`(select unnest(${sql.val(chunk.map((row) => row.id))}::text[]))`;
  await sql`
    with stored as (select id, start_time, first_seen_at from cdrs where id in ${ids} and ${span} for update)
    select h.horizon, s.id from (select (select state->>'from' from sync_state where key = 'cdrs.retention') as horizon) as h
    left join stored as s on true`.execute(executor);
  const upsert = executor
    .insertInto('cdrs')
    .values(chunk)
    .onConflict(cdrOnConflict(shape))
    .returning(['cdrs.id', sql<string | null>`${PDD_SQL}`.as('pdd')])
    .returning(CONTRIBUTION_FIELDS.map((c) => `cdrs.${c}` as const));
  const result = await sql<{ id: string }>`
    with old as (select id, ${CONTRIBUTION_COLUMNS} from cdrs where id in ${ids} and ${span}),
    up as (${upsert}),
    delta as (
      select -1 as sign, old.* from old where old.id in (select id from up)
      union all
      select 1, id, ${sql.join(CONTRIBUTION_FIELDS.map((c) => sql.ref(c)))}, pdd from up
    ),
    contribution as materialized (${rollupContribution(sql`delta`)}),
    ${rollupUpserts('contribution')}
    select id from up`.execute(executor);
  return result.rows.length;
}

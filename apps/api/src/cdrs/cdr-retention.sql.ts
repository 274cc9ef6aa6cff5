import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database, NewCdrRow } from '../database/database.types';

/**
 * The shape of the CDR table and its retention horizon (docs/decisions.md, "CDR table: monthly partitions"), shared
 * by CdrRepository (upsert, list total, rollup rebuild) and CdrPartitionsRepository (partitions, retention).
 */

/** `sync_state` key of the retention horizon: `{ "from": ISO }`, the start of the oldest kept month. */
export const CDR_RETENTION_STATE_KEY = 'cdrs.retention';

export type CdrTableShape = 'partitioned' | 'plain';

/** 'partitioned' when migration 0023 converted `cdrs` (PostgreSQL 15+), else 'plain' (PGlite, older PostgreSQL). */
export async function cdrTableShape(executor: Kysely<Database>): Promise<CdrTableShape> {
  const result = await sql<{ relkind: string }>`select relkind::text as relkind from pg_class where oid = to_regclass('cdrs')`.execute(executor);
  return result.rows[0]?.relkind === 'p' ? 'partitioned' : 'plain';
}

/** The retention horizon: CDRs that started before it were dropped and are not stored again. Null = keep all. */
export async function readRetentionHorizon(executor: Kysely<Database>): Promise<Date | null> {
  const result = await sql<{ from: string | null }>`
    select state->>'from' as "from" from sync_state where key = ${CDR_RETENTION_STATE_KEY}`.execute(executor);
  return parseHorizon(result.rows.at(0)?.from ?? null);
}

/** The horizon saved as `{ "from": ISO }` (its `from` text), or null when none or not a date. */
export function parseHorizon(from: string | null): Date | null {
  if (from === null) return null;
  const date = new Date(from);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Start of the UTC month of `date`. */
export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** Start of the UTC month `n` months after the one of `date`. */
export function addMonths(date: Date, n: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, 1));
}

/**
 * `start_time` within the UTC months the chunk's starts span and the month before and after, or null (the default
 * partition): on a partitioned table PostgreSQL reads only those partitions. A stored copy whose start lies further
 * away (a start that jumped months, which the normalizer cannot produce) is not seen.
 */
export function monthSpan(chunk: readonly NewCdrRow[]): RawBuilder<SqlBool> {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const row of chunk) {
    const t = timeOf(row.start_time as Date | null);
    if (t === null) continue;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  if (lo === Number.POSITIVE_INFINITY) return sql<SqlBool>`(start_time is null)`;
  // One month more on each side: a start corrected across a month's edge (minutes around midnight) is still found.
  const from = addMonths(new Date(lo), -1);
  const to = addMonths(new Date(hi), 2);
  return sql<SqlBool>`((start_time >= ${from} and start_time < ${to}) or start_time is null)`;
}

export function timeOf(value: Date | null | undefined): number | null {
  return value === null || value === undefined ? null : value.getTime();
}

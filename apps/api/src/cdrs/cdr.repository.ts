import { Injectable } from '@nestjs/common';
import { CDR_DIRECTIONS, CDR_FIELDS, CDR_STATUSES, lookupCountryCode, type Cdr, type CdrDirection, type CdrStatus, type RawCdr } from '@velora/sippy';
import { expressionBuilder, sql, type Expression, type Kysely, type OnConflictBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { CdrRow, Database, NewCdrRow } from '../database/database.types';
import { stripNul, toJsonb } from '../database/jsonb';
import { escapeLike } from '../database/like';
import { ANSWERED_SQL, CONTRIBUTION_COLUMNS, CONTRIBUTION_FIELDS, PDD_SQL, rollupApply, rollupContribution, rollupUpserts, TOTALS_MEASURES } from './cdr-rollup.sql';
import { CDR_RETENTION_STATE_KEY, cdrTableShape, monthSpan, parseHorizon, readRetentionHorizon, timeOf, type CdrTableShape } from './cdr-retention.sql';

export { escapeLike };

/** One record to store: the canonical CDR, the source record it came from, and the source name. */
export interface CdrUpsertInput {
  cdr: Cdr;
  raw: RawCdr;
  /** e.g. 'sippy'. */
  source: string;
}

export interface CdrUpsertResult {
  /** Rows that did not exist before. */
  inserted: number;
  /** Existing rows whose content (raw record or canonical fields) changed. Unchanged rows count in neither. */
  updated: number;
}

export interface CdrUpsertOptions {
  /** Called with the ids of the rows this call inserted (once per chunk; inside the caller's transaction). */
  onInserted?: (ids: readonly string[]) => void;
}

/**
 * Filter of `CdrRepository.list`. Every field is optional; they combine with AND.
 * Invalid values (limit out of range, Invalid Date, …) throw a RangeError/TypeError: validate
 * user input in the DTO first, this is the last line of defence.
 */
export interface CdrListFilter {
  /** Page size, 1..CDR_LIST_MAX_LIMIT. Default CDR_LIST_DEFAULT_LIMIT. */
  limit?: number;
  /** Rows to skip, >= 0. Default 0. */
  offset?: number;
  /** start_time >= from (inclusive). */
  from?: Date;
  /** start_time < to (exclusive). */
  to?: Date;
  /** Case-insensitive substring of the caller; `%`, `_` and `\` match literally. Blank = no filter. */
  caller?: string;
  /** Case-insensitive substring of the callee; same rules as `caller`. */
  callee?: string;
  /**
   * Masked users (docs/security.md#privacy): the caller must be one of these spellings exactly; replaces the
   * substring search of `caller` (which then only echoes the user's input).
   */
  caller_exact?: readonly string[];
  /** The same for the callee. */
  callee_exact?: readonly string[];
  /** One status or any of several. An empty array matches nothing. */
  status?: CdrStatus | readonly CdrStatus[];
  /** One direction or any of several. An empty array matches nothing. */
  direction?: CdrDirection | readonly CdrDirection[];
  /**
   * An ISO code or a country name in English or Turkish (`tr`, `Turkey`, `Türkiye`) matches
   * `country_code`; any other text matches the stored name case-insensitively. Blank = no filter.
   */
  country?: string;
  /** duration >= min_duration (seconds); calls with unknown duration are excluded. */
  min_duration?: number;
  /** Case-insensitive equality on the destination city / area. Blank = no filter. */
  city?: string;
  /** Exact Sippy account (i_account). Blank = no filter. */
  account?: string;
  /** Exact trunk / vendor. Blank = no filter. */
  trunk?: string;
  /** Exact Sippy `result` code (486, -20, 0). */
  result?: number;
  /** true: answered calls only (status completed and duration > 0); false: all others. */
  answered?: boolean;
  /** Keyset pagination: rows after this one in list order (combine with offset 0). */
  cursor?: CdrCursor;
  /** Count at most this many rows when the total cannot come from the rollup (`total_exact: false` past it). */
  countCap?: number;
}

/** Position of a row in the list order. */
export interface CdrCursor {
  start_time: Date | null;
  id: string;
}

export interface CdrPage {
  /** Newest first: `start_time desc nulls last, id desc` (ids compare byte-wise). */
  items: Cdr[];
  /** Rows matching the filter, ignoring limit/offset/cursor; the cap when `total_exact` is false. */
  total: number;
  /** False when counting stopped at `countCap`: there are more than `total` rows. */
  total_exact: boolean;
  /** The last row's position when the page is full (there may be more), else null. */
  next_cursor: CdrCursor | null;
}

/** Exact caller/callee spellings of a masked user's number filter (`UserMasker.exactNumbers`). */
export type ExactNumberFilter = Pick<CdrListFilter, 'caller_exact' | 'callee_exact'>;

export interface CdrSummaryFilter {
  /** start_time >= from (inclusive). */
  from?: Date;
  /** start_time < to (exclusive). */
  to?: Date;
}

/** Call statistics over a time range. */
export interface CdrSummary {
  calls: number;
  /** Calls with status 'completed'. */
  answered: number;
  /** ASR: answered / calls × 100, one decimal; null when there are no calls. */
  answered_pct: number | null;
  /** ACD: mean duration of answered calls in seconds, one decimal; null when none has a duration. */
  avg_duration: number | null;
  /** Sum of all known durations in seconds (rounded to ms); 0 when there are none. */
  total_duration: number;
  /**
   * Sum of costs in `currency` plus costs that have no currency, rounded to 6 decimals; costs in
   * other currencies are left out (they cannot be added up). Null when no call has a cost.
   */
  total_cost: number | null;
  /** The currency of most calls (ties: alphabetical first); null when no call has one. */
  currency: string | null;
  /** Count per status; every status is present (0 when none). */
  by_status: Record<CdrStatus, number>;
  /** Count per direction; every direction is present (0 when none). */
  by_direction: Record<CdrDirection, number>;
}

/** A CDR and the stored facts around it (GET /api/sippy/cdrs/:id). */
export interface CdrDetailRow {
  cdr: Cdr;
  pdd: number | null;
  source: string;
  first_seen_at: Date;
  updated_at: Date;
  raw: RawCdr;
}

export const CDR_LIST_DEFAULT_LIMIT = 50;
export const CDR_LIST_MAX_LIMIT = 1000;

/**
 * Rows per upsert statement (one JSON parameter, so no bound-parameter limit): a sync page (SIPPY_SYNC_PAGE_SIZE,
 * 1,000 by default) is one chunk — two round-trips and one rollup contribution per page.
 */
export const CDR_UPSERT_CHUNK_SIZE = 1000;

/** Canonical columns, in `Cdr` order (everything but id/source/raw/timestamps). */
const CONTENT_COLUMNS = CDR_FIELDS.filter((field): field is Exclude<(typeof CDR_FIELDS)[number], 'id'> => field !== 'id') satisfies readonly (keyof CdrRow)[];

/** Columns an upsert overwrites; a row is "changed" when any of them differs. */
const UPDATED_COLUMNS = ['source', ...CONTENT_COLUMNS, 'raw'] as const;

/** Columns an upsert inserts; `first_seen_at` last (now() unless the chunk's JSON carries one). */
const INSERT_COLUMNS = ['id', ...UPDATED_COLUMNS, 'first_seen_at'] as const;

const TIME_FIELDS = ['start_time', 'end_time', 'setup_time'] as const;
const INTEGER_FIELDS = ['billed_duration', 'result', 'sip_code'] as const;
const NUMBER_FIELDS = ['duration', 'cost'] as const;
const TEXT_FIELDS = [
  'call_id',
  'caller',
  'callee',
  'disconnect_reason',
  'release_source',
  'country',
  'country_code',
  'city',
  'currency',
  'trunk',
  'codec',
  'account',
  'remote_ip',
] as const;

const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

/** The only code that reads or writes the `cdrs` table. */
@Injectable()
export class CdrRepository {
  readonly #database: DatabaseService;
  #shapeRead: Promise<CdrTableShape> | undefined;

  constructor(database: DatabaseService) {
    this.#database = database;
  }

  /**
   * Inserts new CDRs and updates changed ones (`insert … on conflict (id) do update`), in chunks.
   * Idempotent: storing the same rows again changes nothing and reports 0/0. `first_seen_at`
   * is set once; `updated_at` moves only when the raw record or a canonical field changed.
   * Within one call a repeated id keeps its last occurrence.
   *
   * Pass `trx` to make it part of a larger transaction (the sync job saves its cursor in the
   * same one); without it the whole call is one transaction of its own.
   * @throws TypeError when a CDR cannot be stored as is (bad time, non-integer code, …), naming it.
   */
  async upsertMany(rows: readonly CdrUpsertInput[], trx?: Kysely<Database>, options: CdrUpsertOptions = {}): Promise<CdrUpsertResult> {
    const byId = new Map<string, NewCdrRow>();
    for (const input of rows) {
      const row = toNewRow(input);
      byId.delete(row.id); // re-insert so the map keeps the last occurrence's position
      byId.set(row.id, row);
    }
    const values = [...byId.values()];
    if (values.length === 0) {
      return { inserted: 0, updated: 0 };
    }
    const run = async (executor: Kysely<Database>): Promise<CdrUpsertResult> => {
      const total = { inserted: 0, updated: 0 };
      for (let i = 0; i < values.length; i += CDR_UPSERT_CHUNK_SIZE) {
        const chunk = values.slice(i, i + CDR_UPSERT_CHUNK_SIZE);
        const result = await this.#upsertChunk(executor, chunk, options);
        total.inserted += result.inserted;
        total.updated += result.updated;
      }
      return total;
    };
    return trx ? run(trx) : this.#database.db.transaction().execute(run);
  }

  async #upsertChunk(executor: Kysely<Database>, incoming: NewCdrRow[], options: CdrUpsertOptions): Promise<CdrUpsertResult> {
    const shape = await this.#shape(executor);
    // On a partitioned table only the months the chunk spans (±1, and the default partition) are read.
    const span = shape === 'partitioned' ? monthSpan(incoming) : sql<SqlBool>`true`;
    // `id = any(<array>)`: the planner sees the array's length and probes the key index once per id (the form
    // `id in (select unnest(…))` let it pick a range scan of the month span's partitions instead).
    const ids = sql.val(incoming.map((row) => row.id));
    // Round-trip 1: lock the stored versions of the chunk's rows (until commit), so the next statement's snapshot
    // holds their latest versions, and read what tells inserted from updated rows (`xmax` cannot be returned from a
    // partitioned table) and which rows moved to another start; plus the retention horizon (docs/decisions.md, "CDR
    // table: monthly partitions"). One row even when nothing is stored (the left join keeps the horizon's).
    // first_seen_at as text: microseconds kept (a JS Date has milliseconds) for a moved row's new version.
    const pre = await sql<{ horizon: string | null; id: string | null; start_time: Date | null; first_seen_at: string | null }>`
      with stored as (select id, start_time, first_seen_at::text as first_seen_at from cdrs where id = any(${ids}::text[]) and ${span} for update)
      select h.horizon, s.id, s.start_time, s.first_seen_at
      from (select (select state->>'from' from sync_state where key = ${CDR_RETENTION_STATE_KEY}) as horizon) as h
      left join stored as s on true`.execute(executor);
    const horizon = parseHorizon(pre.rows[0]?.horizon ?? null);
    const storedById = new Map<string, { start_time: Date | null; first_seen_at: string }>();
    for (const row of pre.rows) {
      if (row.id !== null && row.first_seen_at !== null) storedById.set(row.id, { start_time: row.start_time, first_seen_at: row.first_seen_at });
    }
    // CDRs that started before the retention horizon were dropped with their month: a re-read of an old window must
    // not store them again (their calls are still in the rollups).
    const chunk = horizon === null ? incoming : incoming.filter((row) => row.start_time === null || (row.start_time as Date) >= horizon);
    if (chunk.length === 0) return { inserted: 0, updated: 0 };
    // On the partitioned table the conflict key `(id, start_time)` does not find a stored row whose start changed (to
    // another month it even belongs in another partition): its old version is deleted and the new one inserted,
    // keeping first_seen_at (it counts as updated). On the plain table the conflict key is `id`: updated in place.
    const moved =
      shape === 'partitioned'
        ? chunk.filter((row) => {
            const old = storedById.get(row.id);
            return old !== undefined && timeOf(old.start_time) !== timeOf(row.start_time as Date | null);
          })
        : [];
    const firstSeen = new Map(moved.map((row) => [row.id, storedById.get(row.id)?.first_seen_at]));
    // Round-trip 2: one statement upserts the chunk and, from the rows the upsert really inserted or changed, builds
    // one contribution — the stored old version times −1 plus the new version times +1 — and adds it to every rollup
    // (docs/reports.md). Re-sent unchanged rows are not touched at all; a re-sent CDR can never count twice. Every
    // sub-statement runs on the same snapshot: `old` reads the versions from before the upsert (of the ids the pre-read
    // found: none for new CDRs), and `gone` deletes the old versions of moved rows without seeing the new ones `up`
    // inserts. The chunk travels as ONE json parameter, so the statement's text and plan do not grow with its rows (a
    // 500-row `values` list of 28 bound parameters per row took ~61 ms per chunk to send, bind and plan; this ~23 ms).
    const upsert = cdrUpsertQuery(executor, cdrChunkJson(chunk, firstSeen), shape)
      .returning(['cdrs.id', sql<string | null>`${PDD_SQL}`.as('pdd')])
      .returning(CONTRIBUTION_FIELDS.map((c) => `cdrs.${c}` as const));
    const gone =
      shape === 'partitioned' ? sql`gone as (delete from cdrs where id = any(${sql.val([...firstSeen.keys()])}::text[]) and ${span}),` : sql``;
    const result = await sql<{ id: string }>`
      with old as (select id, ${CONTRIBUTION_COLUMNS} from cdrs where id = any(${sql.val([...storedById.keys()])}::text[]) and ${span}),
      ${gone}
      up as (${upsert}),
      delta as (
        select -1 as sign, old.* from old where old.id in (select id from up)
        union all
        select 1, id, ${sql.join(CONTRIBUTION_FIELDS.map((c) => sql.ref(c)))}, pdd from up
      ),
      contribution as materialized (${rollupContribution(sql`delta`)}),
      ${rollupUpserts('contribution')}
      select id from up`.execute(executor);
    const insertedIds = result.rows.filter((r) => !storedById.has(r.id)).map((r) => r.id);
    if (insertedIds.length > 0) options.onInserted?.(insertedIds);
    const inserted = insertedIds.length;
    return { inserted, updated: result.rows.length - inserted };
  }

  /** 'partitioned' when migration 0023 converted `cdrs` (PostgreSQL 15+), else 'plain' (read once). */
  #shape(executor: Kysely<Database>): Promise<CdrTableShape> {
    this.#shapeRead ??= cdrTableShape(executor).catch((error: unknown) => {
      this.#shapeRead = undefined;
      throw error;
    });
    return this.#shapeRead;
  }

  /**
   * A page of CDRs matching `filter`, newest first, and its total (one consistent snapshot).
   * The total is exact from the hourly rollup when the filters allow it (no caller/callee/
   * min_duration, hour-aligned from/to, country given as a code or a known name); otherwise
   * `count(*)` stops at `countCap` (when given) and reports `total_exact: false`.
   */
  async list(filter: CdrListFilter = {}): Promise<CdrPage> {
    const limit = filter.limit ?? CDR_LIST_DEFAULT_LIMIT;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > CDR_LIST_MAX_LIMIT) {
      throw new RangeError(`limit must be an integer from 1 to ${CDR_LIST_MAX_LIMIT}, got ${limit}`);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    }
    const cap = filter.countCap;
    if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 1)) {
      throw new RangeError(`countCap must be a positive integer, got ${cap}`);
    }
    const where = listConditions(filter);
    const cursor = filter.cursor;
    if (cursor !== undefined) validCursor(cursor);
    return this.#snapshot(async (trx) => {
      const base = trx.selectFrom('cdrs').select(CDR_FIELDS).where(where);
      const page = (query: typeof base, n: number) =>
        query.orderBy('start_time', (ob) => ob.desc().nullsLast()).orderBy('id', 'desc').limit(n);
      let rows: Awaited<ReturnType<typeof base.execute>>;
      if (cursor === undefined) {
        rows = await page(base, limit).offset(offset).execute();
      } else if (cursor.start_time === null) {
        rows = await page(base.where('start_time', 'is', null).where('id', '<', cursor.id), limit).offset(offset).execute();
      } else {
        // Keyset: the dated rows after the cursor by a plain row comparison (an index range scan, however deep the
        // page), then — only when they do not fill the page — the undated rows, which sort last. One "… or
        // start_time is null" condition instead would make PostgreSQL scan the index from the top on every page.
        const after = sql<SqlBool>`(start_time, id) < (${cursor.start_time}, ${cursor.id})`;
        const dated = await page(base.where('start_time', 'is not', null).where(after), limit + offset).execute();
        rows = dated;
        if (dated.length < limit + offset) {
          const undated = await page(base.where('start_time', 'is', null), limit + offset - dated.length).execute();
          rows = [...dated, ...undated];
        }
        rows = rows.slice(offset, offset + limit);
      }
      const last = rows.at(-1);
      const next_cursor = rows.length === limit && last !== undefined ? { start_time: last.start_time, id: last.id } : null;
      const fromRollup = await this.#rollupTotal(trx, filter);
      if (fromRollup !== null) {
        return { items: rows.map(toCdr), total: fromRollup, total_exact: true, next_cursor };
      }
      const counted =
        cap === undefined
          ? trx.selectFrom('cdrs').select((eb) => eb.fn.countAll<number>().as('total')).where(where)
          : trx
              .selectFrom(trx.selectFrom('cdrs').select(sql`1`.as('one')).where(where).limit(cap + 1).as('capped'))
              .select((eb) => eb.fn.countAll<number>().as('total'));
      const { total } = await counted.executeTakeFirstOrThrow();
      if (cap !== undefined && total > cap) {
        return { items: rows.map(toCdr), total: cap, total_exact: false, next_cursor };
      }
      return { items: rows.map(toCdr), total, total_exact: true, next_cursor };
    });
  }

  /**
   * The exact total from the totals rollups (whole UTC days from `cdr_rollup_daily_totals`, the hours around them
   * from `cdr_rollup_hourly_totals`), or null when the filter needs raw rows.
   */
  async #rollupTotal(trx: Kysely<Database>, filter: CdrListFilter): Promise<number | null> {
    const plan = rollupPlan(filter);
    if (plan === null) {
      return null;
    }
    const eb = expressionBuilder<Database, 'cdr_rollup_hourly_totals'>();
    const conditions: Expression<SqlBool>[] = [];
    if (plan.statuses !== undefined) {
      conditions.push(plan.statuses.length === 0 ? sql<SqlBool>`false` : eb('status', 'in', plan.statuses));
    }
    if (plan.directions !== undefined) {
      conditions.push(plan.directions.length === 0 ? sql<SqlBool>`false` : eb('direction', 'in', plan.directions));
    }
    if (plan.countryCode !== undefined) {
      conditions.push(eb('country_code', '=', plan.countryCode));
    }
    // The rollups keep the months retention dropped; the list cannot show them, so its total starts at the horizon
    // (the start of a UTC month: whole days, so the daily/hourly split stays as it is).
    const horizon = await readRetentionHorizon(trx);
    const from = horizon !== null && (filter.from === undefined || filter.from < horizon) ? horizon : filter.from;
    const rolled = await sql<{ total: NumericText }>`
      select coalesce(sum(calls), 0) as total from ${totalsRollup(from, filter.to, eb.and(conditions))} as t`.execute(trx);
    let total = Number(rolled.rows[0]?.total ?? 0);
    if (filter.from === undefined && filter.to === undefined) {
      // Rows without a start time are not rolled up; they are few (data errors) and indexed last.
      const undated = await trx
        .selectFrom('cdrs')
        .select((e) => e.fn.countAll<number>().as('total'))
        .where(listConditions(filter))
        .where('start_time', 'is', null)
        .executeTakeFirstOrThrow();
      total += undated.total;
    }
    return total;
  }

  /**
   * Every CDR matching `filter` (limit/offset/cursor ignored), in batches of `batchSize`, read by keyset in
   * `order`: `desc` is the list's order (`start_time desc nulls last, id desc`), `asc` its exact reverse; both walk
   * `cdrs_start_time_id_idx`. Each batch is one short query outside any transaction (an export never holds a
   * snapshot, and PGlite's single connection stays free between batches); rows stored while the walk runs appear
   * only if they sort after the current position. Stop iterating and no further query runs.
   */
  async *batches(filter: CdrListFilter, order: 'desc' | 'asc' = 'desc', batchSize = 2000): AsyncGenerator<Cdr[], void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
      throw new RangeError(`batchSize must be an integer from 1 to 50000, got ${batchSize}`);
    }
    const where = listConditions({ ...filter, cursor: undefined, limit: undefined, offset: undefined });
    // Dated and undated rows are walked apart (undated last in desc, first in asc): a plain row comparison on
    // (start_time, id) is an index range scan, while the list's "… or start_time is null" cursor would make every
    // batch scan from the top again.
    const phases: ('dated' | 'undated')[] = order === 'desc' ? ['dated', 'undated'] : ['undated', 'dated'];
    for (const phase of phases) {
      let after: { start_time: Date | null; id: string } | undefined;
      for (;;) {
        let query = this.#database.db.selectFrom('cdrs').select(CDR_FIELDS).where(where);
        if (phase === 'undated') {
          query = query.where('start_time', 'is', null);
          if (after !== undefined) query = query.where('id', order === 'desc' ? '<' : '>', after.id);
          query = query.orderBy('id', order);
        } else {
          query = query.where('start_time', 'is not', null);
          if (after !== undefined) {
            const cmp = order === 'desc' ? sql.raw('<') : sql.raw('>');
            query = query.where(sql<SqlBool>`(start_time, id) ${cmp} (${after.start_time}, ${after.id})`);
          }
          query =
            order === 'desc'
              ? query.orderBy('start_time', (ob) => ob.desc().nullsLast()).orderBy('id', 'desc')
              : query.orderBy('start_time', (ob) => ob.asc().nullsFirst()).orderBy('id', 'asc');
        }
        const rows = await query.limit(batchSize).execute();
        if (rows.length > 0) yield rows.map(toCdr);
        const last = rows[rows.length - 1] as (typeof rows)[number] | undefined;
        if (rows.length < batchSize || last === undefined) break;
        after = { start_time: last.start_time, id: last.id };
      }
    }
  }

  /**
   * One CDR with what the detail view adds: the PDD the switch sent (pdd1xx, else delay: the reports' definition),
   * the source, first-seen/updated times and the raw record. Null for an unknown id.
   */
  async findDetail(id: string): Promise<CdrDetailRow | null> {
    const row = await this.#database.db.selectFrom('cdrs').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const raw: RawCdr = row.raw;
    return { cdr: toCdr(row), pdd: pddOf(raw), source: row.source, first_seen_at: row.first_seen_at, updated_at: row.updated_at, raw };
  }

  /** One CDR by id, or null. */
  async findById(id: string): Promise<Cdr | null> {
    const row = await this.#database.db.selectFrom('cdrs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCdr(row) : null;
  }

  /**
   * Call statistics (ASR, ACD, totals, breakdowns) over `[from, to)` on start_time. The whole
   * hours inside the range are read from the totals rollups (whole UTC days from the daily one); the partial hours at the edges (and
   * an open range's undated rows) from `cdrs`, so the numbers are exact (docs/reports.md).
   */
  async summary(filter: CdrSummaryFilter = {}): Promise<CdrSummary> {
    const from = filter.from === undefined ? undefined : validDate(filter.from, 'from');
    const to = filter.to === undefined ? undefined : validDate(filter.to, 'to');
    const hour = 3_600_000;
    const middleFrom = from === undefined ? undefined : new Date(Math.ceil(from.getTime() / hour) * hour);
    const middleTo = to === undefined ? undefined : new Date(Math.floor(to.getTime() / hour) * hour);
    const useRollup = middleFrom === undefined || middleTo === undefined || middleFrom.getTime() < middleTo.getTime();
    return this.#snapshot(async (trx) => {
      const parts: SummaryPart[] = [];
      if (!useRollup) {
        parts.push(await rawSummaryPart(trx, timeConditions({ from, to })));
      } else {
        parts.push(await rollupSummaryPart(trx, middleFrom, middleTo));
        const eb = expressionBuilder<Database, 'cdrs'>();
        if (from !== undefined && middleFrom !== undefined && from.getTime() < middleFrom.getTime()) {
          parts.push(await rawSummaryPart(trx, timeConditions({ from, to: middleFrom })));
        }
        if (to !== undefined && middleTo !== undefined && middleTo.getTime() < to.getTime()) {
          parts.push(await rawSummaryPart(trx, timeConditions({ from: middleTo, to })));
        }
        if (from === undefined && to === undefined) {
          parts.push(await rawSummaryPart(trx, eb('start_time', 'is', null)));
        }
      }
      return buildSummary(mergeParts(parts));
    });
  }

  /**
   * Recomputes every rollup (cdr-rollup.sql.ts) from `cdrs`, one UTC day per transaction (so 10M rows never sit
   * in one transaction). Each day's transaction locks `cdrs` against writers (`share row
   * exclusive`: a sync waits for it, reads go on), deletes the day's buckets and inserts them
   * afresh. Idempotent. Returns the days rebuilt.
   */
  async rebuildRollups(onDay?: (day: Date) => void): Promise<number> {
    const range = await sql<{ lo: Date | null; hi: Date | null }>`
      select least((select min(start_time) from cdrs), (select min(bucket) from cdr_rollup_daily_totals),
          (select min(bucket) from cdr_rollup_hourly_totals), (select min(bucket) from cdr_rollup_report_hourly),
          (select min(bucket) from cdr_rollup_report_hourly_totals), (select min(bucket) from cdr_rollup_report_daily)) as lo,
        greatest((select max(start_time) from cdrs), (select max(bucket) from cdr_rollup_daily_totals),
          (select max(bucket) from cdr_rollup_hourly_totals), (select max(bucket) from cdr_rollup_report_hourly),
          (select max(bucket) from cdr_rollup_report_hourly_totals), (select max(bucket) from cdr_rollup_report_daily)) as hi`.execute(
      this.#database.db,
    );
    // Before the retention horizon the rows are gone but the rollups are kept: never rebuild (zero) those days.
    const horizon = await readRetentionHorizon(this.#database.db);
    const first = range.rows[0]?.lo ?? null;
    const lo = first !== null && horizon !== null && first < horizon ? horizon : first;
    const hi = range.rows[0]?.hi ?? null;
    if (lo === null || hi === null) {
      return 0;
    }
    const day = 86_400_000;
    let days = 0;
    for (let start = Math.floor(lo.getTime() / day) * day; start <= hi.getTime(); start += day) {
      const from = new Date(start);
      const to = new Date(start + day);
      await this.#database.db.transaction().execute(async (trx) => {
        await sql`lock table cdrs in share row exclusive mode`.execute(trx);
        await sql`delete from cdr_rollup_daily_totals where bucket >= ${from} and bucket < ${to}`.execute(trx);
        await sql`delete from cdr_rollup_hourly_totals where bucket >= ${from} and bucket < ${to}`.execute(trx);
        await sql`delete from cdr_rollup_report_hourly where bucket >= ${from} and bucket < ${to}`.execute(trx);
        await sql`delete from cdr_rollup_report_hourly_totals where bucket >= ${from} and bucket < ${to}`.execute(trx);
        await sql`delete from cdr_rollup_report_daily where bucket >= ${from} and bucket < ${to}`.execute(trx);
        await rollupApply(sql`(select * from cdrs where start_time >= ${from} and start_time < ${to})`, 1).execute(trx);
      });
      days += 1;
      onDay?.(from);
    }
    return days;
  }

  /**
   * Every row of a totals rollup (`cdr_rollup_hourly_totals` or `cdr_rollup_daily_totals`) with calls, in key order,
   * sums rounded to 6 decimals (they are doubles). For tests comparing an incrementally maintained rollup with a rebuild.
   */
  async rollupRows(table: 'totals' | 'daily' = 'totals'): Promise<Record<string, unknown>[]> {
    const result = await sql<Record<string, unknown>>`
      select bucket, country_code, status, direction, currency, calls, answered,
        round(duration_sum::numeric, 6)::text as duration_sum,
        round(answered_duration_sum::numeric, 6)::text as answered_duration_sum, answered_duration_count,
        billed_sum, round(cost_sum::numeric, 6)::text as cost_sum, cost_count,
        round(pdd_sum::numeric, 6)::text as pdd_sum, pdd_count
      from ${sql.table(table === 'daily' ? 'cdr_rollup_daily_totals' : 'cdr_rollup_hourly_totals')} where calls <> 0
      order by bucket, country_code, status, direction, currency`.execute(this.#database.db);
    return result.rows;
  }

  /**
   * Every row of the reports' rollup (migration 0018) with calls, in key order, sums as exact decimal text (they are
   * `numeric`: no residue). For tests comparing the incrementally maintained rollup with a rebuild.
   */
  async reportRollupRows(table: 'fine' | 'totals' | 'daily' = 'fine'): Promise<Record<string, unknown>[]> {
    const fine = table !== 'totals';
    const key = fine ? sql`bucket, country_code, status, direction, account, trunk, currency, result, answered` : sql`bucket, country_code, status, direction, currency, result, answered`;
    const result = await sql<Record<string, unknown>>`
      select ${key}, calls, trim_scale(talk_seconds)::text as talk_seconds, billed_seconds, trim_scale(cost_sum)::text as cost_sum, cost_count,
        trim_scale(pdd_sum)::text as pdd_sum, pdd_count
      from ${sql.table(table === 'fine' ? 'cdr_rollup_report_hourly' : table === 'daily' ? 'cdr_rollup_report_daily' : 'cdr_rollup_report_hourly_totals')} where calls <> 0
      order by ${key}`.execute(this.#database.db);
    return result.rows;
  }

  /** Number of stored CDRs. */
  async countAll(): Promise<number> {
    const row = await this.#database.db
      .selectFrom('cdrs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  /** CDRs whose start_time lies in [from, to) (an index range count; reconciliation compares it with the switch). */
  async countStartedIn(from: Date, to: Date, trx?: Kysely<Database>): Promise<number> {
    const row = await (trx ?? this.#database.db)
      .selectFrom('cdrs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('start_time', '>=', validDate(from, 'from'))
      .where('start_time', '<', validDate(to, 'to'))
      .executeTakeFirstOrThrow();
    return row.count; // int8 → number (database-type-parsers.ts)
  }

  /** Every stored id, in id order (byte-wise). For tests and sync verification. */
  async allIds(): Promise<string[]> {
    const rows = await this.#database.db.selectFrom('cdrs').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Runs reads in one read-only repeatable-read transaction, so a page and its total agree. */
  /**
   * One consistent snapshot for the list and the summary, without parallel query: their statements read a few
   * thousand index or rollup rows, and starting parallel workers for them (the planner does once the daily and hourly
   * totals are appended) cost ~100 ms per request on a busy 2-core server — more than the whole query.
   */
  #snapshot<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
        return fn(trx);
      });
  }
}

/**
 * The rows of a chunk as one JSON array for `json_populate_recordset(null::cdrs, $1)`: every column `toNewRow` set,
 * `raw` spliced in as the JSON text it already is, `first_seen_at` for the ids in `firstSeen` (rows moved to another
 * start keep theirs). Strings with a lone UTF-16 surrogate get U+FFFD in its place, as the drivers' UTF-8 encoding of a
 * text parameter did (the JSON escape of one is rejected by PostgreSQL).
 */
export function cdrChunkJson(chunk: readonly NewCdrRow[], firstSeen: ReadonlyMap<string, string | undefined> = new Map()): string {
  const parts = chunk.map((row) => {
    const { raw, ...rest } = row;
    const seen = firstSeen.get(row.id);
    const fields = JSON.stringify(seen === undefined ? rest : { ...rest, first_seen_at: seen }, wellFormedStrings);
    return `${fields.slice(0, -1)},"raw":${raw}}`;
  });
  return `[${parts.join(',')}]`;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' && SURROGATE.test(value) ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
}

/**
 * `insert … on conflict (id) do update … where <any stored column differs>` of a chunk of rows (`(id, start_time)` on
 * the partitioned table, whose key must contain the partition key): what `CdrRepository.upsertMany` runs per chunk
 * (inside its rollup statement). Exported for the ingest benchmark, whose baseline is this same statement without the
 * rollup maintenance.
 */
export function cdrUpsertQuery(executor: Kysely<Database>, chunkJson: string, shape: CdrTableShape) {
  return executor
    .insertInto('cdrs')
    .columns(INSERT_COLUMNS)
    .expression(
      sql`select ${sql.join(INSERT_COLUMNS.slice(0, -1).map((c) => sql.ref(c)))}, coalesce(first_seen_at, now())
        from json_populate_recordset(null::cdrs, ${chunkJson}::json)`,
    )
    .onConflict(cdrOnConflict(shape));
}

/** The `on conflict … do update … where <a stored column differs>` of the CDR upsert, by table shape. */
export function cdrOnConflict(shape: CdrTableShape) {
  return (oc: OnConflictBuilder<Database, 'cdrs'>) =>
    oc
      .columns(shape === 'partitioned' ? ['id', 'start_time'] : ['id'])
      .doUpdateSet((eb) => ({
        source: eb.ref('excluded.source'),
        call_id: eb.ref('excluded.call_id'),
        caller: eb.ref('excluded.caller'),
        callee: eb.ref('excluded.callee'),
        start_time: eb.ref('excluded.start_time'),
        end_time: eb.ref('excluded.end_time'),
        setup_time: eb.ref('excluded.setup_time'),
        duration: eb.ref('excluded.duration'),
        billed_duration: eb.ref('excluded.billed_duration'),
        status: eb.ref('excluded.status'),
        result: eb.ref('excluded.result'),
        sip_code: eb.ref('excluded.sip_code'),
        disconnect_reason: eb.ref('excluded.disconnect_reason'),
        release_source: eb.ref('excluded.release_source'),
        direction: eb.ref('excluded.direction'),
        country: eb.ref('excluded.country'),
        country_code: eb.ref('excluded.country_code'),
        city: eb.ref('excluded.city'),
        cost: eb.ref('excluded.cost'),
        currency: eb.ref('excluded.currency'),
        trunk: eb.ref('excluded.trunk'),
        codec: eb.ref('excluded.codec'),
        account: eb.ref('excluded.account'),
        remote_ip: eb.ref('excluded.remote_ip'),
        raw: eb.ref('excluded.raw'),
        updated_at: sql`now()`,
      }))
      .where(
        sql<SqlBool>`(${sql.join(UPDATED_COLUMNS.map((c) => sql.ref(`cdrs.${c}`)))}) is distinct from (${sql.join(
          UPDATED_COLUMNS.map((c) => sql.ref(`excluded.${c}`)),
        )})`,
      );
}

// ---------------------------------------------------------------------------------------------
// Filters

export { ANSWERED_SQL };

/** The WHERE of a CDR list filter; the reports use the same one, so a report cell and its CDR list agree. */
export function cdrFilterConditions(filter: CdrListFilter): Expression<SqlBool> {
  return listConditions(filter);
}

function listConditions(filter: CdrListFilter): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'cdrs'>();
  const conditions: Expression<SqlBool>[] = [timeConditions(filter)];
  for (const column of ['caller', 'callee'] as const) {
    const term = filter[column];
    const exact = filter[`${column}_exact`];
    if (exact !== undefined) {
      conditions.push(exact.length === 0 ? sql<SqlBool>`false` : eb(column, 'in', [...exact]));
    } else if (term !== undefined) {
      if (typeof term !== 'string') {
        throw new TypeError(`${column} must be a string`);
      }
      const trimmed = term.trim();
      if (trimmed !== '') {
        conditions.push(sql<SqlBool>`${eb.ref(column)} ilike ${`%${escapeLike(trimmed)}%`} escape '\\'`);
      }
    }
  }
  if (filter.status !== undefined) {
    const statuses = asList(filter.status, CDR_STATUSES, 'status');
    conditions.push(statuses.length === 0 ? sql<SqlBool>`false` : eb('status', 'in', statuses));
  }
  if (filter.direction !== undefined) {
    const directions = asList(filter.direction, CDR_DIRECTIONS, 'direction');
    conditions.push(directions.length === 0 ? sql<SqlBool>`false` : eb('direction', 'in', directions));
  }
  if (filter.country !== undefined) {
    const country = filter.country.trim();
    if (country !== '') {
      const code = lookupCountryCode(country);
      // A code or a known English/Turkish name matches the ISO code; anything else the stored name.
      conditions.push(
        code === null
          ? sql<SqlBool>`lower(${eb.ref('country')}) = lower(${country})`
          : eb('country_code', '=', code),
      );
    }
  }
  if (filter.min_duration !== undefined) {
    if (!Number.isFinite(filter.min_duration) || filter.min_duration < 0) {
      throw new RangeError(`min_duration must be a finite number >= 0, got ${filter.min_duration}`);
    }
    conditions.push(eb('duration', '>=', filter.min_duration));
  }
  if (filter.city !== undefined && filter.city.trim() !== '') {
    conditions.push(sql<SqlBool>`lower(${eb.ref('city')}) = lower(${filter.city.trim()})`);
  }
  for (const column of ['account', 'trunk'] as const) {
    const value = filter[column];
    if (value !== undefined && value.trim() !== '') {
      conditions.push(eb(column, '=', value.trim()));
    }
  }
  if (filter.result !== undefined) {
    if (!Number.isInteger(filter.result)) {
      throw new RangeError(`result must be an integer, got ${filter.result}`);
    }
    conditions.push(eb('result', '=', filter.result));
  }
  if (filter.answered !== undefined) {
    conditions.push(filter.answered ? ANSWERED_SQL : sql<SqlBool>`not ${ANSWERED_SQL}`);
  }
  return eb.and(conditions);
}

/** Rows after `cursor` in the list order `start_time desc nulls last, id desc`. */
function validCursor(cursor: CdrCursor): void {
  if (typeof cursor.id !== 'string' || (cursor.start_time !== null && Number.isNaN(cursor.start_time.getTime()))) {
    throw new TypeError('cursor must have a string id and a valid Date or null start_time');
  }
}

/** PDD in seconds as the reports define it: a positive `pdd1xx`, else a positive `delay`; null otherwise. */
export function pddOf(raw: RawCdr): number | null {
  for (const key of ['pdd1xx', 'delay']) {
    const value = raw[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
    if (Number.isFinite(n) && n > 0) return n;
  }
  return null;
}

/** What the rollup can answer of a list filter, or null. */
function rollupPlan(
  filter: CdrListFilter,
): { statuses?: CdrStatus[]; directions?: CdrDirection[]; countryCode?: string } | null {
  const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';
  // Filters the rollup has no dimension for (or only a coarser one): the total needs raw rows.
  if (
    !blank(filter.caller) ||
    !blank(filter.callee) ||
    filter.caller_exact !== undefined ||
    filter.callee_exact !== undefined ||
    filter.min_duration !== undefined ||
    !blank(filter.city) ||
    !blank(filter.account) ||
    !blank(filter.trunk) ||
    filter.result !== undefined ||
    filter.answered !== undefined
  ) {
    return null;
  }
  if ((filter.from !== undefined && !isHourAligned(filter.from)) || (filter.to !== undefined && !isHourAligned(filter.to))) {
    return null;
  }
  const plan: { statuses?: CdrStatus[]; directions?: CdrDirection[]; countryCode?: string } = {};
  if (filter.status !== undefined) {
    plan.statuses = asList(filter.status, CDR_STATUSES, 'status');
  }
  if (filter.direction !== undefined) {
    plan.directions = asList(filter.direction, CDR_DIRECTIONS, 'direction');
  }
  if (filter.country !== undefined && filter.country.trim() !== '') {
    const code = lookupCountryCode(filter.country.trim());
    if (code === null) {
      return null;
    }
    plan.countryCode = code;
  }
  return plan;
}

export function isHourAligned(date: Date): boolean {
  return date.getTime() % 3_600_000 === 0;
}

function timeConditions(filter: CdrSummaryFilter): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'cdrs'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.from !== undefined) {
    conditions.push(eb('start_time', '>=', validDate(filter.from, 'from')));
  }
  if (filter.to !== undefined) {
    conditions.push(eb('start_time', '<', validDate(filter.to, 'to')));
  }
  return eb.and(conditions);
}


function asList<T extends string>(value: T | readonly T[], allowed: readonly T[], name: string): T[] {
  const list: readonly T[] = typeof value === 'string' ? [value] : value;
  for (const item of list) {
    if (!allowed.includes(item)) {
      throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${item}`);
    }
  }
  return [...list];
}

function validDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`${name} must be a valid Date`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Row mapping

/** A CDR as the row `upsertMany` stores (exported for the ingest benchmark's baseline). */
export function toNewRow({ cdr, raw, source }: CdrUpsertInput): NewCdrRow {
  if (typeof cdr.id !== 'string' || cdr.id.trim() === '' || cdr.id.includes('\u0000')) {
    throw new TypeError(`CDR id must be a non-empty string, got ${JSON.stringify(cdr.id)}`);
  }
  const where = `CDR ${cdr.id}`;
  if (typeof source !== 'string' || source.trim() === '') {
    throw new TypeError(`${where}: source must be a non-empty string`);
  }
  if (!CDR_STATUSES.includes(cdr.status)) {
    throw new TypeError(`${where}: status must be one of ${CDR_STATUSES.join(', ')}, got ${JSON.stringify(cdr.status)}`);
  }
  if (!CDR_DIRECTIONS.includes(cdr.direction)) {
    throw new TypeError(
      `${where}: direction must be one of ${CDR_DIRECTIONS.join(', ')}, got ${JSON.stringify(cdr.direction)}`,
    );
  }
  const row: Record<string, unknown> = {
    id: cdr.id,
    source,
    status: cdr.status,
    direction: cdr.direction,
    raw: toJsonb(raw, where),
  };
  for (const field of TIME_FIELDS) {
    const value = cdr[field];
    if (value === null) {
      row[field] = null;
    } else {
      const date = typeof value === 'string' ? new Date(value) : undefined;
      if (date === undefined || Number.isNaN(date.getTime())) {
        throw new TypeError(`${where}: ${field} must be an ISO 8601 string or null, got ${JSON.stringify(value)}`);
      }
      row[field] = date;
    }
  }
  for (const field of INTEGER_FIELDS) {
    const value = cdr[field];
    if (value !== null && (!Number.isInteger(value) || value < INT4_MIN || value > INT4_MAX)) {
      throw new TypeError(`${where}: ${field} must be a 32-bit integer or null, got ${String(value)}`);
    }
    row[field] = value;
  }
  for (const field of NUMBER_FIELDS) {
    const value = cdr[field];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new TypeError(`${where}: ${field} must be a finite number or null, got ${String(value)}`);
    }
    row[field] = value;
  }
  for (const field of TEXT_FIELDS) {
    const value = cdr[field];
    if (value !== null && typeof value !== 'string') {
      throw new TypeError(`${where}: ${field} must be a string or null`);
    }
    row[field] = value === null ? null : stripNul(value);
  }
  return row as unknown as NewCdrRow;
}

function toCdr(row: Pick<CdrRow, (typeof CDR_FIELDS)[number]>): Cdr {
  return {
    id: row.id,
    call_id: row.call_id,
    caller: row.caller,
    callee: row.callee,
    start_time: toIso(row.start_time),
    end_time: toIso(row.end_time),
    setup_time: toIso(row.setup_time),
    duration: row.duration,
    billed_duration: row.billed_duration,
    status: row.status as CdrStatus,
    result: row.result,
    sip_code: row.sip_code,
    disconnect_reason: row.disconnect_reason,
    release_source: row.release_source,
    direction: row.direction as CdrDirection,
    country: row.country,
    country_code: row.country_code,
    city: row.city,
    cost: row.cost,
    currency: row.currency,
    trunk: row.trunk,
    codec: row.codec,
    account: row.account,
    remote_ip: row.remote_ip,
  };
}

function toIso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

// ---------------------------------------------------------------------------------------------
// Summary

/**
 * `sum()` over a bigint column is `numeric`, which both drivers return as a lossless decimal string
 * (database-type-parsers.ts); `Number()` it where a count is needed.
 */
type NumericText = string;

/** Additive pieces of a summary (from raw rows or the rollup), merged before the ratios are taken. */
interface SummaryPart {
  calls: number;
  answered: number;
  answered_duration_sum: number;
  answered_duration_count: number;
  total_duration: number;
  by_status: Record<string, number>;
  by_direction: Record<string, number>;
  currencies: { currency: string | null; calls: number; costed: number; cost: number }[];
}

async function rawSummaryPart(trx: Kysely<Database>, where: Expression<SqlBool>): Promise<SummaryPart> {
  const totals = await trx
    .selectFrom('cdrs')
    .where(where)
    .select((eb) => [
      eb.fn.countAll<number>().as('calls'),
      sql<number>`count(*) filter (where status = 'completed')`.as('answered'),
      sql<number>`coalesce(sum(duration) filter (where status = 'completed'), 0)`.as('answered_duration_sum'),
      sql<number>`count(duration) filter (where status = 'completed')`.as('answered_duration_count'),
      sql<number>`coalesce(sum(duration), 0)`.as('total_duration'),
    ])
    .executeTakeFirstOrThrow();
  const groups = await trx
    .selectFrom('cdrs')
    .where(where)
    .select((eb) => [
      'status',
      'direction',
      'currency',
      eb.fn.countAll<number>().as('calls'),
      eb.fn.count<number>('cost').as('costed'),
      sql<number>`coalesce(sum(cost), 0)`.as('cost'),
    ])
    .groupBy(['status', 'direction', 'currency'])
    .execute();
  return partOf(totals, groups);
}

async function rollupSummaryPart(trx: Kysely<Database>, from: Date | undefined, to: Date | undefined): Promise<SummaryPart> {
  const source = totalsRollup(from, to, sql<SqlBool>`true`);
  const totals = await sql<{
    calls: NumericText;
    answered: NumericText;
    answered_duration_sum: number;
    answered_duration_count: NumericText;
    total_duration: number;
  }>`
    select coalesce(sum(calls), 0) as calls, coalesce(sum(answered), 0) as answered,
      coalesce(sum(answered_duration_sum), 0) as answered_duration_sum,
      coalesce(sum(answered_duration_count), 0) as answered_duration_count, coalesce(sum(duration_sum), 0) as total_duration
    from ${source} as t`.execute(trx);
  const groups = await sql<{ status: string; direction: string; currency: string | null; calls: NumericText; costed: NumericText; cost: number }>`
    select status, direction, nullif(currency, '') as currency, sum(calls) as calls, sum(cost_count) as costed, sum(cost_sum) as cost
    from ${source} as t group by status, direction, currency`.execute(trx);
  return partOf(totals.rows[0], groups.rows); // an aggregate without group by returns one row
}

/**
 * The rows of the totals rollups covering `[from, to)` (hour-aligned or open bounds) and matching `where` (on the
 * totals' key columns), as a derived table: whole UTC days from `cdr_rollup_daily_totals`, the hours before the first
 * and after the last whole day from `cdr_rollup_hourly_totals` — a 30-day total adds ~30 rows per key, not ~720.
 */
function totalsRollup(from: Date | undefined, to: Date | undefined, where: Expression<SqlBool>): RawBuilder<unknown> {
  const day = 86_400_000;
  const columns = sql.join(['bucket', 'country_code', 'status', 'direction', 'currency', ...TOTALS_MEASURES].map((c) => sql.ref(c)));
  const range = (lo: Date | undefined, hi: Date | undefined): Expression<SqlBool> =>
    sql<SqlBool>`${lo === undefined ? sql`true` : sql`bucket >= ${lo}`} and ${hi === undefined ? sql`true` : sql`bucket < ${hi}`}`;
  const select = (table: string, lo: Date | undefined, hi: Date | undefined): RawBuilder<unknown> =>
    sql`select ${columns} from ${sql.table(table)} where ${range(lo, hi)} and ${where}`;
  const dayFrom = from === undefined ? undefined : new Date(Math.ceil(from.getTime() / day) * day);
  const dayTo = to === undefined ? undefined : new Date(Math.floor(to.getTime() / day) * day);
  if (dayFrom !== undefined && dayTo !== undefined && dayFrom.getTime() >= dayTo.getTime()) {
    return sql`(${select('cdr_rollup_hourly_totals', from, to)})`;
  }
  const parts = [select('cdr_rollup_daily_totals', dayFrom, dayTo)];
  if (from !== undefined && dayFrom !== undefined && from.getTime() < dayFrom.getTime()) {
    parts.push(select('cdr_rollup_hourly_totals', from, dayFrom));
  }
  if (to !== undefined && dayTo !== undefined && dayTo.getTime() < to.getTime()) {
    parts.push(select('cdr_rollup_hourly_totals', dayTo, to));
  }
  return sql`(${sql.join(parts, sql` union all `)})`;
}

function partOf(
  totals: {
    calls: number | NumericText;
    answered: number | NumericText;
    answered_duration_sum: number;
    answered_duration_count: number | NumericText;
    total_duration: number;
  },
  groups: readonly {
    status: string;
    direction: string;
    currency: string | null;
    calls: number | NumericText;
    costed: number | NumericText;
    cost: number;
  }[],
): SummaryPart {
  const part: SummaryPart = {
    calls: Number(totals.calls),
    answered: Number(totals.answered),
    answered_duration_sum: totals.answered_duration_sum,
    answered_duration_count: Number(totals.answered_duration_count),
    total_duration: totals.total_duration,
    by_status: {},
    by_direction: {},
    currencies: [],
  };
  const currencies = new Map<string | null, SummaryPart['currencies'][number]>();
  for (const g of groups) {
    const calls = Number(g.calls);
    part.by_status[g.status] = (part.by_status[g.status] ?? 0) + calls;
    part.by_direction[g.direction] = (part.by_direction[g.direction] ?? 0) + calls;
    const c = currencies.get(g.currency) ?? { currency: g.currency, calls: 0, costed: 0, cost: 0 };
    c.calls += calls;
    c.costed += Number(g.costed);
    c.cost += g.cost;
    currencies.set(g.currency, c);
  }
  part.currencies = [...currencies.values()];
  return part;
}

function mergeParts(parts: readonly SummaryPart[]): SummaryPart {
  const merged = partOf({ calls: 0, answered: 0, answered_duration_sum: 0, answered_duration_count: 0, total_duration: 0 }, []);
  const currencies = new Map<string | null, SummaryPart['currencies'][number]>();
  for (const part of parts) {
    merged.calls += part.calls;
    merged.answered += part.answered;
    merged.answered_duration_sum += part.answered_duration_sum;
    merged.answered_duration_count += part.answered_duration_count;
    merged.total_duration += part.total_duration;
    for (const [k, v] of Object.entries(part.by_status)) merged.by_status[k] = (merged.by_status[k] ?? 0) + v;
    for (const [k, v] of Object.entries(part.by_direction)) merged.by_direction[k] = (merged.by_direction[k] ?? 0) + v;
    for (const g of part.currencies) {
      const c = currencies.get(g.currency) ?? { currency: g.currency, calls: 0, costed: 0, cost: 0 };
      c.calls += g.calls;
      c.costed += g.costed;
      c.cost += g.cost;
      currencies.set(g.currency, c);
    }
  }
  merged.currencies = [...currencies.values()];
  return merged;
}

function buildSummary(part: SummaryPart): CdrSummary {
  const { calls, answered, currencies } = part;
  const acd = part.answered_duration_count === 0 ? null : part.answered_duration_sum / part.answered_duration_count;
  const by_status = Object.fromEntries(CDR_STATUSES.map((s) => [s, part.by_status[s] ?? 0])) as Record<CdrStatus, number>;
  const by_direction = Object.fromEntries(CDR_DIRECTIONS.map((d) => [d, part.by_direction[d] ?? 0])) as Record<
    CdrDirection,
    number
  >;

  let top: (typeof currencies)[number] | undefined;
  for (const group of currencies) {
    if (group.currency === null) {
      continue;
    }
    if (
      top === undefined ||
      group.calls > top.calls ||
      (group.calls === top.calls && group.currency < (top.currency ?? ''))
    ) {
      top = group;
    }
  }
  const counted = currencies.filter((g) => g.currency === null || g === top);
  const costed = counted.reduce((n, g) => n + g.costed, 0);
  const cost = counted.reduce((sum, g) => sum + g.cost, 0);

  return {
    calls,
    answered,
    answered_pct: calls === 0 ? null : round((answered / calls) * 100, 1),
    avg_duration: acd === null ? null : round(acd, 1),
    total_duration: round(part.total_duration, 3),
    total_cost: costed === 0 ? null : round(cost, 6),
    currency: top?.currency ?? null,
    by_status,
    by_direction,
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

import { Injectable } from '@nestjs/common';
import { CDR_DIRECTIONS, CDR_FIELDS, CDR_STATUSES, type Cdr, type CdrDirection, type CdrStatus, type RawCdr } from '@velora/sippy';
import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { CdrRow, Database, NewCdrRow } from '../database/database.types';
import { stripNul, toJsonb } from '../database/jsonb';
import { escapeLike } from '../database/like';

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
  /** One status or any of several. An empty array matches nothing. */
  status?: CdrStatus | readonly CdrStatus[];
  /** One direction or any of several. An empty array matches nothing. */
  direction?: CdrDirection | readonly CdrDirection[];
  /** Case-insensitive equality (e.g. 'gb' matches 'GB'). Blank = no filter. */
  country?: string;
  /** duration >= min_duration (seconds); calls with unknown duration are excluded. */
  min_duration?: number;
}

export interface CdrPage {
  /** Newest first: `start_time desc nulls last, id desc` (ids compare byte-wise). */
  items: Cdr[];
  /** Rows matching the filter, ignoring limit/offset. */
  total: number;
}

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

export const CDR_LIST_DEFAULT_LIMIT = 50;
export const CDR_LIST_MAX_LIMIT = 1000;

/** Rows per INSERT: 28 parameters each keeps a statement far below PostgreSQL's 65 535. */
export const CDR_UPSERT_CHUNK_SIZE = 500;

/** Canonical columns, in `Cdr` order (everything but id/source/raw/timestamps). */
const CONTENT_COLUMNS = CDR_FIELDS.filter((field): field is Exclude<(typeof CDR_FIELDS)[number], 'id'> => field !== 'id') satisfies readonly (keyof CdrRow)[];

/** Columns an upsert overwrites; a row is "changed" when any of them differs. */
const UPDATED_COLUMNS = ['source', ...CONTENT_COLUMNS, 'raw'] as const;

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
  async upsertMany(rows: readonly CdrUpsertInput[], trx?: Kysely<Database>): Promise<CdrUpsertResult> {
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
        const result = await this.#upsertChunk(executor, chunk);
        total.inserted += result.inserted;
        total.updated += result.updated;
      }
      return total;
    };
    return trx ? run(trx) : this.#database.db.transaction().execute(run);
  }

  async #upsertChunk(executor: Kysely<Database>, chunk: NewCdrRow[]): Promise<CdrUpsertResult> {
    const returned = await executor
      .insertInto('cdrs')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column('id')
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
          ),
      )
      // xmax is 0 for a freshly inserted row version and the updating transaction's id otherwise.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const inserted = returned.filter((r) => r.inserted).length;
    return { inserted, updated: returned.length - inserted };
  }

  /** A page of CDRs matching `filter`, newest first, and the total count (one consistent snapshot). */
  async list(filter: CdrListFilter = {}): Promise<CdrPage> {
    const limit = filter.limit ?? CDR_LIST_DEFAULT_LIMIT;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > CDR_LIST_MAX_LIMIT) {
      throw new RangeError(`limit must be an integer from 1 to ${CDR_LIST_MAX_LIMIT}, got ${limit}`);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    }
    const where = listConditions(filter);
    return this.#snapshot(async (trx) => {
      const rows = await trx
        .selectFrom('cdrs')
        .selectAll()
        .where(where)
        .orderBy('start_time', (ob) => ob.desc().nullsLast())
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      const count = await trx
        .selectFrom('cdrs')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .where(where)
        .executeTakeFirstOrThrow();
      return { items: rows.map(toCdr), total: Number(count.total) };
    });
  }

  /** One CDR by id, or null. */
  async findById(id: string): Promise<Cdr | null> {
    const row = await this.#database.db.selectFrom('cdrs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCdr(row) : null;
  }

  /** Call statistics (ASR, ACD, totals, breakdowns) over `[from, to)` on start_time. */
  async summary(filter: CdrSummaryFilter = {}): Promise<CdrSummary> {
    const where = timeConditions(filter);
    return this.#snapshot(async (trx) => {
      const totals = await trx
        .selectFrom('cdrs')
        .where(where)
        .select((eb) => [
          eb.fn.countAll<number>().as('calls'),
          sql<number>`count(*) filter (where status = 'completed')`.as('answered'),
          sql<number | null>`avg(duration) filter (where status = 'completed')`.as('acd'),
          sql<number>`coalesce(sum(duration), 0)`.as('total_duration'),
          ...CDR_STATUSES.map((s) => sql<number>`count(*) filter (where status = ${s})`.as(`status_${s}`)),
          ...CDR_DIRECTIONS.map((d) => sql<number>`count(*) filter (where direction = ${d})`.as(`direction_${d}`)),
        ])
        .executeTakeFirstOrThrow();
      const currencies = await trx
        .selectFrom('cdrs')
        .where(where)
        .select((eb) => [
          'currency',
          eb.fn.countAll<number>().as('calls'),
          eb.fn.count<number>('cost').as('costed'),
          eb.fn.sum<number | null>('cost').as('cost'),
        ])
        .groupBy('currency')
        .execute();
      return buildSummary(totals, currencies);
    });
  }

  /** Number of stored CDRs. */
  async countAll(): Promise<number> {
    const row = await this.#database.db
      .selectFrom('cdrs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Every stored id, in id order (byte-wise). For tests and sync verification. */
  async allIds(): Promise<string[]> {
    const rows = await this.#database.db.selectFrom('cdrs').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Runs reads in one read-only repeatable-read transaction, so a page and its total agree. */
  #snapshot<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#database.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  }
}

// ---------------------------------------------------------------------------------------------
// Filters

function listConditions(filter: CdrListFilter): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'cdrs'>();
  const conditions: Expression<SqlBool>[] = [timeConditions(filter)];
  for (const column of ['caller', 'callee'] as const) {
    const term = filter[column];
    if (term !== undefined) {
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
      conditions.push(sql<SqlBool>`lower(${eb.ref('country')}) = lower(${country})`);
    }
  }
  if (filter.min_duration !== undefined) {
    if (!Number.isFinite(filter.min_duration) || filter.min_duration < 0) {
      throw new RangeError(`min_duration must be a finite number >= 0, got ${filter.min_duration}`);
    }
    conditions.push(eb('duration', '>=', filter.min_duration));
  }
  return eb.and(conditions);
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
      throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${String(item)}`);
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

function toNewRow({ cdr, raw, source }: CdrUpsertInput): NewCdrRow {
  if (typeof cdr.id !== 'string' || cdr.id.trim() === '' || cdr.id.includes('\u0000')) {
    throw new TypeError(`CDR id must be a non-empty string, got ${JSON.stringify(cdr.id)}`);
  }
  const where = `CDR ${cdr.id}`;
  if (typeof source !== 'string' || source.trim() === '') {
    throw new TypeError(`${where}: source must be a non-empty string`);
  }
  if (!CDR_STATUSES.includes(cdr.status)) {
    throw new TypeError(`${where}: status must be one of ${CDR_STATUSES.join(', ')}, got ${String(cdr.status)}`);
  }
  if (!CDR_DIRECTIONS.includes(cdr.direction)) {
    throw new TypeError(
      `${where}: direction must be one of ${CDR_DIRECTIONS.join(', ')}, got ${String(cdr.direction)}`,
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

function toCdr(row: CdrRow): Cdr {
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

function buildSummary(
  totals: Record<string, number | null>,
  currencies: readonly { currency: string | null; calls: number; costed: number; cost: number | null }[],
): CdrSummary {
  const calls = Number(totals['calls'] ?? 0);
  const answered = Number(totals['answered'] ?? 0);
  const acd = totals['acd'];
  const by_status = Object.fromEntries(CDR_STATUSES.map((s) => [s, Number(totals[`status_${s}`] ?? 0)])) as Record<
    CdrStatus,
    number
  >;
  const by_direction = Object.fromEntries(
    CDR_DIRECTIONS.map((d) => [d, Number(totals[`direction_${d}`] ?? 0)]),
  ) as Record<CdrDirection, number>;

  let top: (typeof currencies)[number] | undefined;
  for (const group of currencies) {
    if (group.currency === null) {
      continue;
    }
    const calls_ = Number(group.calls);
    if (
      top === undefined ||
      calls_ > Number(top.calls) ||
      (calls_ === Number(top.calls) && group.currency < (top.currency ?? ''))
    ) {
      top = group;
    }
  }
  const counted = currencies.filter((g) => g.currency === null || g === top);
  const costed = counted.reduce((n, g) => n + Number(g.costed), 0);
  const cost = counted.reduce((sum, g) => sum + (g.cost === null ? 0 : Number(g.cost)), 0);

  return {
    calls,
    answered,
    answered_pct: calls === 0 ? null : round((answered / calls) * 100, 1),
    avg_duration: acd === null || acd === undefined ? null : round(Number(acd), 1),
    total_duration: round(Number(totals['total_duration'] ?? 0), 3),
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

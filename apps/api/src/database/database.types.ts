import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely schema of the Velora database. Must match the migrations in `./migrations`.
 *
 * Value types are the same on both drivers (PGlite and `pg`); see `database-type-parsers.ts`:
 * - `timestamptz` → JS `Date` (write a `Date` or an ISO 8601 string);
 * - `double precision`, `integer` → JS `number`;
 * - `jsonb` → parsed JSON (write a JSON string, see `toJsonb()`);
 * - `int8`/`bigint` (only produced by `count(*)`/`sum(integer)`) → JS `number` (throws past 2^53);
 * - `numeric` (only produced by aggregates such as `avg(integer)`) → decimal `string`.
 * Ids are stored as `text`: Sippy ids exceed 2^31 and JS numbers lose digits past 2^53.
 */
export interface Database {
  cdrs: CdrsTable;
  sync_state: SyncStateTable;
}

/** Timestamp column: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Timestamp column with a SQL default (`now()`). */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb column: read as parsed JSON, written as a JSON text (always `JSON.stringify` it yourself). */
export type Jsonb<T> = ColumnType<T, string, string>;

export interface CdrsTable {
  /** Source record id (Sippy i_cdr as a decimal string). */
  id: string;
  /** Where the record came from ('sippy', …). */
  source: ColumnType<string, string | undefined, string>;
  call_id: string | null;
  caller: string | null;
  callee: string | null;
  start_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  end_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  setup_time: ColumnType<Date | null, Date | string | null, Date | string | null>;
  duration: number | null;
  billed_duration: number | null;
  /** One of CDR_STATUSES (check constraint). */
  status: string;
  result: number | null;
  sip_code: number | null;
  disconnect_reason: string | null;
  release_source: string | null;
  /** One of CDR_DIRECTIONS (check constraint). */
  direction: string;
  country: string | null;
  city: string | null;
  cost: number | null;
  currency: string | null;
  trunk: string | null;
  codec: string | null;
  account: string | null;
  remote_ip: string | null;
  /** The source record as received, unknown fields kept. */
  raw: Jsonb<Record<string, unknown>>;
  first_seen_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SyncStateTable {
  key: string;
  state: Jsonb<unknown>;
  updated_at: GeneratedTimestamp;
}

export type CdrRow = Selectable<CdrsTable>;
export type NewCdrRow = Insertable<CdrsTable>;
export type CdrRowUpdate = Updateable<CdrsTable>;
export type SyncStateRow = Selectable<SyncStateTable>;

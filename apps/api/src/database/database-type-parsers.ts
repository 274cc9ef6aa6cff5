import { types as pgTypes, type CustomTypesConfig } from 'pg';

/**
 * One table of result-value parsers, applied to BOTH drivers so a row reads the same on PGlite
 * and on PostgreSQL (`pg`). Without it they differ: `pg` returns int8 as a string and `date` as
 * a local-midnight Date; PGlite returns int8 as number-or-bigint and `date` as a UTC Date.
 *
 * | PostgreSQL type      | JS value on both drivers                                         |
 * |----------------------|------------------------------------------------------------------|
 * | int2, int4, float4/8 | number (driver default)                                          |
 * | int8 / bigint        | number; a RangeError past ±2^53 (only count(*)/sum(int) make it) |
 * | numeric              | decimal string, lossless (cast to float8 in SQL to get a number)  |
 * | timestamptz          | Date (driver default)                                            |
 * | timestamp, date      | string as PostgreSQL prints it (no implicit time zone)           |
 * | json, jsonb          | parsed JSON (driver default)                                     |
 * | text, bool           | string, boolean (driver default)                                 |
 *
 * Schema rules that follow: ids are `text`, money and durations `double precision`, times `timestamptz`.
 */
export const PG_OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  JSONB: 3802,
} as const;

export type TextTypeParser = (value: string) => unknown;

/** pg's type id (its `TypeId` enum of the built-in OIDs) and format, as `pg` passes them to `getTypeParser`. */
type PgTypeId = Parameters<CustomTypesConfig['getTypeParser']>[0];
type PgTypeFormat = Parameters<CustomTypesConfig['getTypeParser']>[1];

export function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(
      `int8 value ${value} is outside the JS safe integer range; select it as text (::text) instead`,
    );
  }
  return parsed;
}

const identity: TextTypeParser = (value) => value;

/** Parsers that override the drivers' defaults (text format), keyed by type OID. */
export const VELORA_TYPE_PARSERS: Readonly<Record<number, TextTypeParser>> = Object.freeze({
  [PG_OID.INT8]: parseInt8,
  [PG_OID.NUMERIC]: identity,
  [PG_OID.DATE]: identity,
  [PG_OID.TIMESTAMP]: identity,
});

/** For PGlite: `PGlite.create(dataDir, { parsers: pgliteParsers() })`. */
export function pgliteParsers(): Record<number, TextTypeParser> {
  return { ...VELORA_TYPE_PARSERS };
}

/**
 * For `pg`: per-pool `types` (`new Pool({ types: pgTypesConfig })`). Does not touch pg's
 * process-wide `types.setTypeParser`, so other pg users in the process are unaffected.
 */
export const pgTypesConfig: CustomTypesConfig = {
  getTypeParser: (oid: PgTypeId, format?: PgTypeFormat): unknown => {
    if (Object.hasOwn(VELORA_TYPE_PARSERS, oid) && (format === undefined || format === 'text')) {
      return VELORA_TYPE_PARSERS[oid];
    }
    return format === undefined ? pgTypes.getTypeParser(oid) : pgTypes.getTypeParser(oid, format);
  },
};

/**
 * JSON text for a jsonb column: bigint → decimal string; NUL characters (rejected by PostgreSQL
 * in jsonb and text) → U+FFFD. Always pass jsonb as text: `pg` would turn a JS array into a
 * PostgreSQL array literal.
 */
export function toJsonb(value: unknown, where = 'value'): string {
  let json: string | undefined;
  try {
    json = stringifyJson(value, (_key, v) => {
      if (typeof v === 'bigint') {
        return v.toString();
      }
      if (typeof v === 'string') {
        return stripNul(v);
      }
      return v;
    });
  } catch (error: unknown) {
    throw new TypeError(`${where}: not JSON-serializable (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (json === undefined) {
    throw new TypeError(`${where}: not JSON-serializable (undefined)`);
  }
  return json;
}

/** JSON.stringify as it behaves: undefined for undefined, a function or a symbol (lib.d.ts says string). */
function stringifyJson(value: unknown, replacer: (key: string, value: unknown) => unknown): string | undefined {
  return JSON.stringify(value, replacer);
}

/** PostgreSQL text and jsonb cannot hold U+0000: it becomes U+FFFD. */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

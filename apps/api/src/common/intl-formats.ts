/**
 * Shared `Intl` formatters, one per (locale, options), built on first use and kept for the life of the process.
 *
 * Why not `new Intl.DateTimeFormat(...)` at the call: each formatter holds ICU objects (calendar, time zone, date
 * pattern) allocated with `malloc`, ~25 KB of C heap, behind a JS object of a few dozen bytes. V8 frees them only
 * when it collects that small object, and its heap sees no pressure from them, so a loop that builds one per call
 * (detection's night-hour check did, per CDR) piles up hundreds of MB in glibc's main arena before a GC runs; glibc
 * then keeps the freed pages (they are not at the top of the heap), and the process RSS stays there
 * (docs/benchmarks.md, "Memory of the running API").
 *
 * The caches are bounded by the call sites: fixed options, a handful of locales, and time zones that were validated
 * (a zone the runtime does not know throws and is not cached).
 */

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

const keyOf = (locale: string, options: object): string => `${locale}\u0000${JSON.stringify(options)}`;

/** The shared `Intl.DateTimeFormat` for `locale` and `options`. @throws RangeError for an unknown time zone. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = keyOf(locale, options);
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** The shared `Intl.NumberFormat` for `locale` and `options`. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = keyOf(locale, options);
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

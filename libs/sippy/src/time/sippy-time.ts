/**
 * CONTRACT (implementation owned by the codec/time work).
 * Sippy's string time format (b): '%H:%M:%S.000 GMT %a %b %d %Y', e.g. '09:57:29.000 GMT Wed Nov 18 2009', UTC.
 */
export function formatSippyTime(date: Date): string {
  void date;
  throw new Error('not implemented yet');
}

/**
 * Parses any time Sippy sends: format (b), the ISO-like `YYYYMMDDThh:mm:ss[.SSS]` (UTC, zone-less),
 * a Date, ISO 8601 with zone, epoch seconds. Returns null for null/empty/unparseable input.
 */
export function parseSippyTime(value: unknown): Date | null {
  void value;
  throw new Error('not implemented yet');
}

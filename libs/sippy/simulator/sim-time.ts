/**
 * Sippy time format (b), `'%H:%M:%S.000 GMT %a %b %d %Y'` in UTC (sippy-xmlrpc.md §2), written
 * independently of libs/sippy/src/time so the simulator can catch a bug in the client's version.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Formats epoch milliseconds as format (b); sub-second precision is dropped (the literal `.000`). */
export function formatSimTime(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) {
    throw new RangeError('formatSimTime: invalid time');
  }
  return (
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.000 GMT ` +
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${d.getUTCFullYear()}`
  );
}

const FORMAT_B = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) GMT (Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{2}) (\d{4})$/;

/**
 * Strict parser for what the simulator accepts as `start_date`/`end_date`: format (b) exactly,
 * with a weekday that matches the date. Returns epoch ms, or null when the text is not format (b).
 */
export function parseSimTime(text: string): number | null {
  const m = FORMAT_B.exec(text.trim());
  if (!m) return null;
  const [, hh, mi, ss, ms, weekday, monthName, dd, yyyy] = m;
  const month = (MONTHS as readonly string[]).indexOf(monthName);
  if (month < 0) return null;
  const hours = Number(hh);
  const minutes = Number(mi);
  const seconds = Number(ss);
  const day = Number(dd);
  if (hours > 23 || minutes > 59 || seconds > 59 || day < 1) return null;
  const epoch = Date.UTC(Number(yyyy), month, day, hours, minutes, seconds, Number(ms));
  const d = new Date(epoch);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month || WEEKDAYS[d.getUTCDay()] !== weekday) {
    return null;
  }
  return epoch;
}

import { formatWallClock } from './export-sink';

const SLOT_MS = 15 * 60_000;

/**
 * Renders instants as wall-clock time in one IANA zone, fast enough for a million rows: the zone's offset is looked
 * up once per 15-minute slot (every offset change in the tz database falls on a quarter hour) and cached.
 */
export class ZonedTime {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();

  /** @throws RangeError for a zone the runtime does not know (validate with the DTO first). */
  constructor(zone: string) {
    // one formatter for the whole export: creating one per lookup costs ~0.3 ms
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The wall-clock time as a Date whose UTC fields are the local fields (what Excel shows for a date cell). */
  wallClock(instant: Date): Date {
    return new Date(instant.getTime() + this.#offset(instant) * 60_000);
  }

  /** `2026-11-24 13:00:00` (milliseconds only when there are some: `13:00:00.250`). */
  format(instant: Date): string {
    return formatWallClock(this.wallClock(instant));
  }

  /** `2026-11-24` in the zone. */
  day(instant: Date): string {
    return this.wallClock(instant).toISOString().slice(0, 10);
  }

  #offset(instant: Date): number {
    const slot = Math.floor(instant.getTime() / SLOT_MS);
    let offset = this.#offsets.get(slot);
    if (offset === undefined) {
      offset = this.#offsetAt(slot * SLOT_MS);
      if (this.#offsets.size > 100_000) this.#offsets.clear();
      this.#offsets.set(slot, offset);
    }
    return offset;
  }

  /** Offset from UTC in minutes at `ms` (Istanbul: +180). */
  #offsetAt(ms: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.#format.formatToParts(ms)) {
      const n = Number(part.value);
      if (part.type === 'year') year = n;
      else if (part.type === 'month') month = n;
      else if (part.type === 'day') day = n;
      else if (part.type === 'hour') hour = n;
      else if (part.type === 'minute') minute = n;
      else if (part.type === 'second') second = n;
    }
    return Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(ms / 1000) * 1000) / 60_000);
  }
}

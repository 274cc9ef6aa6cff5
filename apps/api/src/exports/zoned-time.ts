import { zoneOffsetMinutes } from '../reports/report-time';
import { formatWallClock } from './export-sink';

const SLOT_MS = 15 * 60_000;

/**
 * Renders instants as wall-clock time in one IANA zone, fast enough for a million rows: the zone's offset is looked
 * up once per 15-minute slot (every offset change in the tz database falls on a quarter hour) and cached.
 */
export class ZonedTime {
  readonly #zone: string;
  readonly #offsets = new Map<number, number>();

  constructor(zone: string) {
    this.#zone = zone;
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
      offset = zoneOffsetMinutes(this.#zone, new Date(slot * SLOT_MS));
      if (this.#offsets.size > 100_000) this.#offsets.clear();
      this.#offsets.set(slot, offset);
    }
    return offset;
  }
}

import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DatabaseService } from '../database/database.service';

export interface RateLimitState {
  hits: number;
  windowEndsAt: Date;
  blockedUntil: Date | null;
}

/** The only code that touches `rate_limits`. */
@Injectable()
export class RateLimitsRepository {
  constructor(private readonly database: DatabaseService) {}

  /**
   * Counts one hit for `key` in one atomic upsert (safe with many replicas on one PostgreSQL):
   * - while blocked, nothing changes;
   * - an expired window restarts at 1 hit;
   * - otherwise hits + 1, and going over `limit` blocks the key until now + blockMs.
   */
  async hit(key: string, now: Date, ttlMs: number, limit: number, blockMs: number): Promise<RateLimitState> {
    const windowEnd = new Date(now.getTime() + ttlMs);
    const blockEnd = new Date(now.getTime() + blockMs);
    // explicit casts: parameters of CASE branches are untyped text otherwise
    const at = sql<Date>`${now}::timestamptz`;
    const newWindowEnd = sql<Date>`${windowEnd}::timestamptz`;
    const newBlockEnd = sql<Date>`${blockEnd}::timestamptz`;
    const max = sql<number>`${limit}::integer`;
    const blocked = sql<boolean>`(rate_limits.blocked_until is not null and rate_limits.blocked_until > ${at})`;
    const expired = sql<boolean>`rate_limits.window_ends_at <= ${at}`;
    const row = await this.database.db
      .insertInto('rate_limits')
      .values({ key, hits: 1, window_ends_at: windowEnd, blocked_until: 1 > limit ? blockEnd : null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when ${blocked} then rate_limits.hits when ${expired} then 1 else rate_limits.hits + 1 end`,
          window_ends_at: sql<Date>`case when ${blocked} then rate_limits.window_ends_at when ${expired} then ${newWindowEnd} else rate_limits.window_ends_at end`,
          blocked_until: sql<Date | null>`case
            when ${blocked} then rate_limits.blocked_until
            when ${expired} then (case when 1 > ${max} then ${newBlockEnd} else null end)
            when rate_limits.hits + 1 > ${max} then ${newBlockEnd}
            else null end`,
        }),
      )
      .returning(['hits', 'window_ends_at', 'blocked_until'])
      .executeTakeFirstOrThrow();
    return { hits: row.hits, windowEndsAt: new Date(row.window_ends_at), blockedUntil: row.blocked_until === null ? null : new Date(row.blocked_until) };
  }

  /** Drops counters whose window and block are both over. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.database.db
      .deleteFrom('rate_limits')
      .where('window_ends_at', '<=', now)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { Clock } from '../common/clock';
import { RateLimitsRepository } from './rate-limits.repository';

const SWEEP_INTERVAL_MS = 5 * 60_000;

function secondsUntil(end: Date, now: number): number {
  return Math.max(0, Math.ceil((end.getTime() - now) / 1000));
}

/**
 * @nestjs/throttler storage in the database: every replica behind a load balancer shares one counter per
 * key (the default in-memory storage would let N replicas allow N × the limit). Fixed window of `ttl` ms;
 * the hit that goes over `limit` blocks the key for `blockDuration` ms.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger('RateLimits');
  #sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: RateLimitsRepository,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    const state = await this.repository.hit(key, new Date(now), ttl, limit, blockDuration > 0 ? blockDuration : ttl);
    const isBlocked = state.blockedUntil !== null && state.blockedUntil.getTime() > now;
    return {
      totalHits: state.hits,
      timeToExpire: secondsUntil(state.windowEndsAt, now),
      isBlocked,
      timeToBlockExpire: isBlocked && state.blockedUntil !== null ? secondsUntil(state.blockedUntil, now) : 0,
    };
  }

  /** Removes expired counters now (also runs every 5 minutes). */
  sweep(): Promise<number> {
    return this.repository.deleteExpired(new Date(this.clock.now()));
  }

  onModuleInit(): void {
    this.#sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => { this.#logger.warn(`Cannot delete expired rate-limit counters: ${error instanceof Error ? error.message : String(error)}`); });
    }, SWEEP_INTERVAL_MS);
    this.#sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.#sweeper);
  }
}

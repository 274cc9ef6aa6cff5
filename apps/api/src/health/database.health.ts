import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { sql } from 'kysely';
import { DatabaseService } from '../database/database.service';

/** Readiness: the store answers a query (migrations ran at start-up, before the app listened). */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseService,
  ) {}

  async isHealthy(key = 'database'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const started = performance.now();
    try {
      await sql`select 1`.execute(this.database.db);
      return indicator.up({ kind: this.database.kind, latency_ms: Math.round(performance.now() - started) });
    } catch (error) {
      return indicator.down({ kind: this.database.kind, message: error instanceof Error ? error.message : 'query failed' });
    }
  }
}

import { Module } from '@nestjs/common';
import { DatabaseThrottlerStorage } from './database-throttler.storage';
import { RateLimitsRepository } from './rate-limits.repository';

/** The database-backed throttler storage, imported by ThrottlerModule.forRootAsync. */
@Module({
  providers: [RateLimitsRepository, DatabaseThrottlerStorage],
  exports: [DatabaseThrottlerStorage],
})
export class RateLimitStorageModule {}

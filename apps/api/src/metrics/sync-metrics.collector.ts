import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { MetricsService } from './metrics.service';

/** Lets the metrics read the sync's state at every scrape (lag, last success, standby). */
@Injectable()
export class SyncMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly sync: CdrSyncService,
  ) {}

  onModuleInit(): void {
    this.metrics.watchSync(() => this.sync.status());
  }
}

import { Injectable } from '@nestjs/common';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { MetricsService } from './metrics.service';

/** Lets the metrics read the sync's state at every scrape (lag, last success, standby). */
@Injectable()
export class SyncMetricsCollector {
  constructor(metrics: MetricsService, sync: CdrSyncService) {
    metrics.watchSync(() => sync.status());
  }
}

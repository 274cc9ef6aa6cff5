import { Global, Module } from '@nestjs/common';
import { SippyModule } from '../sippy/sippy.module';
import { SyncRecorder } from '../sync/sync-recorder';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';
import { SyncMetricsCollector } from './sync-metrics.collector';

/**
 * Prometheus metrics (docs/deploy.md): the registry, the HTTP middleware (mounted by configureApp), the
 * sync recorder and the Sippy call observer; `GET /metrics` on the main port (METRICS_TOKEN) and/or on a
 * separate listener (METRICS_PORT).
 */
@Global()
@Module({
  imports: [SippyModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsServer, MetricsTokenGuard, SyncMetricsCollector, { provide: SyncRecorder, useExisting: MetricsService }],
  exports: [MetricsService, SyncRecorder],
})
export class MetricsModule {}

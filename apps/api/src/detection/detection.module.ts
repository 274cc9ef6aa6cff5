import { Module } from '@nestjs/common';
import { SippyModule } from '../sippy/sippy.module';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { DetectionController } from './detection.controller';
import { DetectionListsService } from './detection-lists.service';
import { DetectionRunner } from './detection-runner.service';
import { DetectionSettingsService } from './detection-settings.service';
import { DetectionRepository } from './detection.repository';
import { DetectionService } from './detection.service';
import { GeoIpService, MaxmindGeoIpService, NullGeoIpService } from './geoip.service';
import { AppConfig } from '../config/app-config';

/**
 * /api/detection: spam and fraud rules run incrementally after the CDR sync (DetectionRunner listens to
 * `CdrSyncService.runs$`, so the sync never waits for it), findings published through EventsService, the operator
 * lists, rule settings and backtests (docs/detection.md).
 */
@Module({
  imports: [SippyModule],
  controllers: [DetectionController],
  providers: [
    {
      // GEOIP_DATABASE_PATH checked at start-up (readable, a country MaxMind DB); none: the null object
      provide: GeoIpService,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<GeoIpService> =>
        config.detection.geoipDatabasePath === null ? new NullGeoIpService() : MaxmindGeoIpService.open(config.detection.geoipDatabasePath),
    },
    DetectionRepository,
    DetectionSettingsService,
    DetectionListsService,
    DetectionRunner,
    DetectionService,
    SyncStateRepository,
  ],
  exports: [DetectionRunner],
})
export class DetectionModule {}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SippyClientFactory } from '@velora/sippy';
import { CdrsModule } from '../cdrs/cdrs.module';
import { ExportsModule } from '../exports/exports.module';
import { IntegrationSettingsModule } from '../settings/integration-settings.module';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { SippyConnectionTester } from './sippy-connection-tester.service';
import { SippyLiveClient } from './sippy-live-client';
import { SippyProbeService } from './sippy-probe.service';
import { SippySettingsController } from './sippy-settings.controller';
import { SippySettingsService, UNCONFIGURED_SIPPY_URL } from './sippy-settings.service';
import { SippySimulatorModule } from './sippy-simulator.module';
import { SippyController } from './sippy.controller';
import { SippyHealthIndicator } from './sippy.health';

/**
 * The SippySoft feature: the client in force (SippyLiveClient, swapped by SippySettingsService when settings are
 * saved), CDR sync, health, test-connection, connection settings and the CDR endpoints.
 */
@Module({
  imports: [SippySimulatorModule, TerminusModule, CdrsModule, ExportsModule, IntegrationSettingsModule],
  controllers: [SippyController, SippySettingsController],
  providers: [
    SippyClientFactory,
    {
      // a placeholder until SippySettingsService has read the settings (onApplicationBootstrap): never called
      provide: SippyLiveClient,
      useFactory: (factory: SippyClientFactory) =>
        new SippyLiveClient(factory.create({ url: UNCONFIGURED_SIPPY_URL }), {
          mode: 'unconfigured',
          endpoint: UNCONFIGURED_SIPPY_URL,
          sourceKey: 'unconfigured',
        }),
      inject: [SippyClientFactory],
    },
    SippySettingsService,
    CdrSyncService,
    SyncStateRepository,
    SippyProbeService,
    SippyHealthIndicator,
    SippyConnectionTester,
  ],
  exports: [CdrSyncService, SippyLiveClient],
})
export class SippyModule {}

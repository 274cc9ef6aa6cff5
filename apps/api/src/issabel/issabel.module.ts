import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IssabelClient } from '@velora/integrations';
import { IntegrationSettingsModule } from '../settings/integration-settings.module';
import { IssabelLiveClient } from './issabel-live-client';
import { IssabelProbeService } from './issabel-probe.service';
import { IssabelSettingsController } from './issabel-settings.controller';
import { IssabelSettingsService, UNCONFIGURED_ISSABEL_HOST } from './issabel-settings.service';
import { IssabelSimulatorModule } from './issabel-simulator.module';
import { IssabelController } from './issabel.controller';
import { IssabelHealthIndicator } from './issabel.health';

/** The Issabel PBX feature: AMI health check, live status and the connection settings. */
@Module({
  imports: [IssabelSimulatorModule, TerminusModule, IntegrationSettingsModule],
  controllers: [IssabelController, IssabelSettingsController],
  providers: [
    {
      // a placeholder until IssabelSettingsService has read the settings (onApplicationBootstrap): never called
      provide: IssabelLiveClient,
      useFactory: () => {
        const client = new IssabelClient({ host: UNCONFIGURED_ISSABEL_HOST, username: '', secret: '' });
        return new IssabelLiveClient(client, { mode: 'unconfigured', endpoint: client.endpoint });
      },
    },
    IssabelSettingsService,
    IssabelProbeService,
    IssabelHealthIndicator,
  ],
})
export class IssabelModule {}

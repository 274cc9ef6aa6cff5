import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ElevenLabsApiClient } from '@velora/integrations';
import { IntegrationSettingsModule } from '../settings/integration-settings.module';
import { ElevenLabsLiveClient } from './elevenlabs-live-client';
import { ElevenLabsProbeService } from './elevenlabs-probe.service';
import { ElevenLabsSettingsController } from './elevenlabs-settings.controller';
import { ElevenLabsSettingsService } from './elevenlabs-settings.service';
import { ElevenLabsSimulatorModule } from './elevenlabs-simulator.module';
import { ElevenLabsController } from './elevenlabs.controller';
import { ElevenLabsHealthIndicator } from './elevenlabs.health';

/** The ElevenLabs feature: health (key + quota), voices, streamed text to speech and the API key setting. */
@Module({
  imports: [ElevenLabsSimulatorModule, TerminusModule, IntegrationSettingsModule],
  controllers: [ElevenLabsController, ElevenLabsSettingsController],
  providers: [
    {
      // a placeholder until ElevenLabsSettingsService has read the settings (onApplicationBootstrap): never called
      provide: ElevenLabsLiveClient,
      useFactory: () => {
        const client = new ElevenLabsApiClient({});
        return new ElevenLabsLiveClient(client, { mode: 'unconfigured', endpoint: client.endpoint });
      },
    },
    ElevenLabsSettingsService,
    ElevenLabsProbeService,
    ElevenLabsHealthIndicator,
  ],
})
export class ElevenLabsModule {}

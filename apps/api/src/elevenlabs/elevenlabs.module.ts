import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ElevenLabsClientModule, type ElevenLabsClientOptions } from '@velora/integrations';
import { AppConfig } from '../config/app-config';
import { ElevenLabsProbeService } from './elevenlabs-probe.service';
import { ElevenLabsSimulatorHost } from './elevenlabs-simulator.host';
import { ElevenLabsSimulatorModule } from './elevenlabs-simulator.module';
import { ElevenLabsController } from './elevenlabs.controller';
import { ElevenLabsHealthIndicator } from './elevenlabs.health';

async function elevenLabsClientOptions(config: AppConfig, simulator: ElevenLabsSimulatorHost): Promise<ElevenLabsClientOptions> {
  const c = config.elevenlabs;
  const common = { timeoutMs: c.timeoutMs, maxRetries: c.maxRetries, defaultModelId: c.defaultModelId };
  if (c.mode === 'simulator') {
    const sim = await simulator.start();
    return { ...common, apiKey: sim.apiKey, baseUrl: sim.baseUrl };
  }
  return { ...common, apiKey: c.apiKey, baseUrl: c.baseUrl };
}

/** The ElevenLabs feature: health (key + quota), voices and streamed text to speech. */
@Module({
  imports: [
    ElevenLabsClientModule.forRootAsync({
      imports: [ElevenLabsSimulatorModule],
      inject: [AppConfig, ElevenLabsSimulatorHost],
      useFactory: elevenLabsClientOptions,
    }),
    ElevenLabsSimulatorModule,
    TerminusModule,
  ],
  controllers: [ElevenLabsController],
  providers: [ElevenLabsProbeService, ElevenLabsHealthIndicator],
})
export class ElevenLabsModule {}

import { Module } from '@nestjs/common';
import { ElevenLabsApiClient } from './elevenlabs-api.client';
import { ELEVENLABS_CLIENT_OPTIONS, ElevenLabsClientConfigurableModule } from './elevenlabs-client.module-definition';
import type { ElevenLabsClientOptions } from './elevenlabs-client.options';

/**
 * Thin Nest adapter: provides the configured ElevenLabsApiClient. Without an API key the app still
 * boots; calls then fail with ElevenLabsApiError('config').
 */
@Module({
  providers: [
    {
      provide: ElevenLabsApiClient,
      useFactory: (options: ElevenLabsClientOptions) => new ElevenLabsApiClient(options),
      inject: [ELEVENLABS_CLIENT_OPTIONS],
    },
  ],
  exports: [ElevenLabsApiClient],
})
export class ElevenLabsClientModule extends ElevenLabsClientConfigurableModule {}

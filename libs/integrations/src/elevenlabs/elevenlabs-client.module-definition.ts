import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ElevenLabsClientOptions } from './elevenlabs-client.options';

export const {
  ConfigurableModuleClass: ElevenLabsClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: ELEVENLABS_CLIENT_OPTIONS,
} = new ConfigurableModuleBuilder<ElevenLabsClientOptions>({ moduleName: 'ElevenLabsClient' }).setClassMethodName('forRoot').build();

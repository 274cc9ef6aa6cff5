import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SippyClientOptions } from './sippy-client.options';

export const {
  ConfigurableModuleClass: SippyClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: SIPPY_CLIENT_OPTIONS,
} = new ConfigurableModuleBuilder<SippyClientOptions>({ moduleName: 'SippyClient' })
  .setClassMethodName('forRoot')
  .build();

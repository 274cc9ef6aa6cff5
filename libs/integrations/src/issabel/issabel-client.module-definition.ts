import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { IssabelClientOptions } from './issabel-client.options';

export const {
  ConfigurableModuleClass: IssabelClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: ISSABEL_CLIENT_OPTIONS,
} = new ConfigurableModuleBuilder<IssabelClientOptions>({ moduleName: 'IssabelClient' }).setClassMethodName('forRoot').build();

import { Module } from '@nestjs/common';
import { IssabelClient } from './issabel.client';
import { ISSABEL_CLIENT_OPTIONS, IssabelClientConfigurableModule } from './issabel-client.module-definition';
import type { IssabelClientOptions } from './issabel-client.options';

/**
 * Thin Nest adapter: provides the configured IssabelClient (short-lived AMI sessions, nothing to close).
 *
 *   IssabelClientModule.forRootAsync({ useFactory: (cfg) => ({ host, port, username, secret, … }), inject: [...] })
 */
@Module({
  providers: [
    {
      provide: IssabelClient,
      useFactory: (options: IssabelClientOptions) => new IssabelClient(options),
      inject: [ISSABEL_CLIENT_OPTIONS],
    },
  ],
  exports: [IssabelClient],
})
export class IssabelClientModule extends IssabelClientConfigurableModule {}

import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SippyClient } from './sippy.client';
import { SippyClientFactory } from './sippy-client.factory';
import { SIPPY_CLIENT_OPTIONS, SippyClientConfigurableModule } from './sippy-client.module-definition';
import type { SippyClientOptions } from './sippy-client.options';

/**
 * The thin Nest adapter of the client: provides the configured SippyClient (one XML-RPC-over-Digest
 * transport, one connection pool) and the factory for one-off clients.
 *
 *   SippyClientModule.forRootAsync({ useFactory: (cfg) => ({ url, username, … }), inject: [...] })
 */
@Module({
  providers: [
    SippyClientFactory,
    {
      provide: SippyClient,
      useFactory: (factory: SippyClientFactory, options: SippyClientOptions) => factory.create(options),
      inject: [SippyClientFactory, SIPPY_CLIENT_OPTIONS],
    },
  ],
  exports: [SippyClient, SippyClientFactory],
})
export class SippyClientModule extends SippyClientConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(SippyClient) private readonly client: SippyClient) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

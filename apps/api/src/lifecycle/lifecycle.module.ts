import { Global, Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.service';

/** Process lifecycle: graceful shutdown (draining HTTP, closing streams). Global: streams register with it. */
@Global()
@Module({
  providers: [GracefulShutdown],
  exports: [GracefulShutdown],
})
export class LifecycleModule {}

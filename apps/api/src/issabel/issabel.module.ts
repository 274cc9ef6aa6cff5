import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IssabelClientModule, type IssabelClientOptions } from '@velora/integrations';
import { AppConfig } from '../config/app-config';
import { IssabelProbeService } from './issabel-probe.service';
import { IssabelSimulatorHost } from './issabel-simulator.host';
import { IssabelSimulatorModule } from './issabel-simulator.module';
import { IssabelController } from './issabel.controller';
import { IssabelHealthIndicator } from './issabel.health';

/** Never resolvable (RFC 6761 .invalid): used only when Issabel is unconfigured, and then never called. */
const UNCONFIGURED_HOST = 'issabel.invalid';

async function issabelClientOptions(config: AppConfig, simulator: IssabelSimulatorHost): Promise<IssabelClientOptions> {
  const c = config.issabel;
  if (c.mode === 'simulator') {
    const sim = await simulator.start();
    return { host: sim.host, port: sim.port, username: sim.username, secret: sim.secret, timeoutMs: c.timeoutMs };
  }
  return {
    host: c.host ?? UNCONFIGURED_HOST,
    port: c.port,
    username: c.username ?? '',
    secret: c.secret ?? '',
    timeoutMs: c.timeoutMs,
    tls: c.tls ? { enabled: true, verify: c.tlsVerify } : undefined,
  };
}

/** The Issabel PBX feature: AMI health check and live status. */
@Module({
  imports: [
    IssabelClientModule.forRootAsync({
      imports: [IssabelSimulatorModule],
      inject: [AppConfig, IssabelSimulatorHost],
      useFactory: issabelClientOptions,
    }),
    IssabelSimulatorModule,
    TerminusModule,
  ],
  controllers: [IssabelController],
  providers: [IssabelProbeService, IssabelHealthIndicator],
})
export class IssabelModule {}

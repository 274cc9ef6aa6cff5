import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SippyClientModule, type SippyClientOptions } from '@velora/sippy';
import { CdrsModule } from '../cdrs/cdrs.module';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { SippyConnectionTester } from './sippy-connection-tester.service';
import { SippyProbeService } from './sippy-probe.service';
import { SippySimulatorHost } from './sippy-simulator.host';
import { SippySimulatorModule } from './sippy-simulator.module';
import { SippyController } from './sippy.controller';
import { SippyHealthIndicator } from './sippy.health';

/** Never resolvable (RFC 6761 .invalid): used only when SippySoft is unconfigured, and then never called. */
const UNCONFIGURED_URL = 'https://sippy.invalid/xmlapi/xmlapi';

async function sippyClientOptions(config: AppConfig, simulator: SippySimulatorHost, metrics: MetricsService): Promise<SippyClientOptions> {
  const s = config.sippy;
  const behaviour = {
    cdrSource: s.cdrSource,
    iAccount: s.iAccount,
    iCustomer: s.iCustomer,
    trustedCustomerId: s.trustedCustomerId,
    cdrType: s.cdrType,
    probeMethod: s.probeMethod,
    timeoutMs: s.connection.timeoutMs,
    maxResponseBytes: s.connection.maxResponseBytes,
    observer: metrics, // latency and errors of every call, for /metrics
  };
  if (s.mode === 'simulator') {
    const sim = await simulator.start();
    return { ...behaviour, url: sim.url, username: sim.username, password: sim.password };
  }
  return {
    ...behaviour,
    url: s.connection.url ?? UNCONFIGURED_URL,
    username: s.connection.username,
    password: s.connection.password,
    tls: { verify: s.connection.tlsVerify },
    caFile: s.connection.caFile,
  };
}

/** The SippySoft feature: configured client, CDR sync, health, test-connection and the CDR endpoints. */
@Module({
  imports: [
    SippyClientModule.forRootAsync({
      imports: [SippySimulatorModule],
      inject: [AppConfig, SippySimulatorHost, MetricsService],
      useFactory: sippyClientOptions,
    }),
    SippySimulatorModule,
    TerminusModule,
    CdrsModule,
  ],
  controllers: [SippyController],
  providers: [
    CdrSyncService,
    SyncStateRepository,
    SippyProbeService,
    SippyHealthIndicator,
    SippyConnectionTester,
  ],
  exports: [CdrSyncService],
})
export class SippyModule {}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SippyProbeService } from './sippy-probe.service';

/** Terminus indicator for the SippySoft link: the (cached) upstream probe plus the sync state. */
@Injectable()
export class SippyHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: SippyProbeService,
    private readonly sync: CdrSyncService,
  ) {}

  async isHealthy(key = 'sippy'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const { up, ...details } = await this.probe.check();
    const data = { ...details, sync: this.sync.status() };
    return up ? indicator.up(data) : indicator.down(data);
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { IssabelProbeService } from './issabel-probe.service';

/** Terminus indicator for the Issabel PBX (cached AMI probe). */
@Injectable()
export class IssabelHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: IssabelProbeService,
  ) {}

  async isHealthy(key = 'issabel'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const { up, ...details } = await this.probe.check();
    return up ? indicator.up(details) : indicator.down(details);
  }
}

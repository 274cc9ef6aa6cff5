import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ElevenLabsProbeService } from './elevenlabs-probe.service';

/** Terminus indicator for ElevenLabs: key valid and character quota left. */
@Injectable()
export class ElevenLabsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: ElevenLabsProbeService,
  ) {}

  async isHealthy(key = 'elevenlabs'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const { up, ...details } = await this.probe.check();
    return up ? indicator.up(details) : indicator.down(details);
  }
}

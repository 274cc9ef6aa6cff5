import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SippyProbeService } from './sippy-probe.service';

/** `up`: switch and sync fine; `degraded`: the switch answers but the sync keeps failing; `down`: the switch does not. */
export type SippyHealthState = 'up' | 'degraded' | 'down';

/**
 * Terminus indicator for the SippySoft link: the (cached) upstream probe plus the sync state.
 * HTTP 200 for `up` and `degraded` (the process and the switch work: restarting the pod would not help), 503 for
 * `down`. `state` and, when degraded, `sync_error` say what is wrong, so a passing probe never hides a broken import.
 */
@Injectable()
export class SippyHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: SippyProbeService,
    private readonly sync: CdrSyncService,
    private readonly config: AppConfig,
  ) {}

  async isHealthy(key = 'sippy'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const { up, ...details } = await this.probe.check();
    const sync = this.sync.status();
    const degraded = up && sync.enabled && sync.consecutive_failures >= this.config.sippy.healthDegradedAfterFailures;
    const state: SippyHealthState = !up ? 'down' : degraded ? 'degraded' : 'up';
    const data = {
      state,
      ...details,
      ...(degraded
        ? {
            sync_error:
              `the switch answers, but the last ${String(sync.consecutive_failures)} CDR sync runs failed` +
              (sync.last_error ? `: ${sync.last_error}` : ''),
          }
        : {}),
      sync,
    };
    return up ? indicator.up(data) : indicator.down(data);
  }
}

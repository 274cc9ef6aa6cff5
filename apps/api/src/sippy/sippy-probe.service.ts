import { Injectable } from '@nestjs/common';
import { SippyClient, SippyError, type SippyErrorKind } from '@velora/sippy';
import { CachedProbe } from '../common/cached-probe';
import { Clock } from '../common/clock';
import { AppConfig, type SippyMode } from '../config/app-config';
import { explainSippyError } from './sippy-error.messages';

export interface SippyProbeOutcome {
  up: boolean;
  mode: SippyMode;
  cause?: SippyErrorKind | 'not_configured';
  message?: string;
  latency_ms: number | null;
  checked_at: string;
}

/**
 * The upstream half of the health check. Results are cached for SIPPY_HEALTH_CACHE_SECONDS and concurrent
 * checks share one probe, so Kubernetes probes from many pods every few seconds cost the switch at most one
 * call per cache period per pod.
 */
@Injectable()
export class SippyProbeService {
  private readonly cache: CachedProbe<SippyProbeOutcome>;

  constructor(
    private readonly client: SippyClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.cache = new CachedProbe(() => this.probe(), config.sippy.healthCacheMs, clock);
  }

  check(): Promise<SippyProbeOutcome> {
    const { mode } = this.config.sippy;
    if (mode === 'unconfigured') {
      return Promise.resolve({
        up: false,
        mode,
        cause: 'not_configured',
        message: 'SippySoft is not configured: set SIPPY_RPC_URL',
        latency_ms: null,
        checked_at: new Date(this.clock.now()).toISOString(),
      });
    }
    return this.cache.get();
  }

  private async probe(): Promise<SippyProbeOutcome> {
    const mode = this.config.sippy.mode;
    const timeoutMs = Math.min(this.config.sippy.connection.timeoutMs, 10_000);
    let outcome: SippyProbeOutcome;
    try {
      const { latencyMs } = await this.client.probe({ timeoutMs });
      outcome = { up: true, mode, latency_ms: latencyMs, checked_at: new Date(this.clock.now()).toISOString() };
    } catch (error) {
      const sippyError = error instanceof SippyError ? error : null;
      outcome = {
        up: false,
        mode,
        cause: sippyError?.kind ?? 'unreachable',
        message: sippyError ? explainSippyError(sippyError) : 'unexpected error while probing the switch',
        latency_ms: null,
        checked_at: new Date(this.clock.now()).toISOString(),
      };
    }
    return outcome;
  }
}

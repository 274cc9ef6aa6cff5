import { Injectable } from '@nestjs/common';
import { AmiError, IssabelClient, type AmiErrorKind } from '@velora/integrations';
import { CachedProbe } from '../common/cached-probe';
import { Clock } from '../common/clock';
import { IntegrationStatusReporter, NOOP_INTEGRATION_STATUS } from '../common/integration-status';
import { AppConfig, type IntegrationMode } from '../config/app-config';
import { explainAmiError } from './issabel-error.messages';

export interface IssabelProbeOutcome {
  up: boolean;
  mode: IntegrationMode;
  cause?: AmiErrorKind | 'not_configured';
  message?: string;
  /** `tcp://host:port` or `tls://host:port` (no credentials). */
  endpoint: string | null;
  latency_ms: number | null;
  checked_at: string;
  ami_version?: string;
  asterisk_version?: string | null;
  current_calls?: number | null;
  processed_calls?: number | null;
  startup_time?: string | null;
  /** AMI actions this user may not run (the check still passes). */
  denied_actions?: string[];
}

/**
 * The upstream half of GET /api/issabel/health: cached for ISSABEL_HEALTH_CACHE_SECONDS, and
 * concurrent checks share one AMI session (Asterisk limits unauthenticated sessions).
 */
@Injectable()
export class IssabelProbeService {
  private readonly cache: CachedProbe<IssabelProbeOutcome>;

  constructor(
    private readonly client: IssabelClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    status: IntegrationStatusReporter = NOOP_INTEGRATION_STATUS,
  ) {
    // every fresh outcome goes to the live events (an up/down change becomes an `integration` event)
    this.cache = new CachedProbe(
      () => this.probe(),
      config.issabel.healthCacheMs,
      clock,
      (outcome) => {
        status.report('issabel', { up: outcome.up, cause: outcome.cause, message: outcome.message });
      },
    );
    if (config.issabel.mode !== 'unconfigured') status.watch('issabel', () => this.check());
  }

  check(): Promise<IssabelProbeOutcome> {
    const { mode } = this.config.issabel;
    if (mode === 'unconfigured') {
      return Promise.resolve({
        up: false,
        mode,
        cause: 'not_configured',
        message: 'Issabel is not configured: set ISSABEL_AMI_HOST, ISSABEL_AMI_USER and ISSABEL_AMI_SECRET',
        endpoint: null,
        latency_ms: null,
        checked_at: this.nowIso(),
      });
    }
    return this.cache.get();
  }

  private async probe(): Promise<IssabelProbeOutcome> {
    const mode = this.config.issabel.mode;
    const endpoint = this.client.endpoint;
    let outcome: IssabelProbeOutcome;
    try {
      const r = await this.client.probe();
      outcome = {
        up: true,
        mode,
        endpoint,
        latency_ms: r.latencyMs,
        checked_at: this.nowIso(),
        ami_version: r.amiVersion,
        asterisk_version: r.asteriskVersion,
        current_calls: r.currentCalls,
        processed_calls: r.processedCalls,
        startup_time: r.startupTime,
        denied_actions: r.denied,
      };
    } catch (error) {
      const amiError = error instanceof AmiError ? error : null;
      outcome = {
        up: false,
        mode,
        cause: amiError?.kind ?? 'unreachable',
        message: amiError ? explainAmiError(amiError) : 'unexpected error while checking the PBX',
        endpoint,
        latency_ms: null,
        checked_at: this.nowIso(),
      };
    }
    return outcome;
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

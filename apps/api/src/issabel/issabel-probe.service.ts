import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AmiError, type AmiErrorKind } from '@velora/integrations';
import type { Subscription } from 'rxjs';
import { CachedProbe } from '../common/cached-probe';
import { Clock } from '../common/clock';
import { IntegrationStatusReporter, NOOP_INTEGRATION_STATUS } from '../common/integration-status';
import { AppConfig, type IntegrationMode } from '../config/app-config';
import { explainAmiError } from './issabel-error.messages';
import { IssabelLiveClient } from './issabel-live-client';

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

export const ISSABEL_NOT_CONFIGURED =
  'Issabel is not configured: enter the PBX in Integrations (web app) or set ISSABEL_AMI_HOST, ISSABEL_AMI_USER and ISSABEL_AMI_SECRET';

/**
 * The upstream half of GET /api/issabel/health: cached for ISSABEL_HEALTH_CACHE_SECONDS, and
 * concurrent checks share one AMI session (Asterisk limits unauthenticated sessions).
 */
@Injectable()
export class IssabelProbeService implements OnModuleDestroy {
  private readonly cache: CachedProbe<IssabelProbeOutcome>;
  private readonly changes: Subscription;

  constructor(
    private readonly link: IssabelLiveClient,
    config: AppConfig,
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
    this.changes = link.changes.subscribe(() => {
      this.cache.invalidate(); // new settings: the old answer is about another PBX
    });
  }

  onModuleDestroy(): void {
    this.changes.unsubscribe();
  }

  async check(): Promise<IssabelProbeOutcome> {
    await this.link.ready;
    const { mode } = this.link.current.info;
    if (mode === 'unconfigured') {
      return {
        up: false,
        mode,
        cause: 'not_configured',
        message: ISSABEL_NOT_CONFIGURED,
        endpoint: null,
        latency_ms: null,
        checked_at: this.nowIso(),
      };
    }
    return this.cache.get();
  }

  private async probe(): Promise<IssabelProbeOutcome> {
    const { client, info } = this.link.current;
    const { mode, endpoint } = info;
    let outcome: IssabelProbeOutcome;
    try {
      const r = await client.probe();
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

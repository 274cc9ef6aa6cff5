import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ElevenLabsApiError } from '@velora/integrations';
import type { Subscription } from 'rxjs';
import { CachedProbe } from '../common/cached-probe';
import { Clock } from '../common/clock';
import { IntegrationStatusReporter, NOOP_INTEGRATION_STATUS } from '../common/integration-status';
import { AppConfig, type IntegrationMode } from '../config/app-config';
import { explainElevenLabsError } from './elevenlabs-error.messages';
import { ElevenLabsLiveClient } from './elevenlabs-live-client';

export type ElevenLabsHealthCause = 'auth' | 'quota' | 'rate_limited' | 'timeout' | 'unreachable' | 'http' | 'protocol' | 'not_configured';

export interface ElevenLabsProbeOutcome {
  up: boolean;
  mode: IntegrationMode;
  cause?: ElevenLabsHealthCause;
  message?: string;
  /** Base URL (no key). */
  endpoint: string | null;
  latency_ms: number | null;
  checked_at: string;
  tier?: string | null;
  character_count?: number | null;
  character_limit?: number | null;
  characters_remaining?: number | null;
  next_reset_at?: string | null;
}

/** GET /api/elevenlabs/health: key valid + remaining quota, cached ELEVENLABS_HEALTH_CACHE_SECONDS, single-flight. */
@Injectable()
export class ElevenLabsProbeService implements OnModuleDestroy {
  private readonly cache: CachedProbe<ElevenLabsProbeOutcome>;
  private readonly changes: Subscription;

  constructor(
    private readonly link: ElevenLabsLiveClient,
    config: AppConfig,
    private readonly clock: Clock,
    status: IntegrationStatusReporter = NOOP_INTEGRATION_STATUS,
  ) {
    // every fresh outcome goes to the live events (an up/down change becomes an `integration` event)
    this.cache = new CachedProbe(
      () => this.probe(),
      config.elevenlabs.healthCacheMs,
      clock,
      (outcome) => {
        status.report('elevenlabs', { up: outcome.up, cause: outcome.cause, message: outcome.message });
      },
    );
    if (config.elevenlabs.mode !== 'unconfigured') status.watch('elevenlabs', () => this.check());
    this.changes = link.changes.subscribe(() => {
      this.cache.invalidate(); // a new key: the old answer is about another account
    });
  }

  onModuleDestroy(): void {
    this.changes.unsubscribe();
  }

  async check(): Promise<ElevenLabsProbeOutcome> {
    await this.link.ready;
    const { mode } = this.link.current.info;
    if (mode === 'unconfigured') {
      return {
        up: false,
        mode,
        cause: 'not_configured',
        message: 'ElevenLabs is not configured: enter an API key in Integrations (web app) or set ELEVENLABS_API_KEY',
        endpoint: null,
        latency_ms: null,
        checked_at: this.nowIso(),
      };
    }
    return this.cache.get();
  }

  /** Forget the cached result (after a TTS call learned that the quota is gone, for instance). */
  invalidate(): void {
    this.cache.invalidate();
  }

  private async probe(): Promise<ElevenLabsProbeOutcome> {
    const { client, info } = this.link.current;
    const { mode, endpoint } = info;
    let outcome: ElevenLabsProbeOutcome;
    try {
      const { latencyMs, quota } = await client.probe();
      const remaining = quota ? Math.max(0, quota.characterLimit - quota.characterCount) : null;
      const exhausted = remaining !== null && remaining <= 0;
      outcome = {
        up: !exhausted,
        mode,
        ...(exhausted ? { cause: 'quota' as const, message: 'ElevenLabs character quota is used up' } : {}),
        endpoint,
        latency_ms: latencyMs,
        checked_at: this.nowIso(),
        tier: quota?.tier ?? null,
        character_count: quota?.characterCount ?? null,
        character_limit: quota?.characterLimit ?? null,
        characters_remaining: remaining,
        next_reset_at: quota?.nextResetAt?.toISOString() ?? null,
      };
    } catch (error) {
      const e = error instanceof ElevenLabsApiError ? error : null;
      outcome = {
        up: false,
        mode,
        cause: healthCause(e),
        message: e ? explainElevenLabsError(e) : 'unexpected error while checking ElevenLabs',
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

function healthCause(error: ElevenLabsApiError | null): ElevenLabsHealthCause {
  switch (error?.kind) {
    case 'auth':
    case 'quota':
    case 'rate_limited':
    case 'timeout':
    case 'unreachable':
    case 'protocol':
      return error.kind;
    case 'config':
      return 'not_configured';
    case undefined:
      return 'unreachable';
    default:
      return 'http';
  }
}

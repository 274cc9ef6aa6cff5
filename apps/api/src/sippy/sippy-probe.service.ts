import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isPermissionFault, SippyError, type SippyErrorKind, type SippyProbeMethod } from '@velora/sippy';
import type { Subscription } from 'rxjs';
import { CachedProbe } from '../common/cached-probe';
import { Clock } from '../common/clock';
import { IntegrationStatusReporter, NOOP_INTEGRATION_STATUS } from '../common/integration-status';
import { AppConfig, type SippyMode } from '../config/app-config';
import { explainSippyError } from './sippy-error.messages';
import { SippyLiveClient } from './sippy-live-client';

export interface SippyProbeOutcome {
  up: boolean;
  mode: SippyMode;
  cause?: SippyErrorKind | 'not_configured';
  message?: string;
  /** The call that decided the outcome (the configured one, or the CDR method after a fallback). */
  method?: SippyProbeMethod;
  /**
   * Up, but with something to know: the configured method answered a fault and the CDR method was probed
   * instead, or the switch answered the CDR method with a (non-permission) fault — reachable, credentials
   * accepted. Never contains credentials.
   */
  note?: string;
  latency_ms: number | null;
  checked_at: string;
}

/** The probe call the sync itself depends on (the CDR method of the configured source). */
const SYNC_METHOD: SippyProbeMethod = 'getAccountCDRs';

/**
 * The upstream half of the health check. Results are cached for SIPPY_HEALTH_CACHE_SECONDS and concurrent
 * checks share one probe, so Kubernetes probes from many pods every few seconds cost the switch at most one
 * call per cache period per pod.
 */
@Injectable()
export class SippyProbeService implements OnModuleDestroy {
  private readonly cache: CachedProbe<SippyProbeOutcome>;
  private readonly changes: Subscription;

  constructor(
    private readonly link: SippyLiveClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    status: IntegrationStatusReporter = NOOP_INTEGRATION_STATUS,
  ) {
    // every fresh outcome goes to the live events (an up/down change becomes an `integration` event)
    this.cache = new CachedProbe(
      () => this.probe(),
      config.sippy.healthCacheMs,
      clock,
      (outcome) => {
        status.report('sippy', { up: outcome.up, cause: outcome.cause, message: outcome.message });
      },
    );
    if (config.sippy.mode !== 'unconfigured') status.watch('sippy', () => this.check());
    // a probe of the previous switch says nothing about the new one
    this.changes = link.changes.subscribe(() => {
      this.cache.invalidate();
    });
  }

  onModuleDestroy(): void {
    this.changes.unsubscribe();
  }

  async check(): Promise<SippyProbeOutcome> {
    await this.link.ready;
    const { mode } = this.link.current.info;
    if (mode === 'unconfigured') {
      return {
        up: false,
        mode,
        cause: 'not_configured',
        message: 'SippySoft is not configured: enter the switch in Integrations (web app) or set SIPPY_RPC_URL',
        latency_ms: null,
        checked_at: new Date(this.clock.now()).toISOString(),
      };
    }
    return this.cache.get();
  }

  /**
   * One probe, interpreted for an operator and for Kubernetes:
   * - the call succeeds → up;
   * - an XML-RPC fault proves the switch is reachable and the Digest credentials were accepted, so a fault to the
   *   configured method (e.g. listAccounts for a CDR-only API user) falls back to the CDR method the sync uses;
   * - a fault to the CDR method is up with a note, unless it is a permission fault: then the sync cannot work
   *   either → down, cause `auth`;
   * - anything else (401 wrong password, TLS, timeout, unreachable, HTTP error) → down with that cause.
   */
  private async probe(): Promise<SippyProbeOutcome> {
    const { client, info } = this.link.current;
    const configured = client.configuredProbeMethod;
    const call = (method: SippyProbeMethod): Promise<{ method: SippyProbeMethod; latencyMs: number }> =>
      client.probe({ timeoutMs: Math.min(this.config.sippy.connection.timeoutMs, 10_000) }, method);
    const mode = info.mode;
    try {
      return this.up(mode, await call(configured));
    } catch (error: unknown) {
      if (!isFault(error)) return this.down(mode, error);
      if (configured === SYNC_METHOD) return this.faultOfSyncMethod(mode, error);
      const refused = `${configured} answered a fault (${faultText(error)}); probed ${SYNC_METHOD}, which the sync uses, instead`;
      try {
        return this.up(mode, await call(SYNC_METHOD), refused);
      } catch (fallbackError: unknown) {
        return isFault(fallbackError) ? this.faultOfSyncMethod(mode, fallbackError, refused) : this.down(mode, fallbackError);
      }
    }
  }

  private faultOfSyncMethod(mode: SippyMode, error: SippyError, earlier?: string): SippyProbeOutcome {
    if (isPermissionFault(error)) {
      return {
        ...this.down(mode, error),
        cause: 'auth',
        method: SYNC_METHOD,
        message:
          `SippySoft refused ${SYNC_METHOD} to this API user (${faultText(error)}): the CDR sync cannot work. ` +
          'Allow API access and the CDR methods for this customer on the switch.',
      };
    }
    const note = `the switch answered ${SYNC_METHOD} with a fault (${faultText(error)}); it is reachable and accepted the credentials`;
    return { ...this.up(mode, { method: SYNC_METHOD, latencyMs: null }), note: earlier ? `${earlier}; ${note}` : note };
  }

  private up(mode: SippyMode, result: { method: SippyProbeMethod; latencyMs: number | null }, note?: string): SippyProbeOutcome {
    return {
      up: true,
      mode,
      method: result.method,
      ...(note === undefined ? {} : { note }),
      latency_ms: result.latencyMs,
      checked_at: new Date(this.clock.now()).toISOString(),
    };
  }

  private down(mode: SippyMode, error: unknown): SippyProbeOutcome {
    const sippyError = error instanceof SippyError ? error : null;
    return {
      up: false,
      mode,
      cause: sippyError?.kind ?? 'unreachable',
      message: sippyError ? explainSippyError(sippyError) : 'unexpected error while probing the switch',
      latency_ms: null,
      checked_at: new Date(this.clock.now()).toISOString(),
    };
  }
}

function isFault(error: unknown): error is SippyError {
  return error instanceof SippyError && error.kind === 'fault';
}

function faultText(error: SippyError): string {
  const text = (error.faultString ?? error.message).slice(0, 200);
  return error.faultCode === undefined ? text : `${String(error.faultCode)} ${text}`;
}

import { Injectable } from '@nestjs/common';
import type { ElevenLabsSettingsView, IntegrationSettingsMeta, IntegrationTestResult } from '@velora/contracts';
import { ElevenLabsApiClient, ElevenLabsApiError } from '@velora/integrations';
import { AuditService } from '../auth/audit.service';
import { AppConfig } from '../config/app-config';
import { IntegrationSettingsService } from '../settings/integration-settings.service';
import { IntegrationSettingsStore } from '../settings/integration-settings.store';
import type { LiveClientState } from '../settings/live-client';
import type { SettingsCaller } from '../settings/settings-caller';
import { fieldView, secretView } from '../settings/settings-view';
import { SettingsWatcher } from '../settings/settings-watcher.service';
import type { ElevenLabsSettingsDto } from './dto/elevenlabs-settings.dto';
import { explainElevenLabsError } from './elevenlabs-error.messages';
import { ElevenLabsLiveClient, type ElevenLabsLinkInfo } from './elevenlabs-live-client';
import {
  ELEVENLABS_SECRET_FIELDS,
  parseElevenLabsSaved,
  resolveElevenLabsSettings,
  type ElevenLabsResolvedSettings,
  type ElevenLabsSavedSettings,
} from './elevenlabs-settings';
import { ElevenLabsSimulatorHost } from './elevenlabs-simulator.host';

const TEST_TIMEOUT_MS = 10_000;

/**
 * The ElevenLabs API key: environment > saved from the Integrations page > default (the fake API outside
 * production, else not configured). A save checks the key against the subscription (or models) endpoint, stores it
 * encrypted and swaps the client: voices, text to speech and health use it at once. The base URL is never saved
 * from the web app (ELEVENLABS_BASE_URL), so no admin-typed address is contacted.
 */
@Injectable()
export class ElevenLabsSettingsService extends IntegrationSettingsService<
  ElevenLabsSavedSettings,
  ElevenLabsResolvedSettings,
  ElevenLabsApiClient,
  ElevenLabsLinkInfo,
  ElevenLabsSettingsDto,
  ElevenLabsSettingsView
> {
  protected readonly secretFields = ELEVENLABS_SECRET_FIELDS;
  protected readonly label = 'ElevenLabs';

  constructor(
    live: ElevenLabsLiveClient,
    store: IntegrationSettingsStore,
    watcher: SettingsWatcher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly simulator: ElevenLabsSimulatorHost,
  ) {
    super('elevenlabs', { live, store, watcher, audit });
  }

  protected envLock(): string | null {
    return this.config.elevenlabs.apiKey !== undefined ? 'ELEVENLABS_API_KEY' : null;
  }

  protected parseSaved(values: Record<string, unknown>): ElevenLabsSavedSettings | null {
    return parseElevenLabsSaved(values);
  }

  protected resolve(saved: ElevenLabsSavedSettings | null): ElevenLabsResolvedSettings {
    return resolveElevenLabsSettings(this.config, saved);
  }

  protected async build(resolved: ElevenLabsResolvedSettings): Promise<{ client: ElevenLabsApiClient; info: ElevenLabsLinkInfo }> {
    const c = this.config.elevenlabs;
    const common = { timeoutMs: c.timeoutMs, maxRetries: c.maxRetries, defaultModelId: c.defaultModelId };
    let client: ElevenLabsApiClient;
    if (resolved.mode === 'simulator') {
      const sim = await this.simulator.start();
      client = new ElevenLabsApiClient({ ...common, apiKey: sim.apiKey, baseUrl: sim.baseUrl });
    } else {
      client = new ElevenLabsApiClient({ ...common, apiKey: resolved.apiKey ?? undefined, baseUrl: resolved.baseUrl });
    }
    return { client, info: { mode: resolved.mode, endpoint: client.endpoint } };
  }

  /** Nothing to close (fetch-based SDK) but a fake API that is no longer used. */
  protected async dispose(
    previous: LiveClientState<ElevenLabsApiClient, ElevenLabsLinkInfo>,
    next: ElevenLabsResolvedSettings | null,
  ): Promise<void> {
    if (previous.info.mode === 'simulator' && next !== null && next.mode !== 'simulator') await this.simulator.stop();
  }

  protected merge(input: ElevenLabsSettingsDto): ElevenLabsSavedSettings {
    return { api_key: input.api_key };
  }

  /** The key against the configured base URL (subscription, or models for a key without User read), audited. */
  protected async runTest(
    candidate: ElevenLabsSavedSettings,
    caller: SettingsCaller,
    purpose: 'test' | 'save',
  ): Promise<IntegrationTestResult> {
    const baseUrl = this.config.elevenlabs.baseUrl;
    const client = new ElevenLabsApiClient({
      apiKey: candidate.api_key,
      baseUrl,
      timeoutMs: Math.min(TEST_TIMEOUT_MS, this.config.elevenlabs.timeoutMs),
      maxRetries: 0,
    });
    const details = { endpoint: client.endpoint, latency_ms: null };
    let result: IntegrationTestResult;
    try {
      const { latencyMs, quota } = await client.probe();
      const remaining = quota === null ? null : Math.max(0, quota.characterLimit - quota.characterCount);
      result = {
        ok: true,
        message:
          `ElevenLabs accepted the key in ${String(latencyMs)} ms` +
          (remaining === null
            ? ' (the key may not read the subscription: quota unknown)'
            : `; ${String(remaining)} characters left this period`),
        details: { ...details, latency_ms: latencyMs, tier: quota?.tier ?? null },
      };
    } catch (error) {
      if (!(error instanceof ElevenLabsApiError)) throw error;
      result = { ok: false, message: explainElevenLabsError(error), details: { ...details, cause: error.kind } };
    }
    this.logger.log(`ElevenLabs key test at ${client.endpoint}: ${result.ok ? 'ok' : (result.details.cause ?? 'failed')}`);
    await this.audit.record({
      action: 'elevenlabs.test_connection',
      actor: caller.actor,
      target: new URL(client.endpoint).host,
      ip: caller.ip,
      details: {
        ok: result.ok,
        ...(result.details.cause !== undefined ? { cause: result.details.cause } : {}),
        purpose: purpose === 'save' ? 'settings_save' : 'settings_test',
      },
    });
    return result;
  }

  protected toView(meta: IntegrationSettingsMeta, resolved: ElevenLabsResolvedSettings): ElevenLabsSettingsView {
    const locked = resolved.source === 'env';
    return {
      ...meta,
      integration: 'elevenlabs',
      api_key: secretView(resolved.apiKey, resolved.source, locked, 'ELEVENLABS_API_KEY'),
      base_url: fieldView(resolved.baseUrl, this.config.isSetInEnv('ELEVENLABS_BASE_URL') ? 'env' : 'default', true, 'ELEVENLABS_BASE_URL'),
    };
  }

  protected describe(settings: ElevenLabsResolvedSettings | ElevenLabsSavedSettings): string {
    if ('mode' in settings) {
      if (settings.mode === 'simulator') return 'the built-in fake ElevenLabs API';
      if (settings.mode === 'unconfigured') return 'not configured';
      return `${settings.baseUrl} with a key from ${settings.source === 'env' ? 'the environment' : 'the saved settings'}`;
    }
    return `${this.config.elevenlabs.baseUrl} with a new key`;
  }
}

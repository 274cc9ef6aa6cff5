import { BadRequestException, Injectable } from '@nestjs/common';
import type { IntegrationSettingsMeta, IntegrationTestResult, SippySettingsView } from '@velora/contracts';
import { SippyClientFactory, type SippyClient, type SippyClientOptions } from '@velora/sippy';
import { AuditService } from '../auth/audit.service';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { IntegrationSettingsService } from '../settings/integration-settings.service';
import { IntegrationSettingsStore } from '../settings/integration-settings.store';
import type { LiveClientState } from '../settings/live-client';
import type { SettingsCaller } from '../settings/settings-caller';
import { fieldView, secretView } from '../settings/settings-view';
import { SettingsWatcher } from '../settings/settings-watcher.service';
import type { SippySettingsDto } from './dto/sippy-settings.dto';
import { safeEndpoint, SippyConnectionTester } from './sippy-connection-tester.service';
import { SippyLiveClient, type SippyLinkInfo } from './sippy-live-client';
import {
  caCertificateView,
  parseSippySaved,
  resolveSippySettings,
  SIPPY_SECRET_FIELDS,
  sippySourceKey,
  type SippyResolvedSettings,
  type SippySavedSettings,
} from './sippy-settings';
import { SippySimulatorHost } from './sippy-simulator.host';

/** Never resolvable (RFC 6761 .invalid): used only when SippySoft is unconfigured, and then never called. */
export const UNCONFIGURED_SIPPY_URL = 'https://sippy.invalid/xmlapi/xmlapi';

/**
 * SippySoft's connection settings: environment > saved from the Integrations page > default (simulator outside
 * production, else not configured). A save tests the candidate, stores it (password encrypted) and swaps the client:
 * the CDR sync restarts on the new switch and the health probe follows, without a restart.
 */
@Injectable()
export class SippySettingsService extends IntegrationSettingsService<
  SippySavedSettings,
  SippyResolvedSettings,
  SippyClient,
  SippyLinkInfo,
  SippySettingsDto,
  SippySettingsView
> {
  protected readonly secretFields = SIPPY_SECRET_FIELDS;
  protected readonly label = 'SippySoft';

  constructor(
    live: SippyLiveClient,
    store: IntegrationSettingsStore,
    watcher: SettingsWatcher,
    audit: AuditService,
    private readonly config: AppConfig,
    private readonly factory: SippyClientFactory,
    private readonly simulator: SippySimulatorHost,
    private readonly metrics: MetricsService,
    private readonly tester: SippyConnectionTester,
  ) {
    super('sippy', { live, store, watcher, audit });
  }

  protected envLock(): string | null {
    return this.config.sippy.connection.url !== undefined ? 'SIPPY_RPC_URL' : null;
  }

  protected parseSaved(values: Record<string, unknown>): SippySavedSettings | null {
    return parseSippySaved(values);
  }

  protected resolve(saved: SippySavedSettings | null): SippyResolvedSettings {
    return resolveSippySettings(this.config, saved);
  }

  protected async build(resolved: SippyResolvedSettings): Promise<{ client: SippyClient; info: SippyLinkInfo }> {
    const s = this.config.sippy;
    const behaviour: Omit<SippyClientOptions, 'url'> = {
      cdrSource: s.cdrSource,
      iAccount: s.iAccount,
      iCustomer: s.iCustomer,
      trustedCustomerId: s.trustedCustomerId,
      cdrType: resolved.cdrType,
      probeMethod: s.probeMethod,
      timeoutMs: s.connection.timeoutMs,
      maxResponseBytes: s.connection.maxResponseBytes,
      observer: this.metrics, // latency and errors of every call, for /metrics
    };
    let client: SippyClient;
    if (resolved.mode === 'simulator') {
      const sim = await this.simulator.start();
      client = this.factory.create({ ...behaviour, url: sim.url, username: sim.username, password: sim.password });
    } else if (resolved.mode === 'live' && resolved.url !== null) {
      client = this.factory.create({
        ...behaviour,
        url: resolved.url,
        username: resolved.username ?? undefined,
        password: resolved.password ?? undefined,
        tls: { verify: resolved.tlsVerify, ...(resolved.caPem !== null ? { ca: resolved.caPem } : {}) },
        caFile: resolved.caFile ?? undefined,
      });
    } else {
      client = this.factory.create({ ...behaviour, url: UNCONFIGURED_SIPPY_URL });
    }
    return { client, info: { mode: resolved.mode, endpoint: client.endpoint, sourceKey: sippySourceKey(resolved, this.config) } };
  }

  protected async dispose(previous: LiveClientState<SippyClient, SippyLinkInfo>, next: SippyResolvedSettings | null): Promise<void> {
    await previous.client.close();
    if (previous.info.mode === 'simulator' && next !== null && next.mode !== 'simulator') {
      await this.simulator.stop();
    }
  }

  /** A saved password is only reused for the same URL and user: it is never sent to another switch. */
  protected merge(input: SippySettingsDto, saved: SippySavedSettings | null): SippySavedSettings {
    let password = input.password;
    if (password === undefined) {
      if (saved === null) throw new BadRequestException(['password is required (nothing is saved yet)']);
      if (saved.url !== input.url || saved.username !== input.username) {
        throw new BadRequestException([
          'password is required when the URL or the user changes (a saved password is only used with the URL and user it was saved for)',
        ]);
      }
      password = saved.password;
    }
    return {
      url: input.url,
      username: input.username,
      password,
      tls_verify: input.tls_verify,
      ca_pem: input.ca_pem ?? null,
      cdr_type: input.cdr_type,
    };
  }

  protected runTest(candidate: SippySavedSettings, caller: SettingsCaller, purpose: 'test' | 'save'): Promise<IntegrationTestResult> {
    return this.tester.testCandidate(
      {
        url: candidate.url,
        username: candidate.username,
        password: candidate.password,
        tlsVerify: candidate.tls_verify,
        caPem: candidate.ca_pem,
        urlField: 'url',
        purpose: purpose === 'save' ? 'settings_save' : 'settings_test',
      },
      caller,
    );
  }

  protected toView(meta: IntegrationSettingsMeta, resolved: SippyResolvedSettings): SippySettingsView {
    const locked = resolved.source === 'env';
    const source = (name: 'SIPPY_RPC_URL' | 'SIPPY_RPC_USER' | 'SIPPY_RPC_PASS' | 'SIPPY_DISABLE_TLS_VERIFY') =>
      resolved.source === 'env' ? (this.config.isSetInEnv(name) ? 'env' : 'default') : resolved.source;
    return {
      ...meta,
      integration: 'sippy',
      url: fieldView(resolved.url, source('SIPPY_RPC_URL'), locked, 'SIPPY_RPC_URL'),
      username: fieldView(resolved.username, source('SIPPY_RPC_USER'), locked, 'SIPPY_RPC_USER'),
      password: secretView(resolved.password, source('SIPPY_RPC_PASS'), locked, 'SIPPY_RPC_PASS'),
      tls_verify: fieldView(resolved.tlsVerify, source('SIPPY_DISABLE_TLS_VERIFY'), locked, 'SIPPY_DISABLE_TLS_VERIFY'),
      ca_certificate: caCertificateView(resolved, locked),
      cdr_type: fieldView(resolved.cdrType, resolved.cdrTypeSource, locked || resolved.cdrTypeSource === 'env', 'SIPPY_CDR_TYPE'),
    };
  }

  protected describe(settings: SippyResolvedSettings | SippySavedSettings): string {
    if ('mode' in settings && settings.mode !== 'live') return settings.mode === 'simulator' ? 'the built-in simulator' : 'not configured';
    return settings.url === null ? 'not configured' : `${safeEndpoint(settings.url)} as "${settings.username ?? '(trusted)'}"`;
  }
}

import { BadRequestException, Injectable } from '@nestjs/common';
import type { IntegrationSettingsMeta, IntegrationTestResult, IssabelSettingsView } from '@velora/contracts';
import { AmiError, IssabelClient, type IssabelClientOptions } from '@velora/integrations';
import { AuditService } from '../auth/audit.service';
import { AppConfig } from '../config/app-config';
import { IntegrationSettingsService } from '../settings/integration-settings.service';
import { IntegrationSettingsStore } from '../settings/integration-settings.store';
import type { LiveClientState } from '../settings/live-client';
import type { SettingsCaller } from '../settings/settings-caller';
import { fieldView, secretView } from '../settings/settings-view';
import { SettingsWatcher } from '../settings/settings-watcher.service';
import { TestTargetGuard, TestTargetRefusedError } from '../sippy/test-target-guard';
import type { IssabelSettingsDto } from './dto/issabel-settings.dto';
import { explainAmiError } from './issabel-error.messages';
import { IssabelLiveClient, type IssabelLinkInfo } from './issabel-live-client';
import {
  ISSABEL_SECRET_FIELDS,
  parseIssabelSaved,
  resolveIssabelSettings,
  type IssabelResolvedSettings,
  type IssabelSavedSettings,
} from './issabel-settings';
import { IssabelSimulatorHost } from './issabel-simulator.host';

/** Never resolvable (RFC 6761 .invalid): used only when Issabel is unconfigured, and then never called. */
export const UNCONFIGURED_ISSABEL_HOST = 'issabel.invalid';
const TEST_TIMEOUT_MS = 10_000;

/**
 * Issabel's AMI connection: environment > saved from the Integrations page > default (fake AMI server outside
 * production, else not configured). A save tests the candidate (Login, Ping, version), stores it (secret encrypted)
 * and swaps the client: health and the PBX status follow at once.
 */
@Injectable()
export class IssabelSettingsService extends IntegrationSettingsService<
  IssabelSavedSettings,
  IssabelResolvedSettings,
  IssabelClient,
  IssabelLinkInfo,
  IssabelSettingsDto,
  IssabelSettingsView
> {
  protected readonly secretFields = ISSABEL_SECRET_FIELDS;
  protected readonly label = 'Issabel';
  /** Link-local and cloud-metadata addresses are refused (SIPPY_TEST_ALLOWED_HOSTS is Sippy's only). */
  private readonly guard = new TestTargetGuard([]);

  constructor(
    live: IssabelLiveClient,
    store: IntegrationSettingsStore,
    watcher: SettingsWatcher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly simulator: IssabelSimulatorHost,
  ) {
    super('issabel', { live, store, watcher, audit });
  }

  protected envLock(): string | null {
    return this.config.issabel.host !== undefined ? 'ISSABEL_AMI_HOST' : null;
  }

  protected parseSaved(values: Record<string, unknown>): IssabelSavedSettings | null {
    return parseIssabelSaved(values);
  }

  protected resolve(saved: IssabelSavedSettings | null): IssabelResolvedSettings {
    return resolveIssabelSettings(this.config, saved);
  }

  protected async build(resolved: IssabelResolvedSettings): Promise<{ client: IssabelClient; info: IssabelLinkInfo }> {
    const timeoutMs = this.config.issabel.timeoutMs;
    let options: IssabelClientOptions;
    if (resolved.mode === 'simulator') {
      const sim = await this.simulator.start();
      options = { host: sim.host, port: sim.port, username: sim.username, secret: sim.secret, timeoutMs };
    } else if (resolved.mode === 'live' && resolved.host !== null) {
      options = {
        host: resolved.host,
        port: resolved.port,
        username: resolved.username ?? '',
        secret: resolved.secret ?? '',
        timeoutMs,
        tls: resolved.tls ? { enabled: true, verify: resolved.tlsVerify } : undefined,
      };
    } else {
      options = { host: UNCONFIGURED_ISSABEL_HOST, port: resolved.port, username: '', secret: '', timeoutMs };
    }
    const client = new IssabelClient(options);
    return Promise.resolve({ client, info: { mode: resolved.mode, endpoint: client.endpoint } });
  }

  /** AMI sessions are short-lived: nothing to close but a fake server that is no longer used. */
  protected async dispose(previous: LiveClientState<IssabelClient, IssabelLinkInfo>, next: IssabelResolvedSettings | null): Promise<void> {
    if (previous.info.mode === 'simulator' && next !== null && next.mode !== 'simulator') await this.simulator.stop();
  }

  /** A saved secret is only reused for the same host and user: it is never sent to another PBX. */
  protected merge(input: IssabelSettingsDto, saved: IssabelSavedSettings | null): IssabelSavedSettings {
    let secret = input.secret;
    if (secret === undefined) {
      if (saved === null) throw new BadRequestException(['secret is required (nothing is saved yet)']);
      if (saved.host !== input.host || saved.username !== input.username) {
        throw new BadRequestException([
          'secret is required when the host or the user changes (a saved secret is only used with the host and user it was saved for)',
        ]);
      }
      secret = saved.secret;
    }
    return { host: input.host, port: input.port, username: input.username, secret, tls: input.tls, tls_verify: input.tls_verify };
  }

  /** SSRF guard (400 naming `host`), Login + Ping + CoreSettings, audit entry (never the secret). */
  protected async runTest(
    candidate: IssabelSavedSettings,
    caller: SettingsCaller,
    purpose: 'test' | 'save',
  ): Promise<IntegrationTestResult> {
    const target = `${candidate.host}:${String(candidate.port)}`;
    const auditDetails = { purpose: purpose === 'save' ? 'settings_save' : 'settings_test', tls: candidate.tls };
    try {
      await this.guard.checkHost(candidate.host, 'host');
    } catch (error) {
      if (!(error instanceof TestTargetRefusedError)) throw error;
      this.logger.warn(`Issabel test to ${target} refused: ${error.reason}`);
      await this.audit.record({
        action: 'issabel.test_connection',
        actor: caller.actor,
        target,
        ip: caller.ip,
        details: { ok: false, refused: error.reason, ...auditDetails },
      });
      throw new BadRequestException([error.message]);
    }
    const client = new IssabelClient({
      host: candidate.host,
      port: candidate.port,
      username: candidate.username,
      secret: candidate.secret,
      timeoutMs: Math.min(TEST_TIMEOUT_MS, this.config.issabel.timeoutMs),
      tls: candidate.tls ? { enabled: true, verify: candidate.tls_verify } : undefined,
    });
    const details = { endpoint: client.endpoint, latency_ms: null, ...(candidate.tls ? { tls_verify: candidate.tls_verify } : {}) };
    let result: IntegrationTestResult;
    try {
      const probe = await client.probe();
      result = {
        ok: true,
        message: `Connected to Issabel (Asterisk ${probe.asteriskVersion ?? 'version unknown'}) in ${String(probe.latencyMs)} ms`,
        details: { ...details, latency_ms: probe.latencyMs, asterisk_version: probe.asteriskVersion },
      };
    } catch (error) {
      if (!(error instanceof AmiError)) throw error;
      result = { ok: false, message: explainAmiError(error), details: { ...details, cause: error.kind } };
    }
    this.logger.log(
      `Issabel test of ${client.endpoint} as "${candidate.username}": ${result.ok ? 'ok' : (result.details.cause ?? 'failed')}`,
    );
    await this.audit.record({
      action: 'issabel.test_connection',
      actor: caller.actor,
      target,
      ip: caller.ip,
      details: { ok: result.ok, ...(result.details.cause !== undefined ? { cause: result.details.cause } : {}), ...auditDetails },
    });
    return result;
  }

  protected toView(meta: IntegrationSettingsMeta, resolved: IssabelResolvedSettings): IssabelSettingsView {
    const locked = resolved.source === 'env';
    const source = (
      name:
        | 'ISSABEL_AMI_HOST'
        | 'ISSABEL_AMI_PORT'
        | 'ISSABEL_AMI_USER'
        | 'ISSABEL_AMI_SECRET'
        | 'ISSABEL_AMI_TLS'
        | 'ISSABEL_AMI_DISABLE_TLS_VERIFY',
    ) =>
      resolved.source === 'env'
        ? this.config.isSetInEnv(name)
          ? 'env'
          : 'default'
        : resolved.source === 'saved'
          ? 'saved'
          : this.config.isSetInEnv(name)
            ? 'env'
            : 'default';
    return {
      ...meta,
      integration: 'issabel',
      host: fieldView(resolved.host, source('ISSABEL_AMI_HOST'), locked, 'ISSABEL_AMI_HOST'),
      port: fieldView(resolved.port, source('ISSABEL_AMI_PORT'), locked, 'ISSABEL_AMI_PORT'),
      username: fieldView(resolved.username, source('ISSABEL_AMI_USER'), locked, 'ISSABEL_AMI_USER'),
      secret: secretView(resolved.secret, source('ISSABEL_AMI_SECRET'), locked, 'ISSABEL_AMI_SECRET'),
      tls: fieldView(resolved.tls, source('ISSABEL_AMI_TLS'), locked, 'ISSABEL_AMI_TLS'),
      tls_verify: fieldView(resolved.tlsVerify, source('ISSABEL_AMI_DISABLE_TLS_VERIFY'), locked, 'ISSABEL_AMI_DISABLE_TLS_VERIFY'),
    };
  }

  protected describe(settings: IssabelResolvedSettings | IssabelSavedSettings): string {
    if ('mode' in settings && settings.mode !== 'live')
      return settings.mode === 'simulator' ? 'the built-in fake AMI server' : 'not configured';
    if (settings.host === null) return 'not configured';
    return `${settings.tls ? 'tls' : 'tcp'}://${settings.host}:${String(settings.port)} as "${settings.username ?? ''}"`;
  }
}

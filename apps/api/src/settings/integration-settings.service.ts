import {
  ConflictException,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  UnprocessableEntityException,
} from '@nestjs/common';
import type {
  ConfigurableIntegration,
  IntegrationConnectionMode,
  IntegrationSettingsMeta,
  IntegrationSettingsRejected,
  IntegrationSettingsSaved,
  IntegrationTestResult,
  SettingSource,
} from '@velora/contracts';
import type { AuditService } from '../auth/audit.service';
import type { IntegrationSettingsStore, StoredSettings } from './integration-settings.store';
import type { LiveClient, LiveClientInfo, LiveClientState } from './live-client';
import type { SettingsCaller } from './settings-caller';
import type { SettingsWatcher, WatchedSettings } from './settings-watcher.service';

/** The connection in force, resolved from the environment, the saved settings and the defaults. */
export interface ResolvedSettings {
  /** Where the connection comes from: environment variables, the saved settings, or the defaults (simulator / none). */
  source: SettingSource;
  mode: IntegrationConnectionMode;
  /** Changes whenever the client must be rebuilt. Includes the secrets: never leaves the process. */
  fingerprint: string;
}

/** Every dependency the base class needs (a subclass gets them injected and hands them on). */
export interface IntegrationSettingsDeps<TClient, TInfo extends LiveClientInfo> {
  live: LiveClient<TClient, TInfo>;
  store: IntegrationSettingsStore;
  watcher: SettingsWatcher;
  audit: AuditService;
}

/**
 * The "current settings holder" of one integration: reads the saved settings at start-up and whenever they change
 * (a save here, or on another replica: SettingsWatcher), resolves them against the environment (env > saved >
 * default), builds the client and swaps it into the LiveClient that the sync, the probes and the controllers read.
 * Saving tests the candidate first (SSRF guard included, audited) and stores it only when the test passes.
 */
export abstract class IntegrationSettingsService<
  TSaved extends Record<string, unknown>,
  TResolved extends ResolvedSettings,
  TClient,
  TInfo extends LiveClientInfo,
  TInput,
  TView extends IntegrationSettingsMeta,
>
  implements WatchedSettings, OnApplicationBootstrap, OnApplicationShutdown
{
  protected readonly logger: Logger;
  private loaded: StoredSettings | null = null;
  private saved: TSaved | null = null;
  private savedError: string | null = null;
  private resolved: TResolved | null = null;
  private applying: Promise<void> = Promise.resolve();
  private version: number | null = null;

  /** The secret fields of TSaved: encrypted at rest, never sent back. */
  protected abstract readonly secretFields: readonly (keyof TSaved & string)[];
  /** For messages: "SippySoft", "Issabel", "ElevenLabs". */
  protected abstract readonly label: string;

  protected constructor(
    readonly integration: ConfigurableIntegration,
    private readonly deps: IntegrationSettingsDeps<TClient, TInfo>,
  ) {
    this.logger = new Logger(`${integration}-settings`);
  }

  /** The environment variable that sets the connection (then nothing of it can be saved), or null. */
  protected abstract envLock(): string | null;
  /** The saved values in the shape this integration stores, or null when they are not (an older or altered row). */
  protected abstract parseSaved(values: Record<string, unknown>): TSaved | null;
  /** env > saved > default. Pure. */
  protected abstract resolve(saved: TSaved | null): TResolved;
  protected abstract build(resolved: TResolved): Promise<{ client: TClient; info: TInfo }>;
  /** Releases what the replaced client held (connections, a simulator no longer needed). */
  protected abstract dispose(previous: LiveClientState<TClient, TInfo>, next: TResolved | null): Promise<void>;
  /** The candidate of a test or save: the input plus the saved secrets it may keep (400 when it may not). */
  protected abstract merge(input: TInput, saved: TSaved | null): TSaved;
  /** Guard + connection test + audit entry. */
  protected abstract runTest(candidate: TSaved, caller: SettingsCaller, purpose: 'test' | 'save'): Promise<IntegrationTestResult>;
  protected abstract toView(meta: IntegrationSettingsMeta, resolved: TResolved, saved: TSaved | null): TView;
  /** Where the connection goes, without secrets (logs, audit target). */
  protected abstract describe(settings: TResolved | TSaved): string;

  get appliedVersion(): number | null {
    return this.version;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.deps.watcher.register(this);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.applying.catch(() => undefined);
    await this.dispose(this.deps.live.current, null);
    this.deps.live.complete();
  }

  /** Reads the saved settings and puts them in force when they change the connection (one reload at a time). */
  reload(): Promise<void> {
    const next = this.applying.catch(() => undefined).then(() => this.apply());
    this.applying = next;
    return next;
  }

  view(): TView {
    const resolved = this.current();
    const meta: IntegrationSettingsMeta = {
      integration: this.integration,
      mode: this.deps.live.current.info.mode,
      read_only: this.envLock() !== null,
      saved:
        this.loaded !== null && (this.loaded.values !== null || this.loaded.error !== null)
          ? { version: this.loaded.version, updated_at: this.loaded.updatedAt.toISOString(), updated_by: this.loaded.updatedBy }
          : null,
      saved_error: this.savedError,
    };
    return this.toView(meta, resolved, this.saved);
  }

  /** Tests a candidate without saving it. Failed tests are audited like every connection test. */
  test(input: TInput, caller: SettingsCaller): Promise<IntegrationTestResult> {
    return this.runTest(this.merge(input, this.saved), caller, 'test');
  }

  /**
   * Tests the candidate and, when the test passes, stores it (secrets encrypted) and puts it in force at once: the
   * client is rebuilt, the sync and the probes follow. 409 when environment variables set the connection; 422 (with
   * the test result, audited) when the test fails: nothing is saved then.
   */
  async save(input: TInput, caller: SettingsCaller): Promise<IntegrationSettingsSaved<TView>> {
    this.assertWritable();
    const candidate = this.merge(input, this.saved);
    const test = await this.runTest(candidate, caller, 'save');
    if (!test.ok) {
      const body: IntegrationSettingsRejected = {
        statusCode: 422,
        message: `The connection test failed, the ${this.label} settings were not saved: ${test.message}`,
        test,
      };
      throw new UnprocessableEntityException(body);
    }
    const previous = this.saved;
    const version = await this.deps.store.save(this.integration, { ...candidate }, this.secretFields, caller.actor?.email ?? null);
    await this.reload();
    await this.deps.audit.record({
      action: 'integration.settings_saved',
      actor: caller.actor,
      target: this.integration,
      ip: caller.ip,
      details: { version, endpoint: this.describe(candidate), changed: changedFields(previous, candidate) },
    });
    this.logger.log(
      `${this.label} settings saved by ${caller.actor?.email ?? 'anonymous'} (version ${String(version)}): ${this.describe(candidate)}`,
    );
    return { settings: this.view(), test };
  }

  /** Forgets the saved settings: the environment and the defaults (simulator or "not configured") apply again. */
  async clear(caller: SettingsCaller): Promise<TView> {
    const version = await this.deps.store.clear(this.integration, caller.actor?.email ?? null);
    await this.reload();
    await this.deps.audit.record({
      action: 'integration.settings_cleared',
      actor: caller.actor,
      target: this.integration,
      ip: caller.ip,
      details: { version },
    });
    this.logger.log(`${this.label} settings cleared by ${caller.actor?.email ?? 'anonymous'} (version ${String(version)})`);
    return this.view();
  }

  /** The resolved settings in force (the environment and defaults before the first read). */
  protected current(): TResolved {
    return this.resolved ?? this.resolve(null);
  }

  private assertWritable(): void {
    const lock = this.envLock();
    if (lock !== null) {
      throw new ConflictException(
        `The ${this.label} connection is set by environment variables (${lock}): change it there, or unset them to save it here`,
      );
    }
  }

  private async apply(): Promise<void> {
    const loaded = await this.deps.store.load(this.integration);
    let saved: TSaved | null = null;
    let error = loaded?.error ?? null;
    if (loaded?.values) {
      saved = this.parseSaved(loaded.values);
      if (saved === null) error = `the saved ${this.label} settings are not in a usable form: save them again`;
    }
    if (error !== null) this.logger.error(`${this.label}: saved settings not used: ${error}`);
    let resolved = this.resolve(saved);
    if (this.resolved === null || resolved.fingerprint !== this.resolved.fingerprint) {
      let built: { client: TClient; info: TInfo };
      try {
        built = await this.build(resolved);
      } catch (buildError) {
        if (resolved.source !== 'saved') throw buildError; // environment: fail the start as before
        error = `the saved ${this.label} settings cannot be used (${buildError instanceof Error ? buildError.message : String(buildError)}): save them again`;
        this.logger.error(`${this.label}: ${error}`);
        saved = null;
        resolved = this.resolve(null);
        built = await this.build(resolved);
      }
      const previous = this.deps.live.swap(built.client, built.info);
      this.resolved = resolved;
      await this.dispose(previous, resolved).catch((disposeError: unknown) => {
        this.logger.warn(
          `${this.label}: closing the previous client failed: ${disposeError instanceof Error ? disposeError.message : String(disposeError)}`,
        );
      });
      this.logger.log(`${this.label} connection in force (${resolved.source}, ${resolved.mode}): ${this.describe(resolved)}`);
    } else {
      this.deps.live.confirm();
    }
    this.loaded = loaded;
    this.saved = saved;
    this.savedError = error;
    this.version = loaded?.version ?? null;
  }
}

/** Names of the fields a save changes (values never: some are secrets). */
function changedFields(previous: Record<string, unknown> | null, next: Record<string, unknown>): string[] {
  const before = previous ?? {};
  return Object.entries(next)
    .filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value))
    .map(([key]) => key)
    .sort();
}

import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigurableIntegration } from '@velora/contracts';
import { AppConfig } from '../config/app-config';
import { IntegrationSettingsStore } from './integration-settings.store';

/** An integration whose settings follow the database (its settings service). */
export interface WatchedSettings {
  readonly integration: ConfigurableIntegration;
  /** The saved version in force (null: none read yet). */
  readonly appliedVersion: number | null;
  reload(): Promise<void>;
}

/**
 * Several replicas share one database: a save on one of them must reach the others without a restart. Every
 * SETTINGS_REFRESH_SECONDS this compares the saved versions (one small query) with those in force and reloads the
 * integrations that changed. The replica that saved applies at once; the others follow within one period.
 */
@Injectable()
export class SettingsWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SettingsWatcher.name);
  private readonly watched: WatchedSettings[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly store: IntegrationSettingsStore,
    private readonly config: AppConfig,
  ) {}

  register(settings: WatchedSettings): void {
    this.watched.push(settings);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      void this.checkNow();
    }, this.config.settings.refreshMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
  }

  /** Reloads every integration whose saved version differs from the one in force (one check at a time). */
  checkNow(): Promise<void> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<void> {
    try {
      const versions = await this.store.versions();
      for (const settings of this.watched) {
        const stored = versions.get(settings.integration) ?? null;
        if (stored !== settings.appliedVersion) {
          this.logger.log(`${settings.integration} settings changed (version ${String(stored)}): applying them`);
          await settings.reload();
        }
      }
      if (this.failing) this.logger.log('saved settings are readable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(`cannot check the saved settings (will retry): ${error instanceof Error ? error.message : String(error)}`);
      }
      this.failing = true;
    }
  }
}

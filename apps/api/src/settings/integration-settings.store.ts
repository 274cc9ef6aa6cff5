import { Injectable } from '@nestjs/common';
import type { ConfigurableIntegration } from '@velora/contracts';
import { AppConfig } from '../config/app-config';
import { IntegrationSettingsRepository } from './integration-settings.repository';
import { SettingsDecryptionError } from './settings-cipher';
import { SettingsKeyService } from './settings-key.service';

/** Saved settings as read back: plain and decrypted secret values together (server memory only). */
export interface StoredSettings {
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
  /** null: the settings were cleared (back to environment/defaults), or cannot be read (`error`). */
  values: Record<string, unknown> | null;
  /** Why saved settings cannot be used (a secret encrypted with another key, an altered row); null when fine. */
  error: string | null;
}

/**
 * Saved integration settings with their secrets encrypted at rest (AES-256-GCM, SettingsCipher). Every decrypted
 * or newly saved secret is registered with the log scrubber before anything can log it.
 */
@Injectable()
export class IntegrationSettingsStore {
  constructor(
    private readonly repository: IntegrationSettingsRepository,
    private readonly keys: SettingsKeyService,
    private readonly config: AppConfig,
  ) {}

  /** The saved settings of one integration (null: never saved). A secret that cannot be decrypted sets `error`. */
  async load(integration: ConfigurableIntegration): Promise<StoredSettings | null> {
    const record = await this.repository.get(integration);
    if (record === null) return null;
    const meta = { version: record.version, updatedAt: record.updatedAt, updatedBy: record.updatedBy };
    if (Object.keys(record.settings).length === 0 && Object.keys(record.secrets).length === 0) {
      return { ...meta, values: null, error: null };
    }
    const values: Record<string, unknown> = { ...record.settings };
    const entries = Object.entries(record.secrets);
    if (entries.length > 0) {
      const cipher = await this.keys.cipher();
      for (const [field, envelope] of entries) {
        try {
          const secret = cipher.decrypt(envelope, `${integration}.${field}`);
          this.config.runtimeSecrets.add(secret);
          values[field] = secret;
        } catch (error) {
          if (!(error instanceof SettingsDecryptionError)) throw error;
          return { ...meta, values: null, error: error.message };
        }
      }
    }
    return { ...meta, values, error: null };
  }

  /** Replaces the saved settings; `secretFields` are encrypted, the rest is stored as it is. Returns the new version. */
  async save(
    integration: ConfigurableIntegration,
    values: Record<string, unknown>,
    secretFields: readonly string[],
    updatedBy: string | null,
  ): Promise<number> {
    const plain: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    const cipher = secretFields.length > 0 ? await this.keys.cipher() : null;
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if (secretFields.includes(field)) {
        if (typeof value !== 'string') throw new TypeError(`secret ${integration}.${field} must be a string`);
        this.config.runtimeSecrets.add(value);
        if (cipher !== null) secrets[field] = cipher.encrypt(value, `${integration}.${field}`);
      } else {
        plain[field] = value;
      }
    }
    return this.repository.put(integration, plain, secrets, updatedBy);
  }

  /** Forgets the saved settings (the environment and the defaults apply again). Returns the new version. */
  clear(integration: ConfigurableIntegration, updatedBy: string | null): Promise<number> {
    return this.repository.put(integration, {}, {}, updatedBy);
  }

  versions(): Promise<Map<string, number>> {
    return this.repository.versions();
  }
}

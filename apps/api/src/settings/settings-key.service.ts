import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppSettingsRepository } from '../auth/app-settings.repository';
import { AppConfig } from '../config/app-config';
import { SettingsCipher } from './settings-cipher';

const SETTING_KEY = 'settings.encryption_key';

/**
 * The key of the saved integration secrets: SETTINGS_ENCRYPTION_KEY, else 32 random bytes generated on the first
 * use and kept in app_settings (like the session key), so that saved secrets survive restarts. The generated key
 * lives in the same database as the secrets: set SETTINGS_ENCRYPTION_KEY to keep the two apart (production).
 */
@Injectable()
export class SettingsKeyService {
  private readonly logger = new Logger(SettingsKeyService.name);
  private cipherPromise: Promise<SettingsCipher> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: AppSettingsRepository,
  ) {}

  cipher(): Promise<SettingsCipher> {
    this.cipherPromise ??= this.load().catch((error: unknown) => {
      this.cipherPromise = undefined;
      throw error;
    });
    return this.cipherPromise;
  }

  private async load(): Promise<SettingsCipher> {
    const configured = this.config.settings.encryptionKey;
    if (configured !== undefined) return new SettingsCipher(configured);
    const stored = await this.settings.getOrCreate<string>(SETTING_KEY, randomBytes(32).toString('base64url'));
    if (typeof stored !== 'string' || stored.length < 32) {
      throw new Error(
        `app_settings ${SETTING_KEY} is not a usable key: set SETTINGS_ENCRYPTION_KEY (saved secrets must then be entered again)`,
      );
    }
    this.config.runtimeSecrets.add(stored);
    const advice = 'set SETTINGS_ENCRYPTION_KEY to keep the key out of the database (docs/configuration.md)';
    if (this.config.isProduction) {
      this.logger.warn(
        `SETTINGS_ENCRYPTION_KEY is not set: saved integration secrets are encrypted with a key kept in the same database; ${advice}`,
      );
    } else {
      this.logger.log(
        `SETTINGS_ENCRYPTION_KEY is not set: saved integration secrets use the key generated on the first start (stored in the database); ${advice}`,
      );
    }
    return new SettingsCipher(stored);
  }
}

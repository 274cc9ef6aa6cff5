import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { AppSettingsRepository } from './app-settings.repository';

const SETTING_KEY = 'auth.jwt_secret';

/**
 * The HMAC key of session JWTs: AUTH_JWT_SECRET (required in production), else 48 random bytes generated on
 * the first start and kept in app_settings so that sessions survive restarts of a development install.
 */
@Injectable()
export class SessionSecretService {
  private readonly logger = new Logger(SessionSecretService.name);
  private secret: Promise<string> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: AppSettingsRepository,
  ) {}

  get(): Promise<string> {
    this.secret ??= this.load().catch((error: unknown) => {
      this.secret = undefined;
      throw error;
    });
    return this.secret;
  }

  private async load(): Promise<string> {
    if (this.config.auth.jwtSecret !== undefined) return this.config.auth.jwtSecret;
    const stored = await this.settings.getOrCreate<string>(SETTING_KEY, randomBytes(48).toString('base64url'));
    if (typeof stored !== 'string' || stored.length < 32) {
      throw new Error(`app_settings ${SETTING_KEY} is not a usable key: delete the row or set AUTH_JWT_SECRET`);
    }
    this.logger.log('AUTH_JWT_SECRET is not set: using the session key generated on the first start (stored in the database)');
    return stored;
  }
}

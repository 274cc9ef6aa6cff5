import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_PRIVACY_SETTINGS, PRIVACY_ROLES, type PrivacyRole, type PrivacySettings } from '@velora/contracts';
import { AppSettingsRepository } from '../auth/app-settings.repository';

/** The `app_settings` key of the privacy settings (no table of their own: one small JSON value). */
export const PRIVACY_SETTINGS_KEY = 'privacy';
/**
 * How long a replica trusts its copy of the settings. Another replica's change is seen within this time; a
 * change on this replica at once. HTTP requests wait for a fresh copy; live events use the copy they have and
 * refresh it in the background.
 */
export const PRIVACY_SETTINGS_TTL_MS = 2000;

/**
 * The privacy settings (masking on/off, masked roles, reveal roles): stored in `app_settings` under `privacy`,
 * defaults when never saved (masking off). Cached per process for {@link PRIVACY_SETTINGS_TTL_MS}.
 */
@Injectable()
export class PrivacySettingsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PrivacySettingsService.name);
  private cached: PrivacySettings = DEFAULT_PRIVACY_SETTINGS;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<PrivacySettings> | null = null;

  constructor(private readonly settings: AppSettingsRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.current();
  }

  /** The settings, read again when the copy is older than the TTL (a failed read keeps the last copy). */
  async current(): Promise<PrivacySettings> {
    if (Date.now() - this.loadedAt < PRIVACY_SETTINGS_TTL_MS) return this.cached;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The copy this process has, without waiting (live events); starts a refresh when it is stale. */
  snapshot(): PrivacySettings {
    if (Date.now() - this.loadedAt >= PRIVACY_SETTINGS_TTL_MS) void this.current();
    return this.cached;
  }

  async save(next: PrivacySettings): Promise<PrivacySettings> {
    const normalized = normalize(next);
    await this.settings.set(PRIVACY_SETTINGS_KEY, normalized);
    this.cached = normalized;
    this.loadedAt = Date.now();
    return normalized;
  }

  private async load(): Promise<PrivacySettings> {
    try {
      const stored = await this.settings.get<unknown>(PRIVACY_SETTINGS_KEY);
      this.cached = stored === undefined ? DEFAULT_PRIVACY_SETTINGS : normalize(stored);
      this.loadedAt = Date.now();
    } catch (error: unknown) {
      this.logger.warn(`cannot read the privacy settings, keeping the last ones: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.cached;
  }
}

/** Whatever is stored, as valid settings (unknown roles dropped, missing fields from the defaults, sorted roles). */
export function normalize(value: unknown): PrivacySettings {
  const raw = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof PrivacySettings, unknown>>) : {};
  const roles = (list: unknown, fallback: PrivacyRole[]): PrivacyRole[] =>
    Array.isArray(list) ? PRIVACY_ROLES.filter((role) => list.includes(role)) : [...fallback];
  return {
    masking_enabled: typeof raw.masking_enabled === 'boolean' ? raw.masking_enabled : DEFAULT_PRIVACY_SETTINGS.masking_enabled,
    masked_roles: roles(raw.masked_roles, DEFAULT_PRIVACY_SETTINGS.masked_roles),
    reveal_roles: roles(raw.reveal_roles, DEFAULT_PRIVACY_SETTINGS.reveal_roles),
  };
}

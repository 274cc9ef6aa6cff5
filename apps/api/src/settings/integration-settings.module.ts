import { Module } from '@nestjs/common';
import { IntegrationSettingsRepository } from './integration-settings.repository';
import { IntegrationSettingsStore } from './integration-settings.store';
import { SettingsKeyService } from './settings-key.service';
import { SettingsWatcher } from './settings-watcher.service';

/**
 * Storage of the connection settings saved from the Integrations page: the table, the AES-256-GCM encryption of
 * the secrets and the watcher that applies a save made on another replica. The integrations (SippyModule,
 * IssabelModule, ElevenLabsModule) import it and own their settings service and endpoints.
 */
@Module({
  providers: [IntegrationSettingsRepository, IntegrationSettingsStore, SettingsKeyService, SettingsWatcher],
  exports: [IntegrationSettingsStore, SettingsWatcher],
})
export class IntegrationSettingsModule {}

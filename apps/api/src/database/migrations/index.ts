import type { Migration } from 'kysely';
import { createCdrsMigration } from './0001-create-cdrs.migration';
import { cdrsTrigramIndexesMigration } from './0002-cdrs-trigram-indexes.migration';
import { createSyncStateMigration } from './0003-create-sync-state.migration';
import { createAuthMigration } from './0004-create-auth.migration';
import { createRateLimitsMigration } from './0005-create-rate-limits.migration';
import { usersOidcIdentityMigration } from './0006-users-oidc-identity.migration';
import { cdrCountryCodeAndRollupsMigration } from './0008-cdr-country-code-and-rollups.migration';
import { createSavedViewsMigration } from './0010-create-saved-views.migration';
import { createIntegrationSettingsMigration } from './0011-create-integration-settings.migration';
import { createCdrReconciliationsMigration } from './0012-create-cdr-reconciliations.migration';
import { createEventsMigration } from './0014-create-events.migration';
import { createInsightsMigration } from './0016-create-insights.migration';
import { cdrReportRollupsMigration } from './0018-cdr-report-rollups.migration';
import { createDetectionMigration } from './0017-create-detection.migration';
import { cdrRollupDailyTotalsMigration } from './0019-cdr-rollup-daily-totals.migration';
import { detectionCooldownMigration } from './0021-detection-cooldown.migration';
import { detectionAccountSourcesMigration } from './0022-detection-account-sources.migration';
import { cdrsMonthlyPartitionsMigration } from './0023-cdrs-monthly-partitions.migration';

/**
 * Every migration, by name. Kysely applies them in name order and records the names in
 * `kysely_migration`: never rename or edit a shipped migration, add a new one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-create-cdrs': createCdrsMigration,
  '0002-cdrs-trigram-indexes': cdrsTrigramIndexesMigration,
  '0003-create-sync-state': createSyncStateMigration,
  '0004-create-auth': createAuthMigration,
  '0005-create-rate-limits': createRateLimitsMigration,
  '0006-users-oidc-identity': usersOidcIdentityMigration,
  '0008-cdr-country-code-and-rollups': cdrCountryCodeAndRollupsMigration,
  '0010-create-saved-views': createSavedViewsMigration,
  '0011-create-integration-settings': createIntegrationSettingsMigration,
  '0012-create-cdr-reconciliations': createCdrReconciliationsMigration,
  '0014-create-events': createEventsMigration,
  '0016-create-insights': createInsightsMigration,
  '0017-create-detection': createDetectionMigration,
  '0018-cdr-report-rollups': cdrReportRollupsMigration,
  '0019-cdr-rollup-daily-totals': cdrRollupDailyTotalsMigration,
  '0021-detection-cooldown': detectionCooldownMigration,
  '0022-detection-account-sources': detectionAccountSourcesMigration,
  '0023-cdrs-monthly-partitions': cdrsMonthlyPartitionsMigration,
});

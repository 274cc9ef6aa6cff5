import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { ConfigurableIntegration } from '@velora/contracts';
import { DatabaseService } from '../database/database.service';
import { toJsonb } from '../database/jsonb';

export interface IntegrationSettingsRecord {
  integration: ConfigurableIntegration;
  /** Plain values ({} after a clear). */
  settings: Record<string, unknown>;
  /** field → encrypted envelope ({} after a clear). */
  secrets: Record<string, unknown>;
  version: number;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The only code that touches `integration_settings`. */
@Injectable()
export class IntegrationSettingsRepository {
  constructor(private readonly database: DatabaseService) {}

  async get(integration: ConfigurableIntegration): Promise<IntegrationSettingsRecord | null> {
    const row = await this.database.db
      .selectFrom('integration_settings')
      .selectAll()
      .where('integration', '=', integration)
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      integration,
      settings: row.settings,
      secrets: row.secrets,
      version: row.version,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  }

  /** The version of every saved integration: what the replicas compare to notice a save made elsewhere. */
  async versions(): Promise<Map<string, number>> {
    const rows = await this.database.db.selectFrom('integration_settings').select(['integration', 'version']).execute();
    return new Map(rows.map((r) => [r.integration, r.version]));
  }

  /** Inserts or replaces the row and bumps its version (a clear writes empty objects); returns the new version. */
  async put(
    integration: ConfigurableIntegration,
    settings: Record<string, unknown>,
    secrets: Record<string, unknown>,
    updatedBy: string | null,
  ): Promise<number> {
    const row = await this.database.db
      .insertInto('integration_settings')
      .values({
        integration,
        settings: toJsonb(settings, 'settings'),
        secrets: toJsonb(secrets, 'secrets'),
        version: 1,
        updated_by: updatedBy,
      })
      .onConflict((oc) =>
        oc.column('integration').doUpdateSet({
          settings: (eb) => eb.ref('excluded.settings'),
          secrets: (eb) => eb.ref('excluded.secrets'),
          version: sql<number>`integration_settings.version + 1`,
          updated_by: (eb) => eb.ref('excluded.updated_by'),
          updated_at: sql<Date>`now()`,
        }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return row.version;
  }
}

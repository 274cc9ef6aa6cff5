import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Detection cooldown (docs/detection.md#cooldown): a per-rule `cooldown_seconds` next to the other saved settings.
 * Null (rows saved before this migration) means the rule's default from code.
 */
export const detectionCooldownMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table detection_rule_settings add column cooldown_seconds integer check (cooldown_seconds >= 0)`.execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql`alter table detection_rule_settings drop column cooldown_seconds`.execute(db);
  },
};

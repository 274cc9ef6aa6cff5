/**
 * Migrating the database failed. Migrations run in one transaction, so nothing of the failed run
 * stays applied. `failed` names the migration that threw; `notExecuted` the ones after it.
 */
export class MigrationFailedError extends Error {
  readonly failed: readonly string[];
  readonly notExecuted: readonly string[];

  constructor(
    message: string,
    details: { failed: readonly string[]; notExecuted: readonly string[]; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = 'MigrationFailedError';
    this.failed = details.failed;
    this.notExecuted = details.notExecuted;
  }
}

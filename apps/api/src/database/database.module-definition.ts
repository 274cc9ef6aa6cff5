import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Options of DatabaseModule.forRoot / forRootAsync. Built by the app from validated config. */
export interface DatabaseModuleOptions {
  /** DATABASE_URL: unset/blank → PGlite in `<dataDir>/pglite`; `memory://`; `postgres(ql)://…`. */
  url?: string | null;
  /** DATA_DIR: parent folder of the embedded PGlite database (created when missing). */
  dataDir: string;
  /** PGlite only: PostgreSQL's shared_buffers in MB (PGLITE_SHARED_BUFFERS_MB). Default 32. */
  pgliteSharedBuffersMb?: number;
  /** Apply pending migrations in onModuleInit. Default true. */
  runMigrations?: boolean;
  /** PostgreSQL pool size. Default 10. */
  poolMax?: number;
  /** PostgreSQL connect timeout in ms. Default 10 000. */
  connectionTimeoutMs?: number;
  /** For `memory://` only: a PGlite data directory snapshot to start from (tests: already migrated). */
  memoryTemplate?: Blob;
}

export const {
  ConfigurableModuleClass: DatabaseConfigurableModule,
  MODULE_OPTIONS_TOKEN: DATABASE_MODULE_OPTIONS,
  OPTIONS_TYPE: DATABASE_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DATABASE_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DatabaseModuleOptions>({ moduleName: 'Database' })
  .setClassMethodName('forRoot')
  .setExtras<{ isGlobal?: boolean }>({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

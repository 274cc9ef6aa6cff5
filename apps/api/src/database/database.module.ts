import { Module } from '@nestjs/common';
import { DatabaseConfigurableModule } from './database.module-definition';
import { DatabaseService } from './database.service';

/**
 * Provides DatabaseService (Kysely over PGlite or PostgreSQL). Global by default (`isGlobal: true`).
 *
 * ```ts
 * DatabaseModule.forRootAsync({
 *   inject: [databaseConfig.KEY],
 *   useFactory: (config: ConfigType<typeof databaseConfig>) => ({ url: config.url, dataDir: config.dataDir }),
 * })
 * ```
 */
@Module({
  providers: [DatabaseService],
  exports: [DatabaseService],
})
export class DatabaseModule extends DatabaseConfigurableModule {}

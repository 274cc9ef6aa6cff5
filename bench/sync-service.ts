import { SchedulerRegistry } from '@nestjs/schedule';
import type { SippyClient } from '../libs/sippy/src/client/sippy.client';
import { CdrNormalizerService } from '../apps/api/src/cdrs/cdr-normalizer.service';
import type { CdrRepository } from '../apps/api/src/cdrs/cdr.repository';
import { Clock } from '../apps/api/src/common/clock';
import type { AppConfig } from '../apps/api/src/config/app-config';
import type { DatabaseService } from '../apps/api/src/database/database.service';
import { SippyLiveClient } from '../apps/api/src/sippy/sippy-live-client';
import { CdrSyncService } from '../apps/api/src/sync/cdr-sync.service';
import { SyncStateRepository } from '../apps/api/src/sync/sync-state.repository';

/** The real CdrSyncService wired by hand (no Nest container), as the ingest benchmarks run it. */
export function benchSyncService(client: SippyClient, cdrs: CdrRepository, database: DatabaseService, config: AppConfig): CdrSyncService {
  return new CdrSyncService(
    SippyLiveClient.of(client),
    cdrs,
    new SyncStateRepository(database),
    database,
    new CdrNormalizerService(config),
    config,
    new Clock(),
    new SchedulerRegistry(),
  );
}

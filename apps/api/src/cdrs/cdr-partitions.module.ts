import { Module } from '@nestjs/common';
import { SippyModule } from '../sippy/sippy.module';
import { CdrPartitionsRepository } from './cdr-partitions.repository';
import { CdrPartitionsService } from './cdr-partitions.service';

/** Monthly CDR partitions ahead and CDR_RETENTION_DAYS, under the sync lease (it needs CdrSyncService). */
@Module({
  imports: [SippyModule],
  providers: [CdrPartitionsRepository, CdrPartitionsService],
  exports: [CdrPartitionsService],
})
export class CdrPartitionsModule {}

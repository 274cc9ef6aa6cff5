import { Module } from '@nestjs/common';
import { CdrNormalizerService } from './cdr-normalizer.service';
import { CdrRepository } from './cdr.repository';
import { CdrsService } from './cdrs.service';

/** The CDR store: repository, normalizer with this installation's rules, and the read service. */
@Module({
  providers: [CdrRepository, CdrNormalizerService, CdrsService],
  exports: [CdrRepository, CdrNormalizerService, CdrsService],
})
export class CdrsModule {}

import { Module } from '@nestjs/common';
import { CdrsModule } from '../cdrs/cdrs.module';
import { CdrExportService } from './cdr-export.service';

/**
 * Exports of the CDR list (GET /api/sippy/cdrs/export, routed by SippyController so it comes before
 * /api/sippy/cdrs/:id). The report exports use the same writers (`export-sink.ts`) from ReportsModule.
 */
@Module({
  imports: [CdrsModule],
  providers: [CdrExportService],
  exports: [CdrExportService],
})
export class ExportsModule {}

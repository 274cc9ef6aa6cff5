import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { RollupReportsSource } from './reports-rollup.source';
import { ReportsRepository, ReportsSource } from './reports.repository';
import { ReportsService } from './reports.service';
import { ReportExportService } from './report-export.service';

/** /api/reports: time series, breakdowns, top lists and period comparison over the stored CDRs, and their exports. */
@Module({
  controllers: [ReportsController],
  providers: [
    ReportsRepository,
    RollupReportsSource,
    { provide: ReportsSource, useExisting: RollupReportsSource },
    ReportsService,
    ReportExportService,
  ],
})
export class ReportsModule {}

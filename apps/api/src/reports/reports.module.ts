import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { RollupReportsSource } from './reports-rollup.source';
import { ReportsRepository, ReportsSource } from './reports.repository';
import { ReportsService } from './reports.service';

/** /api/reports: time series, breakdowns, top lists and period comparison over the stored CDRs. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository, RollupReportsSource, { provide: ReportsSource, useExisting: RollupReportsSource }, ReportsService],
})
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsRepository, ReportsSource } from './reports.repository';
import { ReportsService } from './reports.service';

/** /api/reports: time series, breakdowns, top lists and period comparison over the stored CDRs. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository, { provide: ReportsSource, useExisting: ReportsRepository }, ReportsService],
})
export class ReportsModule {}

import { PickType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { CdrListQueryDto } from '../../sippy/dto/cdr-list-query.dto';
import {
  BREAKDOWN_DIMENSIONS,
  TOP_METRICS,
  TOP_SUBJECTS,
  type BreakdownDimension,
  type TopMetric,
  type TopSubject,
} from '../../reports/dto/report-query.dto';
import { REPORT_BUCKETS, type ReportBucket } from '../../reports/report-time';

/**
 * Filters of a `cdrs` view: every filter of GET /api/sippy/cdrs (same names, rules and messages) except paging.
 * `from`/`to` may be calendar days (`2026-11-24`, read in the view's time zone, `to` inclusive) or instants.
 */
export class CdrViewFiltersDto extends PickType(CdrListQueryDto, [
  'from',
  'to',
  'caller',
  'callee',
  'status',
  'direction',
  'country',
  'min_duration',
  'city',
  'account',
  'trunk',
  'result',
  'answered',
] as const) {}

/**
 * Filters of a `reports` view: the CDR filters the reports take, the date range (optional: a view without it shows
 * the last 7 days) and the screen's settings (bucket, breakdown dimension, top list subject and metric).
 */
export class ReportViewFiltersDto extends PickType(CdrListQueryDto, [
  'caller',
  'callee',
  'status',
  'direction',
  'country',
  'city',
  'account',
  'trunk',
  'result',
  'answered',
] as const) {
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @IsOptional()
  @IsIn(REPORT_BUCKETS)
  bucket?: ReportBucket;

  @IsOptional()
  @IsIn(BREAKDOWN_DIMENSIONS)
  breakdown?: BreakdownDimension;

  @IsOptional()
  @IsIn(TOP_SUBJECTS)
  top?: TopSubject;

  @IsOptional()
  @IsIn(TOP_METRICS)
  metric?: TopMetric;
}

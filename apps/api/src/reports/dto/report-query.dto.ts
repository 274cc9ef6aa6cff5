import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { ExportOptionsDto } from '../../exports/dto/export-options.dto';
import { CdrListQueryDto } from '../../sippy/dto/cdr-list-query.dto';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { DEFAULT_REPORT_TIME_ZONE, isValidTimeZone, REPORT_BUCKETS, type ReportBucket } from '../report-time';

/** An IANA time zone the runtime knows (400: `tz must be an IANA time zone …`). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'tz must be an IANA time zone such as Europe/Istanbul, UTC or Asia/Kolkata', ...options },
      validator: { validate: (value: unknown) => isValidTimeZone(value) },
    });
  };
}

export const BREAKDOWN_DIMENSIONS = ['country', 'city', 'account', 'trunk', 'direction', 'cause'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const TOP_SUBJECTS = ['caller', 'callee', 'destination'] as const;
export type TopSubject = (typeof TOP_SUBJECTS)[number];
export const TOP_METRICS = ['calls', 'minutes', 'cost', 'failures'] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

/** The CDR list filters a report accepts: the same names, rules and messages as GET /api/sippy/cdrs. */
class ReportFiltersDto extends PickType(CdrListQueryDto, [
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
] as const) {}

/** Date range, time zone and CDR filters shared by every /api/reports endpoint. */
export class ReportQueryDto extends ReportFiltersDto {
  @ApiProperty({ description: 'Calls that started at or after this instant (ISO 8601)', example: '2026-11-24T00:00:00+03:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({ description: 'Calls that started before this instant (ISO 8601, exclusive); at most REPORT_MAX_RANGE_DAYS after from', example: '2026-11-25T00:00:00+03:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;

  @ApiPropertyOptional({ description: 'IANA time zone of the buckets and labels', default: DEFAULT_REPORT_TIME_ZONE, example: 'Europe/Istanbul' })
  @IsOptional() @IsString() @IsTimeZone()
  tz: string = DEFAULT_REPORT_TIME_ZONE;
}

export class TimeseriesQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_BUCKETS, default: 'day', description: 'Bucket size; weeks start on Monday' })
  @IsOptional() @IsIn(REPORT_BUCKETS)
  bucket: ReportBucket = 'day';
}

export class BreakdownQueryDto extends ReportQueryDto {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS, description: 'Dimension; cause = Sippy result code of the calls that were not answered' })
  @IsIn(BREAKDOWN_DIMENSIONS)
  by!: BreakdownDimension;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit = 50;
}

export class TopQueryDto extends ReportQueryDto {
  @ApiProperty({ enum: TOP_SUBJECTS, description: 'destination = country + city' })
  @IsIn(TOP_SUBJECTS)
  by!: TopSubject;

  @ApiPropertyOptional({ enum: TOP_METRICS, default: 'calls', description: 'minutes = billed minutes; failures = attempts not answered' })
  @IsOptional() @IsIn(TOP_METRICS)
  metric: TopMetric = 'calls';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit = 10;
}

/** Queries of GET /api/reports/<report>/export: the report's query plus the file options. */
export class TimeseriesExportQueryDto extends IntersectionType(TimeseriesQueryDto, ExportOptionsDto) {}
export class BreakdownExportQueryDto extends IntersectionType(BreakdownQueryDto, ExportOptionsDto) {}
export class TopExportQueryDto extends IntersectionType(TopQueryDto, ExportOptionsDto) {}
export class CompareExportQueryDto extends IntersectionType(ReportQueryDto, ExportOptionsDto) {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { CDR_DIRECTIONS, CDR_STATUSES, type CdrDirection, type CdrStatus } from '@velora/sippy';
import { DEFAULT_REPORT_TIME_ZONE, isValidTimeZone, REPORT_BUCKETS, type ReportBucket } from '../report-time';

const PHONE_FILTER = /^[+\d*#\s().-]{1,40}$/;

function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
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

const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export const BREAKDOWN_DIMENSIONS = ['country', 'city', 'account', 'trunk', 'direction', 'cause'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const TOP_SUBJECTS = ['caller', 'callee', 'destination'] as const;
export type TopSubject = (typeof TOP_SUBJECTS)[number];
export const TOP_METRICS = ['calls', 'minutes', 'cost', 'failures'] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

/** Date range, time zone and CDR filters shared by every /api/reports endpoint. */
export class ReportQueryDto {
  @ApiProperty({ description: 'Calls that started at or after this instant (ISO 8601)', example: '2026-11-24T00:00:00+03:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({ description: 'Calls that started before this instant (ISO 8601, exclusive); at most REPORT_MAX_RANGE_DAYS after from', example: '2026-11-25T00:00:00+03:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;

  @ApiPropertyOptional({ description: 'IANA time zone of the buckets and labels', default: DEFAULT_REPORT_TIME_ZONE, example: 'Europe/Istanbul' })
  @IsOptional() @IsString() @IsTimeZone()
  tz: string = DEFAULT_REPORT_TIME_ZONE;

  @ApiPropertyOptional({ description: 'Part of the caller number' })
  @IsOptional() @IsString() @Matches(PHONE_FILTER, { message: 'caller must be part of a phone number (digits, +, *, #, spaces)' })
  caller?: string;

  @ApiPropertyOptional({ description: 'Part of the callee number' })
  @IsOptional() @IsString() @Matches(PHONE_FILTER, { message: 'callee must be part of a phone number (digits, +, *, #, spaces)' })
  callee?: string;

  @ApiPropertyOptional({ enum: CDR_STATUSES })
  @IsOptional() @IsIn(CDR_STATUSES)
  status?: CdrStatus;

  @ApiPropertyOptional({ enum: CDR_DIRECTIONS })
  @IsOptional() @IsIn(CDR_DIRECTIONS)
  direction?: CdrDirection;

  @ApiPropertyOptional({ description: 'Destination country, case-insensitive equality' })
  @IsOptional() @IsString() @MaxLength(64)
  country?: string;

  @ApiPropertyOptional({ description: 'Destination city / area, case-insensitive equality' })
  @IsOptional() @IsString() @MaxLength(128)
  city?: string;

  @ApiPropertyOptional({ description: 'Sippy account (i_account)' })
  @IsOptional() @IsString() @MaxLength(64)
  account?: string;

  @ApiPropertyOptional({ description: 'Trunk / vendor' })
  @IsOptional() @IsString() @MaxLength(128)
  trunk?: string;

  @ApiPropertyOptional({ description: 'Sippy result code: SIP code (486) or internal reject (-20)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(-1000) @Max(1000)
  result?: number;

  @ApiPropertyOptional({ description: 'true = answered calls only (completed with duration > 0), false = the others' })
  @IsOptional() @Transform(toBool) @IsBoolean()
  answered?: boolean;
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

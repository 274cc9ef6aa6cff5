import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CDR_DIRECTIONS, CDR_STATUSES, type CdrDirection, type CdrStatus } from '@velora/sippy';

const PHONE_FILTER = /^[+\d*#\s().-]{1,40}$/;

/** Query of GET /api/sippy/cdrs. Unknown parameters are rejected (400 naming them). */
export class CdrListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000_000)
  offset: number = 0;

  @ApiPropertyOptional({ description: 'Calls that started at or after this time (ISO 8601)', example: '2026-11-24T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Calls that started before this time (ISO 8601)', example: '2026-11-25T00:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Part of the caller number (digits, +, spaces)', example: '90532' })
  @IsOptional() @IsString() @Matches(PHONE_FILTER, { message: 'caller must be part of a phone number (digits, +, *, #, spaces)' })
  caller?: string;

  @ApiPropertyOptional({ description: 'Part of the callee number', example: '90212' })
  @IsOptional() @IsString() @Matches(PHONE_FILTER, { message: 'callee must be part of a phone number (digits, +, *, #, spaces)' })
  callee?: string;

  @ApiPropertyOptional({ enum: CDR_STATUSES })
  @IsOptional() @IsIn(CDR_STATUSES)
  status?: CdrStatus;

  @ApiPropertyOptional({ enum: CDR_DIRECTIONS })
  @IsOptional() @IsIn(CDR_DIRECTIONS)
  direction?: CdrDirection;

  @ApiPropertyOptional({ description: 'ISO 3166-1 code or country name in English or Turkish, case-insensitive', example: 'TR' })
  @IsOptional() @IsString() @MaxLength(64)
  country?: string;

  @ApiPropertyOptional({ description: 'Minimum talk time in seconds', minimum: 0 })
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(31_536_000)
  min_duration?: number;

  @ApiPropertyOptional({ description: 'Keyset pagination: the X-Next-Cursor header of the previous page (offset must be 0)' })
  @IsOptional() @IsString() @MaxLength(400) @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the X-Next-Cursor value of a previous page' })
  cursor?: string;
  @ApiPropertyOptional({ description: 'Destination city / area, case-insensitive equality' })
  @IsOptional() @IsString() @MaxLength(128)
  city?: string;

  @ApiPropertyOptional({ description: 'Sippy account (i_account), exact' })
  @IsOptional() @IsString() @MaxLength(64)
  account?: string;

  @ApiPropertyOptional({ description: 'Trunk / vendor, exact' })
  @IsOptional() @IsString() @MaxLength(128)
  trunk?: string;

  @ApiPropertyOptional({ description: 'Sippy result code: 0, a SIP code (486) or an internal reject (-20)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(-1000) @Max(1000)
  result?: number;

  @ApiPropertyOptional({ description: 'true = answered (completed with duration > 0), false = not answered' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  answered?: boolean;
}

export class CdrSummaryQueryDto {
  @ApiPropertyOptional({ description: 'Start (ISO 8601); default: today 00:00 UTC' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End (ISO 8601, exclusive); default: now' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}

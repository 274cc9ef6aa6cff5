import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DETECTION_LEVELS,
  DETECTION_LIST_KINDS,
  DETECTION_MODES,
  DETECTION_NUMBER_PATTERN,
  DETECTION_PREFIX_PATTERN,
  DETECTION_RULES,
  FINDING_STATUSES,
  type DetectionLevel,
  type DetectionListKind,
  type DetectionMode,
  type DetectionRuleId,
  type FindingStatus,
} from '@velora/contracts';

const NUMBER_MESSAGE = (field: string) => `${field} must be a phone number: an optional + then 3 to 20 digits`;
const PREFIX_MESSAGE = 'prefix must be 1 to 15 digits';
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Query of GET /api/detection/findings. Unknown parameters are a 400. */
export class FindingListQueryDto {
  @ApiPropertyOptional({ enum: DETECTION_RULES })
  @IsOptional()
  @IsIn(DETECTION_RULES)
  rule?: DetectionRuleId;

  @ApiPropertyOptional({ enum: DETECTION_LEVELS })
  @IsOptional()
  @IsIn(DETECTION_LEVELS)
  level?: DetectionLevel;

  @ApiPropertyOptional({ description: 'A number, a prefix or an account id (exact)', example: '905321112233' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^[+0-9A-Za-z._:-]{1,64}$/, { message: 'subject must be a number, a prefix or an account id (1 to 64 characters)' })
  subject?: string;

  @ApiPropertyOptional({ enum: FINDING_STATUSES })
  @IsOptional()
  @IsIn(FINDING_STATUSES)
  status?: FindingStatus;

  @ApiPropertyOptional({ description: 'Findings last seen at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Findings last seen before this instant (ISO 8601, exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,16}:[0-9]{1,19}$/, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}

export class FindingIdParamDto {
  @ApiProperty({ example: '42' })
  @Matches(/^[1-9][0-9]{0,15}$/, { message: 'id must be a positive integer' })
  id!: string;
}

export class RuleParamDto {
  @ApiProperty({ example: 'fan_out' })
  @IsString()
  @MaxLength(64)
  rule!: string;
}

/** Body of PUT /api/detection/rules/:rule: any subset of the settings (the rest stays as it is). */
export class UpdateRuleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: DETECTION_MODES, description: 'report_only: findings are recorded, never published' })
  @IsOptional()
  @IsIn(DETECTION_MODES)
  mode?: DetectionMode;

  @ApiPropertyOptional({ description: 'Window length in seconds (limits per rule: GET /api/detection/rules)' })
  @IsOptional()
  @IsInt()
  window_seconds?: number;

  @ApiPropertyOptional({ description: 'Score from which a finding is a warning' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  warn?: number;

  @ApiPropertyOptional({ description: 'Score from which a finding is critical (not below warn)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  crit?: number;

  @ApiPropertyOptional({ description: 'Below this sample the rule stays silent' })
  @IsOptional()
  @IsInt()
  min_sample?: number;

  @ApiPropertyOptional({
    description: 'Seconds after a finding’s last call during which a new hit of the same subject updates it instead of raising a new one',
  })
  @IsOptional()
  @IsInt()
  cooldown_seconds?: number;
}

/** Body of POST /api/detection/backtest. */
export class BacktestDto {
  @ApiProperty({ enum: DETECTION_RULES })
  @IsIn(DETECTION_RULES, { message: `rule must be one of: ${DETECTION_RULES.join(', ')}` })
  rule!: DetectionRuleId;

  @ApiProperty({ description: 'Start of the stored range to replay (ISO 8601)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({ description: 'End of the range (ISO 8601, exclusive; at most DETECTION_BACKTEST_MAX_DAYS after from)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;

  @ApiPropertyOptional({ type: UpdateRuleDto, description: 'Changed settings to try (nothing is saved)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateRuleDto)
  settings?: UpdateRuleDto;
}

/** Body of the number actions (mark spam, allow-list). */
export class NumberActionDto {
  @ApiProperty({ example: '905321112233' })
  @Transform(trim)
  @IsString({ message: NUMBER_MESSAGE('number') })
  @Matches(DETECTION_NUMBER_PATTERN, { message: NUMBER_MESSAGE('number') })
  number!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class PrefixActionDto {
  @ApiProperty({ example: '882' })
  @Transform(trim)
  @IsString({ message: PREFIX_MESSAGE })
  @Matches(DETECTION_PREFIX_PATTERN, { message: PREFIX_MESSAGE })
  prefix!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ListQueryDto {
  @ApiPropertyOptional({ enum: DETECTION_LIST_KINDS })
  @IsOptional()
  @IsIn(DETECTION_LIST_KINDS)
  kind?: DetectionListKind;
}

export class ListEntryParamDto {
  @ApiProperty({ enum: DETECTION_LIST_KINDS })
  @IsIn(DETECTION_LIST_KINDS, { message: `kind must be one of: ${DETECTION_LIST_KINDS.join(', ')}` })
  kind!: DetectionListKind;

  @ApiProperty({ example: '905321112233' })
  @Matches(/^\+?[0-9]{1,20}$/, { message: 'value must be a number or a prefix (digits)' })
  value!: string;
}

export class FindingStatusDto {
  @ApiProperty({ enum: FINDING_STATUSES })
  @IsIn(FINDING_STATUSES)
  status!: FindingStatus;
}

/** Query of GET /api/detection/cdr-flags. */
export class CdrFlagsQueryDto {
  @ApiProperty({ description: 'Comma-separated CDR ids (at most 200)', example: '1001,1002' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : value,
  )
  @IsArray({ message: 'ids must be a comma-separated list of CDR ids' })
  @ArrayMinSize(1, { message: 'ids must name at least one CDR id' })
  @ArrayMaxSize(200, { message: 'ids must name at most 200 CDR ids' })
  @IsString({ each: true })
  @MaxLength(64, { each: true, message: 'ids must be CDR ids of at most 64 characters' })
  ids!: string[];
}

export class NumberParamDto {
  @ApiProperty({ example: '905321112233' })
  @Matches(DETECTION_NUMBER_PATTERN, { message: NUMBER_MESSAGE('number') })
  number!: string;
}

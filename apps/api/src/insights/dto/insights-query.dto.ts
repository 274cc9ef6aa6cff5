import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import {
  INSIGHT_KINDS,
  INSIGHT_SEVERITIES,
  NARRATIVE_LANGS,
  type InsightKind,
  type InsightSeverity,
  type NarrativeLang,
} from '@velora/contracts';
import { isCalendarDate } from '../hour-of-week';

function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a calendar date written YYYY-MM-DD, such as 2026-11-24`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) },
    });
  };
}

/** Query of GET /api/insights. Unknown parameters are a 400. */
export class InsightListQueryDto {
  @ApiPropertyOptional({
    description: 'Insights of hours starting at or after this instant (ISO 8601); default: 24 hours before `to`',
    example: '2026-11-24T00:00:00+03:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Insights of hours starting before this instant (ISO 8601, exclusive); default: now. At most 92 days after from',
    example: '2026-11-25T00:00:00+03:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ enum: INSIGHT_SEVERITIES, description: 'Lowest severity to include: warning = warning and critical' })
  @IsOptional()
  @IsIn(INSIGHT_SEVERITIES)
  severity?: InsightSeverity;

  @ApiPropertyOptional({ enum: INSIGHT_KINDS })
  @IsOptional()
  @IsIn(INSIGHT_KINDS)
  kind?: InsightKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}

/** Query of GET /api/insights/narrative. */
export class NarrativeQueryDto {
  @ApiPropertyOptional({
    description: 'Local day in INSIGHTS_TIME_ZONE (YYYY-MM-DD); default: yesterday. Not in the future',
    example: '2026-11-24',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be written YYYY-MM-DD, such as 2026-11-24' })
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ enum: NARRATIVE_LANGS, default: 'tr' })
  @IsOptional()
  @IsIn(NARRATIVE_LANGS)
  lang: NarrativeLang = 'tr';
}

/** Body of POST /api/insights/narrative/regenerate. */
export class RegenerateNarrativeDto {
  @ApiPropertyOptional({
    description: 'Local day in INSIGHTS_TIME_ZONE (YYYY-MM-DD); default: yesterday. Not in the future',
    example: '2026-11-24',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be written YYYY-MM-DD, such as 2026-11-24' })
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ enum: NARRATIVE_LANGS, default: 'tr' })
  @IsOptional()
  @IsIn(NARRATIVE_LANGS)
  lang: NarrativeLang = 'tr';
}

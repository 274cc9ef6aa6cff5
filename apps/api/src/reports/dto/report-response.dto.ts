import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BREAKDOWN_DIMENSIONS, TOP_METRICS, TOP_SUBJECTS } from './report-query.dto';
import { REPORT_BUCKETS } from '../report-time';

// Swagger shapes of the /api/reports answers (the service returns plain objects of the same shape).

const FILTER_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Query of GET /api/sippy/cdrs that selects exactly these calls (X-Total-Count = calls)',
  example: { from: '2026-11-23T21:00:00.000Z', to: '2026-11-24T21:00:00.000Z', country: 'Turkey' },
} as const;

export class CostAmountDto {
  @ApiProperty({ type: String, nullable: true, example: 'TRY' })
  currency!: string | null;

  @ApiProperty({ example: 1.5 })
  amount!: number;
}

export class ReportMetricsDto {
  @ApiProperty({ description: 'Attempts: every CDR in scope', example: 9 })
  calls!: number;

  @ApiProperty({ description: 'status completed and duration > 0', example: 3 })
  answered!: number;

  @ApiProperty({ description: 'calls − answered', example: 6 })
  failed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'answered / calls × 100', example: 33.33 })
  asr!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'talk seconds of answered calls / answered', example: 83.3 })
  acd!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '(answered + 486/480/408/487/603) / calls × 100', example: 66.67 })
  ner!: number | null;

  @ApiProperty({ description: 'sum of billed_duration / 60', example: 5 })
  billed_minutes!: number;

  @ApiProperty({ description: 'talk time of answered calls / 60', example: 4.17 })
  talk_minutes!: number;

  @ApiProperty({ type: [CostAmountDto], description: 'per currency, biggest first' })
  cost!: CostAmountDto[];

  @ApiProperty({ type: Number, nullable: true, description: 'mean pdd1xx (else delay) in seconds', example: 2 })
  avg_pdd!: number | null;

  @ApiProperty({ description: 'most simultaneous calls (start ≤ t < end)', example: 3 })
  peak_concurrent!: number;
}

export class ReportPeriodDto {
  @ApiProperty({ example: '2026-11-23T21:00:00.000Z' })
  from!: string;

  @ApiProperty({ example: '2026-11-24T21:00:00.000Z' })
  to!: string;

  @ApiProperty({ example: 'Europe/Istanbul' })
  tz!: string;
}

export class CauseNameDto {
  @ApiProperty({ example: '-20 Insufficient balance' })
  en!: string;

  @ApiProperty({ example: '-20 Yetersiz bakiye' })
  tr!: string;
}

export class ReportRowDto {
  @ApiProperty({ type: String, nullable: true, description: 'the group value; null = unknown', example: 'Turkey' })
  key!: string | null;

  @ApiPropertyOptional({ type: CauseNameDto, description: 'by=cause only' })
  name?: CauseNameDto;

  @ApiProperty({ type: ReportMetricsDto })
  metrics!: ReportMetricsDto;

  @ApiProperty({ ...FILTER_SCHEMA, nullable: true })
  filter!: Record<string, string> | null;
}

export class TimeseriesPointDto {
  @ApiProperty({ description: 'local start of the bucket in tz', example: '2026-11-24T13:00:00' })
  bucket!: string;

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  from!: string;

  @ApiProperty({ example: '2026-11-24T11:00:00.000Z' })
  to!: string;

  @ApiProperty({ type: ReportMetricsDto })
  metrics!: ReportMetricsDto;

  @ApiProperty(FILTER_SCHEMA)
  filter!: Record<string, string>;
}

export class TimeseriesReportDto {
  @ApiProperty({ type: ReportPeriodDto })
  period!: ReportPeriodDto;

  @ApiProperty({ enum: REPORT_BUCKETS })
  bucket!: string;

  @ApiProperty({ type: [TimeseriesPointDto] })
  points!: TimeseriesPointDto[];
}

export class BreakdownReportDto {
  @ApiProperty({ type: ReportPeriodDto })
  period!: ReportPeriodDto;

  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS })
  by!: string;

  @ApiProperty({ type: [ReportRowDto] })
  rows!: ReportRowDto[];
}

export class TopReportDto {
  @ApiProperty({ type: ReportPeriodDto })
  period!: ReportPeriodDto;

  @ApiProperty({ enum: TOP_SUBJECTS })
  by!: string;

  @ApiProperty({ enum: TOP_METRICS })
  metric!: string;

  @ApiProperty({ type: [ReportRowDto] })
  rows!: ReportRowDto[];
}

export class CompareReportDto {
  @ApiProperty({ type: ReportPeriodDto })
  period!: ReportPeriodDto;

  @ApiProperty({ type: ReportPeriodDto, description: '[from − (to − from), from)' })
  previous!: ReportPeriodDto;

  @ApiProperty({ type: ReportMetricsDto })
  current!: ReportMetricsDto;

  @ApiProperty({ type: ReportMetricsDto })
  previous_metrics!: ReportMetricsDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number', nullable: true },
    description: 'relative change in % per scalar metric; null when the previous value is 0',
    example: { calls: 350, asr: -33.3 },
  })
  delta_pct!: Record<string, number | null>;

  @ApiProperty(FILTER_SCHEMA)
  filter!: Record<string, string>;

  @ApiProperty(FILTER_SCHEMA)
  previous_filter!: Record<string, string>;
}

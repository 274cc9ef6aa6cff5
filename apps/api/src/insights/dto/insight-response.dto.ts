import { ApiProperty } from '@nestjs/swagger';
import {
  INSIGHT_KINDS,
  INSIGHT_SEVERITIES,
  INSIGHT_SUBJECT_TYPES,
  NARRATIVE_LANGS,
  NARRATIVE_NOTES,
  type InsightKind,
  type InsightMetric,
  type InsightSeverity,
  type InsightSubjectType,
  type NarrativeFacts,
  type NarrativeLang,
  type NarrativeNoteCode,
  type NarrativeSource,
} from '@velora/contracts';

// Swagger shapes of the /api/insights answers (the services return plain objects of the contract types).

export class InsightTextDto {
  @ApiProperty({ example: 'Traffic spike to Germany (DE) at Tue 24 Nov, 13:00: 240 calls, usually 40 (normal up to 65).' })
  en!: string;

  @ApiProperty({ example: 'Almanya (DE) yönünde trafik artışı, 24 Kas Sal 13:00: 240 çağrı, olağan 40 (normal üst sınır 65).' })
  tr!: string;
}

export class InsightSubjectDto {
  @ApiProperty({ enum: INSIGHT_SUBJECT_TYPES, description: 'all = every call; country = calls to one destination country' })
  type!: InsightSubjectType;

  @ApiProperty({ type: String, nullable: true, example: 'DE', description: 'ISO 3166-1 alpha-2 (null for all)' })
  country_code!: string | null;
}

export class InsightHourDto {
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  from!: string;

  @ApiProperty({ example: '2026-11-24T11:00:00.000Z' })
  to!: string;

  @ApiProperty({ description: 'Local start in tz', example: '2026-11-24T13:00' })
  local!: string;

  @ApiProperty({ example: 'Europe/Istanbul' })
  tz!: string;
}

export class InsightBandDto {
  @ApiProperty({ example: 14.7 })
  low!: number;

  @ApiProperty({ example: 65.3 })
  high!: number;
}

export class InsightEvidenceDto {
  @ApiProperty({ description: 'Calls of the subject in the hour (the CDR list with `filter` counts exactly these)', example: 240 })
  calls!: number;

  @ApiProperty({ description: 'Calls with status completed', example: 150 })
  answered!: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description:
      'The metric in the same hour of the week in earlier weeks, oldest first; null = no stored history then (ASR: too few calls)',
    example: [40, 42, 38, 41, 39, 40, 43, 37],
  })
  history!: Array<number | null>;

  @ApiProperty({ example: 8 })
  history_weeks!: number;

  @ApiProperty({ required: false, description: 'new_destination: days before the hour without a call to it', example: 28 })
  quiet_days?: number;
}

export class InsightDto {
  @ApiProperty({ example: 42 })
  id!: number;

  @ApiProperty({ enum: INSIGHT_KINDS })
  kind!: InsightKind;

  @ApiProperty({ enum: INSIGHT_SEVERITIES })
  severity!: InsightSeverity;

  @ApiProperty({ type: InsightSubjectDto })
  subject!: InsightSubjectDto;

  @ApiProperty({ type: String, nullable: true, description: 'cost_jump: the currency compared', example: null })
  currency!: string | null;

  @ApiProperty({ type: InsightHourDto })
  hour!: InsightHourDto;

  @ApiProperty({ enum: ['calls', 'asr', 'cost'] })
  metric!: InsightMetric;

  @ApiProperty({ example: 240 })
  observed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Median of the same hour of the week in earlier weeks', example: 40 })
  expected!: number | null;

  @ApiProperty({ type: InsightBandDto, nullable: true, description: 'Values inside the band are normal' })
  band!: InsightBandDto | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Robust z-score (observed − expected) / spread', example: 25.3 })
  score!: number | null;

  @ApiProperty({ type: InsightEvidenceDto })
  evidence!: InsightEvidenceDto;

  @ApiProperty({ type: InsightTextDto })
  message!: InsightTextDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Query of GET /api/sippy/cdrs (and of the /voip-crm page) that selects the calls of this hour and subject',
    example: { from: '2026-11-24T10:00:00.000Z', to: '2026-11-24T11:00:00.000Z', country: 'DE' },
  })
  filter!: Record<string, string>;

  @ApiProperty()
  created_at!: string;

  @ApiProperty()
  updated_at!: string;
}

export class InsightHistoryDto {
  @ApiProperty({ type: String, nullable: true, description: 'First hour of the stored hourly history' })
  since!: string | null;

  @ApiProperty({ description: 'Whole weeks of stored history', example: 6 })
  weeks!: number;

  @ApiProperty({ description: 'INSIGHTS_MIN_HISTORY_WEEKS: fewer weeks raise nothing', example: 3 })
  required_weeks!: number;
}

export class InsightListDto {
  @ApiProperty()
  from!: string;

  @ApiProperty()
  to!: string;

  @ApiProperty({ description: 'INSIGHTS_TIME_ZONE: the zone of the hours of the week and the local times', example: 'Europe/Istanbul' })
  tz!: string;

  @ApiProperty({ type: InsightHistoryDto })
  history!: InsightHistoryDto;

  @ApiProperty({ type: [InsightDto], description: 'Newest hour first, then the most severe' })
  items!: InsightDto[];
}

export class NarrativeNoteDto {
  @ApiProperty({ enum: NARRATIVE_NOTES })
  code!: NarrativeNoteCode;

  @ApiProperty()
  en!: string;

  @ApiProperty()
  tr!: string;
}

export class InsightNarrativeDto {
  @ApiProperty({ example: '2026-11-24' })
  date!: string;

  @ApiProperty({ example: 'Europe/Istanbul' })
  tz!: string;

  @ApiProperty({ enum: NARRATIVE_LANGS })
  lang!: NarrativeLang;

  @ApiProperty()
  text!: string;

  @ApiProperty({ enum: ['llm', 'builtin'], description: 'llm = written by the configured model; builtin = the deterministic summary' })
  source!: NarrativeSource;

  @ApiProperty({ type: String, nullable: true, example: 'gpt-4o-mini' })
  model!: string | null;

  @ApiProperty({ type: NarrativeNoteDto, nullable: true, description: 'Why the built-in summary is shown although a model is configured' })
  note!: NarrativeNoteDto | null;

  @ApiProperty()
  generated_at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The aggregates the text was written from (and, for source llm, exactly what the model received): counts, ratios, sums, country codes and local times — never a phone number, account or trunk',
  })
  facts!: NarrativeFacts;
}

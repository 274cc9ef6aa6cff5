import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DETECTION_LEVELS,
  DETECTION_LIST_KINDS,
  DETECTION_MODES,
  DETECTION_RULES,
  DETECTION_SUBJECT_TYPES,
  FINDING_STATUSES,
  type DetectionFinding,
  type DetectionFindingDetail,
  type DetectionFindingPage,
  type DetectionLevel,
  type DetectionListEntry,
  type DetectionListKind,
  type DetectionMode,
  type DetectionRuleId,
  type DetectionSubjectType,
  type FindingStatus,
} from '@velora/contracts';

/** One finding (Swagger shape of `DetectionFinding`). */
export class DetectionFindingDto implements DetectionFinding {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ enum: DETECTION_RULES }) rule!: DetectionRuleId;
  @ApiProperty({ enum: DETECTION_SUBJECT_TYPES }) subject_type!: DetectionSubjectType;
  @ApiProperty({ example: '905321112233' }) subject!: string;
  @ApiProperty() window_start!: string;
  @ApiProperty() window_end!: string;
  @ApiProperty({ enum: DETECTION_LEVELS }) level!: DetectionLevel;
  @ApiProperty({ description: 'The measured value compared with warn/crit (unit: the rule’s unit)' }) score!: number;
  @ApiProperty({ example: '905321112233 called 42 distinct numbers in 10 min (60 attempts), 91% of answered under 6 s' })
  reason_en!: string;
  @ApiProperty({ example: '905321112233 10 dk içinde 42 farklı numarayı aradı (60 deneme), cevaplananların %91 kadarı 6 sn’den kısa' })
  reason_tr!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) evidence!: Record<string, unknown>;
  @ApiProperty() cdr_count!: number;
  @ApiProperty() first_seen!: string;
  @ApiProperty() last_seen!: string;
  @ApiProperty({ enum: FINDING_STATUSES }) status!: FindingStatus;
  @ApiProperty({ enum: DETECTION_MODES }) mode!: DetectionMode;
}

export class DetectionFindingDetailDto extends DetectionFindingDto implements DetectionFindingDetail {
  @ApiProperty({ type: [String], description: 'The newest CDRs behind the finding (at most 100)' }) cdr_ids!: string[];
}

export class DetectionFindingPageDto implements DetectionFindingPage {
  @ApiProperty({ type: [DetectionFindingDto] }) items!: DetectionFindingDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next (older) page' }) next_cursor!:
    string | null;
}

export class DetectionListEntryDto implements DetectionListEntry {
  @ApiProperty({ enum: DETECTION_LIST_KINDS }) kind!: DetectionListKind;
  @ApiProperty() value!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ enum: ['user', 'seed'] }) source!: 'user' | 'seed';
  @ApiPropertyOptional({ type: String, nullable: true }) created_by_email!: string | null;
  @ApiProperty() created_at!: string;
}

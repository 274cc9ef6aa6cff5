import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import {
  RECONCILE_STATUSES,
  RECONCILE_TRIGGERS,
  type ReconcileRun,
  type ReconcileStatus,
  type ReconcileTrigger,
  type ReconcileWindow,
} from '@velora/contracts';

/** Body of POST /api/sippy/reconcile. */
export class ReconcileRequestDto {
  @ApiProperty({
    description: 'Start of the range (ISO 8601 instant on a whole UTC hour)',
    example: '2026-11-23T21:00:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({
    description: 'End of the range (exclusive, whole hour, not after the last whole hour; at most RECONCILE_MAX_RANGE_DAYS after from)',
    example: '2026-11-24T21:00:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;
}

/** Query of GET /api/sippy/reconcile. */
export class ReconcileListQueryDto {
  @ApiProperty({ description: 'Windows that start at or after this instant (ISO 8601)', example: '2026-11-17T21:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({ description: 'Windows that start before this instant (ISO 8601, exclusive)', example: '2026-11-24T21:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;
}

export class ReconcileWindowDto implements ReconcileWindow {
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) window_start!: string;
  @ApiProperty({ example: '2026-11-24T11:00:00.000Z' }) window_end!: string;
  @ApiProperty({ enum: RECONCILE_STATUSES }) status!: ReconcileStatus;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Distinct CDRs the switch returned that started in the window; null when it failed',
  })
  switch_count!: number | null;
  @ApiProperty({ description: 'CDRs stored for the window before the check' }) stored_before!: number;
  @ApiProperty({ description: 'Missing CDRs inserted by the check' }) healed!: number;
  @ApiProperty({ description: 'Stored CDRs the switch sent with different content, refreshed by the check' }) updated!: number;
  @ApiProperty({ description: 'CDRs stored for the window after the check' }) stored_after!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the switch could not be read' }) error!: string | null;
  @ApiProperty() checked_at!: string;
  @ApiProperty({ enum: RECONCILE_TRIGGERS }) trigger!: ReconcileTrigger;
  @ApiProperty({ type: String, nullable: true, description: 'Email of the admin who asked; null for the nightly job' }) checked_by!:
    string | null;
}

export class ReconcileRunDto implements ReconcileRun {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: RECONCILE_STATUSES, description: 'failed if any window failed, else healed if any was healed, else complete' })
  status!: ReconcileStatus;
  @ApiProperty({ description: 'Sum of switch_count over the windows that could be read' }) switch_count!: number;
  @ApiProperty() healed!: number;
  @ApiProperty() failed_windows!: number;
  @ApiProperty({ type: [ReconcileWindowDto] }) windows!: readonly ReconcileWindowDto[];
}

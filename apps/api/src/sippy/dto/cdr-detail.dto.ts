import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { CdrDetailExtras } from '@velora/contracts';
import { CdrDto } from './cdr.dto';

/** Path of GET /api/sippy/cdrs/:id: 1–200 characters, no spaces or control characters. */
export class CdrIdParamDto {
  @ApiProperty({ description: 'The CDR id (Sippy i_cdr)', example: '418238747' })
  @Matches(/^[^\s\p{Cc}]{1,200}$/u, { message: 'id must be a CDR id: 1–200 characters without spaces' })
  id!: string;
}

/** GET /api/sippy/cdrs/:id: the canonical CDR, its PDD, source and stored times, and for admins the raw record. */
export class CdrDetailDto extends CdrDto implements CdrDetailExtras {
  @ApiProperty({ nullable: true, type: Number, description: 'Post-dial delay in seconds: Sippy pdd1xx, else delay', example: 1.5 })
  pdd!: number | null;
  @ApiProperty({ example: 'sippy' }) source!: string;
  @ApiProperty({ format: 'date-time', description: 'When Velora first stored the record' }) first_seen_at!: string;
  @ApiProperty({ format: 'date-time', description: 'When the stored record last changed' }) updated_at!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The switch record as received (admins only)' })
  raw?: Record<string, unknown>;
}

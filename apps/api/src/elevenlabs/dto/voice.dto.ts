import { ApiProperty } from '@nestjs/swagger';

export class VoiceDto {
  @ApiProperty({ example: '21m00Tcm4TlvDq8ikWAM' }) voice_id!: string;
  @ApiProperty({ example: 'Rachel' }) name!: string;
  @ApiProperty({ nullable: true, type: String, example: 'premade', description: 'premade, cloned, generated, professional…' }) category!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { accent: 'american', gender: 'female' } }) labels!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, description: 'URL of a short sample (served by ElevenLabs)' }) preview_url!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
}

export class VoiceListDto {
  @ApiProperty({ type: [VoiceDto] }) voices!: VoiceDto[];
  @ApiProperty({ example: 4 }) total_count!: number;
  @ApiProperty({ description: 'True when the account has more voices than were gathered (500)' }) truncated!: boolean;
}

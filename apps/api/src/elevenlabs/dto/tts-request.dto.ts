import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ELEVENLABS_OUTPUT_FORMATS, type ElevenLabsOutputFormat } from '@velora/integrations';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/**
 * Most characters per request we accept. ElevenLabs' own per-model limits are higher (10 000 for
 * Multilingual v2, 40 000 for Flash/Turbo v2.5); one CRM prompt never needs more, and it bounds cost.
 */
export const TTS_MAX_TEXT_CHARS = 5000;

export class TtsRequestDto {
  @ApiProperty({ minLength: 1, maxLength: TTS_MAX_TEXT_CHARS, example: 'Merhaba, Velora santraline hoş geldiniz.' })
  @IsString()
  @MinLength(1)
  @MaxLength(TTS_MAX_TEXT_CHARS, { message: `text must be at most ${TTS_MAX_TEXT_CHARS} characters` })
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @ApiProperty({ example: '21m00Tcm4TlvDq8ikWAM', description: 'A voice_id from GET /api/elevenlabs/voices' })
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,64}$/, { message: 'voice_id must be 1-64 letters or digits' })
  voice_id!: string;

  @ApiPropertyOptional({ example: 'eleven_multilingual_v2', description: 'Default: ELEVENLABS_DEFAULT_MODEL' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'model_id must be a model id such as eleven_multilingual_v2' })
  model_id?: string;

  @ApiPropertyOptional({ enum: ELEVENLABS_OUTPUT_FORMATS, default: 'mp3_44100_128' })
  @IsOptional()
  @IsIn(ELEVENLABS_OUTPUT_FORMATS, { message: `output_format must be one of: ${ELEVENLABS_OUTPUT_FORMATS.join(', ')}` })
  output_format?: ElevenLabsOutputFormat;
}

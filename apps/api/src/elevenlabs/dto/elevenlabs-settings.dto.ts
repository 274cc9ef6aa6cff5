import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { ElevenLabsSettingsInput, ElevenLabsSettingsView, IntegrationSettingsSaved } from '@velora/contracts';
import {
  IntegrationSettingsMetaDto,
  IntegrationTestResultDto,
  RequiredStringSettingFieldDto,
  SecretFieldViewDto,
} from '../../settings/dto/settings-view.dto';

/** Body of PUT /api/elevenlabs/settings and POST /api/elevenlabs/settings/test. */
export class ElevenLabsSettingsDto implements ElevenLabsSettingsInput {
  @ApiProperty({ format: 'password', description: 'The xi-api-key (needs Text to Speech and Voices read; User read shows the quota)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  @Matches(/^[\x21-\x7E]+$/, { message: 'api_key must be printable ASCII without spaces' })
  api_key!: string;
}

export class ElevenLabsSettingsViewDto extends IntegrationSettingsMetaDto implements ElevenLabsSettingsView {
  @ApiProperty({ enum: ['elevenlabs'] }) integration!: 'elevenlabs';
  @ApiProperty({ type: SecretFieldViewDto }) api_key!: SecretFieldViewDto;
  @ApiProperty({ type: RequiredStringSettingFieldDto, description: 'ELEVENLABS_BASE_URL (never saved from the web app)' })
  base_url!: RequiredStringSettingFieldDto;
}

export class ElevenLabsSettingsSavedDto implements IntegrationSettingsSaved<ElevenLabsSettingsView> {
  @ApiProperty({ type: ElevenLabsSettingsViewDto }) settings!: ElevenLabsSettingsViewDto;
  @ApiProperty({ type: IntegrationTestResultDto }) test!: IntegrationTestResultDto;
}

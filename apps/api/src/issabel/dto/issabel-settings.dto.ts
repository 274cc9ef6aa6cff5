import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { IntegrationSettingsSaved, IssabelSettingsInput, IssabelSettingsView } from '@velora/contracts';
import {
  BooleanSettingFieldDto,
  IntegrationSettingsMetaDto,
  IntegrationTestResultDto,
  NumberSettingFieldDto,
  SecretFieldViewDto,
  StringSettingFieldDto,
} from '../../settings/dto/settings-view.dto';

/** Body of PUT /api/issabel/settings and POST /api/issabel/settings/test. */
export class IssabelSettingsDto implements IssabelSettingsInput {
  @ApiProperty({ example: 'pbx.example.net', description: 'AMI host name or IP address' })
  @IsString()
  @Matches(/^[A-Za-z0-9.:[\]_-]+$/, { message: 'host must be a host name or IP address' })
  @MaxLength(253)
  host!: string;

  @ApiProperty({ example: 5038, description: '5038 (plain) or 5039 (TLS) usually' })
  @IsInt({ message: 'port must be a whole number' })
  @Min(1)
  @Max(65535)
  port!: number;

  @ApiProperty({ example: 'velora', description: 'manager.conf user' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  username!: string;

  @ApiPropertyOptional({ format: 'password', description: 'Its secret. Omitted: keep the saved one (same host and user only)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  secret?: string;

  @ApiProperty({ description: 'AMI over TLS (tlsenable=yes in manager.conf)' })
  @IsBoolean()
  tls!: boolean;

  @ApiProperty({ description: 'Verify the PBX certificate (TLS only)' })
  @IsBoolean()
  tls_verify!: boolean;
}

export class IssabelSettingsViewDto extends IntegrationSettingsMetaDto implements IssabelSettingsView {
  @ApiProperty({ enum: ['issabel'] }) integration!: 'issabel';
  @ApiProperty({ type: StringSettingFieldDto }) host!: StringSettingFieldDto;
  @ApiProperty({ type: NumberSettingFieldDto }) port!: NumberSettingFieldDto;
  @ApiProperty({ type: StringSettingFieldDto }) username!: StringSettingFieldDto;
  @ApiProperty({ type: SecretFieldViewDto }) secret!: SecretFieldViewDto;
  @ApiProperty({ type: BooleanSettingFieldDto }) tls!: BooleanSettingFieldDto;
  @ApiProperty({ type: BooleanSettingFieldDto }) tls_verify!: BooleanSettingFieldDto;
}

export class IssabelSettingsSavedDto implements IntegrationSettingsSaved<IssabelSettingsView> {
  @ApiProperty({ type: IssabelSettingsViewDto }) settings!: IssabelSettingsViewDto;
  @ApiProperty({ type: IntegrationTestResultDto }) test!: IntegrationTestResultDto;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import {
  SETTING_SOURCES,
  SIPPY_CDR_TYPE_NAMES,
  type CaCertificateView,
  type SettingSource,
  type IntegrationSettingsSaved,
  type SippyCdrTypeName,
  type SippySettingsInput,
  type SippySettingsView,
} from '@velora/contracts';
import {
  BooleanSettingFieldDto,
  IntegrationSettingsMetaDto,
  IntegrationTestResultDto,
  SecretFieldViewDto,
  StringSettingFieldDto,
} from '../../settings/dto/settings-view.dto';
import { parseCertificate } from '../sippy-settings';

const MAX_PEM_LENGTH = 65_536;

/** A PEM whose first certificate parses (the CA or the self-signed switch certificate to trust). */
function IsPemCertificate(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPemCertificate',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseCertificate(value) !== null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'ca_pem'} must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`,
      },
    });
  };
}

/** Body of PUT /api/sippy/settings and POST /api/sippy/settings/test. */
export class SippySettingsDto implements SippySettingsInput {
  @ApiProperty({ example: 'https://switch.example.net/xmlapi/xmlapi' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL such as https://HOST/xmlapi/xmlapi' },
  )
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ description: 'Sippy web login (Digest user)', example: 'ssp-root' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  username!: string;

  @ApiPropertyOptional({ format: 'password', description: 'Sippy API password. Omitted: keep the saved one (same URL and user only)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password?: string;

  @ApiProperty({ description: 'Verify the switch certificate (prefer ca_pem for a self-signed switch)' })
  @IsBoolean()
  tls_verify!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'PEM of the CA or the self-signed switch certificate to trust' })
  @IsOptional()
  @ValidateIf((_o: SippySettingsDto, value: unknown) => value !== null)
  @IsString()
  @MaxLength(MAX_PEM_LENGTH)
  @IsPemCertificate()
  ca_pem?: string | null;

  @ApiProperty({ enum: SIPPY_CDR_TYPE_NAMES, default: 'all', description: "Sippy's CDR type filter; all keeps failed attempts" })
  @IsIn(SIPPY_CDR_TYPE_NAMES, { message: `cdr_type must be one of: ${SIPPY_CDR_TYPE_NAMES.join(', ')}` })
  cdr_type!: SippyCdrTypeName;
}

export class CaCertificateViewDto implements CaCertificateView {
  @ApiProperty({ enum: SETTING_SOURCES }) source!: SettingSource;
  @ApiProperty() locked!: boolean;
  @ApiProperty({ example: 'SIPPY_CA_FILE' }) env!: string;
  @ApiProperty({ type: String, nullable: true }) pem!: string | null;
  @ApiProperty({ type: String, nullable: true }) file!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) valid_to!: string | null;
  @ApiProperty({ type: String, nullable: true }) fingerprint256!: string | null;
}

export class SippyCdrTypeFieldDto extends StringSettingFieldDto {
  @ApiProperty({ enum: SIPPY_CDR_TYPE_NAMES }) declare value: SippyCdrTypeName;
}

export class SippySettingsViewDto extends IntegrationSettingsMetaDto implements SippySettingsView {
  @ApiProperty({ enum: ['sippy'] }) integration!: 'sippy';
  @ApiProperty({ type: StringSettingFieldDto }) url!: StringSettingFieldDto;
  @ApiProperty({ type: StringSettingFieldDto }) username!: StringSettingFieldDto;
  @ApiProperty({ type: SecretFieldViewDto }) password!: SecretFieldViewDto;
  @ApiProperty({ type: BooleanSettingFieldDto }) tls_verify!: BooleanSettingFieldDto;
  @ApiProperty({ type: CaCertificateViewDto }) ca_certificate!: CaCertificateViewDto;
  @ApiProperty({ type: SippyCdrTypeFieldDto }) cdr_type!: SippyCdrTypeFieldDto;
}

export class SippySettingsSavedDto implements IntegrationSettingsSaved<SippySettingsView> {
  @ApiProperty({ type: SippySettingsViewDto }) settings!: SippySettingsViewDto;
  @ApiProperty({ type: IntegrationTestResultDto }) test!: IntegrationTestResultDto;
}

import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString, Length, Matches } from 'class-validator';
import {
  PRIVACY_ROLES,
  REVEALABLE_FIELDS,
  type PrivacyRole,
  type PrivacySettings,
  type PrivacyStatus,
  type RevealableField,
  type RevealRequest,
  type RevealResponse,
} from '@velora/contracts';

/** Body and answer of GET/PUT /api/privacy/settings (every field required on PUT: the whole setting is replaced). */
export class PrivacySettingsDto implements PrivacySettings {
  @ApiProperty({ description: 'Masking on/off (default off: every role sees full numbers)', example: true })
  @IsBoolean({ message: 'masking_enabled must be true or false' })
  masking_enabled!: boolean;

  @ApiProperty({ enum: PRIVACY_ROLES, isArray: true, description: 'Roles that see masked numbers while masking is on', example: ['agent'] })
  @IsArray({ message: 'masked_roles must be a list of roles' })
  @ArrayMaxSize(PRIVACY_ROLES.length)
  @ArrayUnique({ message: 'masked_roles must not repeat a role' })
  @IsIn(PRIVACY_ROLES, { each: true, message: `masked_roles must hold only these roles: ${PRIVACY_ROLES.join(', ')}` })
  masked_roles!: PrivacyRole[];

  @ApiProperty({ enum: PRIVACY_ROLES, isArray: true, description: 'Roles that may reveal a number of a CDR (audited)', example: ['admin', 'agent'] })
  @IsArray({ message: 'reveal_roles must be a list of roles' })
  @ArrayMaxSize(PRIVACY_ROLES.length)
  @ArrayUnique({ message: 'reveal_roles must not repeat a role' })
  @IsIn(PRIVACY_ROLES, { each: true, message: `reveal_roles must hold only these roles: ${PRIVACY_ROLES.join(', ')}` })
  reveal_roles!: PrivacyRole[];
}

export class PrivacyStatusDto implements PrivacyStatus {
  @ApiProperty({ description: 'The API masks the numbers it sends to you' }) masked!: boolean;
  @ApiProperty({ description: 'You may use POST /api/privacy/reveal' }) can_reveal!: boolean;
}

export class RevealRequestDto implements RevealRequest {
  @ApiProperty({ description: 'Id of the CDR (its `id`)', example: '418238747' })
  @IsString({ message: 'cdr_id must be the id of a CDR' })
  @Length(1, 200, { message: 'cdr_id must be the id of a CDR' })
  @Matches(/^[\w:.-]+$/, { message: 'cdr_id must be the id of a CDR' })
  cdr_id!: string;

  @ApiProperty({ enum: REVEALABLE_FIELDS, description: 'Which number to reveal' })
  @IsIn(REVEALABLE_FIELDS, { message: `field must be one of: ${REVEALABLE_FIELDS.join(', ')}` })
  field!: RevealableField;
}

export class RevealResponseDto implements RevealResponse {
  @ApiProperty() cdr_id!: string;
  @ApiProperty({ enum: REVEALABLE_FIELDS }) field!: RevealableField;
  @ApiProperty({ nullable: true, type: String, description: 'The full number as stored', example: '905321234567' }) value!: string | null;
}

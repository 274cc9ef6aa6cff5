import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SETTING_SOURCES,
  type IntegrationConnectionMode,
  type IntegrationSettingsMeta,
  type IntegrationTestResult,
  type SecretFieldView,
  type SettingFieldView,
  type SettingSource,
} from '@velora/contracts';

const MODES: readonly IntegrationConnectionMode[] = ['live', 'simulator', 'unconfigured'];

/** Swagger shapes of `@velora/contracts` integration-settings (the contract is the source of truth). */
abstract class SettingFieldBaseDto {
  @ApiProperty({ enum: SETTING_SOURCES, description: 'env > saved > default' }) source!: SettingSource;
  @ApiProperty({ description: 'Set by the environment (or tied to settings that are): read-only' }) locked!: boolean;
  @ApiProperty({ example: 'SIPPY_RPC_URL', description: 'The environment variable that sets it' }) env!: string;
}

export class StringSettingFieldDto extends SettingFieldBaseDto implements SettingFieldView<string | null> {
  @ApiProperty({ type: String, nullable: true }) value!: string | null;
}

export class RequiredStringSettingFieldDto extends SettingFieldBaseDto implements SettingFieldView<string> {
  @ApiProperty() value!: string;
}

export class NumberSettingFieldDto extends SettingFieldBaseDto implements SettingFieldView<number> {
  @ApiProperty() value!: number;
}

export class BooleanSettingFieldDto extends SettingFieldBaseDto implements SettingFieldView<boolean> {
  @ApiProperty() value!: boolean;
}

export class SecretFieldViewDto extends SettingFieldBaseDto implements SecretFieldView {
  @ApiProperty({ description: 'A secret is set (its value is never sent)' }) set!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'x9', description: 'Last 2 characters (null when unset or shorter than 8)' })
  last2!: string | null;
}

export class SavedSettingsMetaDto {
  @ApiProperty({ example: 3 }) version!: number;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'admin@example.com' }) updated_by!: string | null;
}

export abstract class IntegrationSettingsMetaDto implements Omit<IntegrationSettingsMeta, 'integration'> {
  @ApiProperty({ enum: MODES }) mode!: IntegrationConnectionMode;
  @ApiProperty({ description: 'The connection is set by environment variables: nothing of it can be saved here' }) read_only!: boolean;
  @ApiProperty({ type: SavedSettingsMetaDto, nullable: true }) saved!: SavedSettingsMetaDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why saved settings are not in force although they exist' }) saved_error!:
    string | null;
}

export class IntegrationTestDetailsDto {
  @ApiProperty({ example: 'https://switch.example.net/xmlapi/xmlapi' }) endpoint!: string;
  @ApiProperty({ type: Number, nullable: true, example: 84 }) latency_ms!: number | null;
  @ApiPropertyOptional({ example: 'auth' }) cause?: string;
  @ApiPropertyOptional() tls_verify?: boolean;
  @ApiPropertyOptional({ type: [String], nullable: true }) methods?: string[] | null;
  @ApiPropertyOptional({ type: String, nullable: true }) asterisk_version?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) tier?: string | null;
}

export class IntegrationTestResultDto implements IntegrationTestResult {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'Connected in 84 ms' }) message!: string;
  @ApiProperty({ type: IntegrationTestDetailsDto }) details!: IntegrationTestDetailsDto;
}

export class IntegrationSettingsRejectedDto {
  @ApiProperty({ example: 422 }) statusCode!: 422;
  @ApiProperty() message!: string;
  @ApiProperty({ type: IntegrationTestResultDto }) test!: IntegrationTestResultDto;
}

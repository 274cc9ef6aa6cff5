import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Length,
  Matches,
  type ValidationArguments,
} from 'class-validator';
import { CDR_FIELDS } from '@velora/sippy';
import { SAVED_VIEW_SCOPES, SAVED_VIEW_SORTS, type SavedViewScope, type SavedViewSort } from '../saved-view.types';

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(CDR_FIELDS);

function unknownColumnsMessage(args: ValidationArguments): string {
  const values: unknown[] = Array.isArray(args.value) ? (args.value as unknown[]) : [args.value];
  const unknown = values.filter((v) => typeof v !== 'string' || !KNOWN_COLUMNS.has(v)).map(String);
  return `columns must name CDR fields (${unknown.join(', ')}: unknown)`;
}

/** Body of POST /api/views. `filters` is checked against the CDR list filters by the service (400 naming the filter). */
export class CreateSavedViewDto {
  @ApiProperty({ example: 'Failed calls to Germany', minLength: 1, maxLength: 80 })
  @IsString() @Length(1, 80) @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SAVED_VIEW_SCOPES, description: 'cdrs = the live view / CDR list; reports = the reports screen' })
  @IsIn(SAVED_VIEW_SCOPES)
  scope!: SavedViewScope;

  @ApiPropertyOptional({ default: false, description: 'Visible to every user (admins only)' })
  @IsOptional() @IsBoolean()
  shared?: boolean;

  @ApiProperty({
    description: 'CDR filters with the names and values of GET /api/sippy/cdrs (paging parameters are not part of a view)',
    example: { status: 'failed', country: 'DE', from: '2026-11-01T00:00:00Z' },
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  filters!: Record<string, unknown>;

  @ApiProperty({ description: 'CDR columns in display order', example: ['start_time', 'caller', 'callee', 'status', 'duration'], enum: CDR_FIELDS, isArray: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CDR_FIELDS.length) @ArrayUnique() @IsIn(CDR_FIELDS, { each: true, message: unknownColumnsMessage })
  columns!: string[];

  @ApiPropertyOptional({ enum: SAVED_VIEW_SORTS, default: SAVED_VIEW_SORTS[0] })
  @IsOptional() @IsIn(SAVED_VIEW_SORTS)
  sort?: SavedViewSort;

  @ApiPropertyOptional({ example: 'Europe/Istanbul', default: 'Europe/Istanbul', description: 'IANA time zone' })
  @IsOptional() @IsString() @IsTimeZone()
  time_zone?: string;
}

/** Body of PATCH /api/views/{id}: any subset of the fields. */
export class UpdateSavedViewDto extends PartialType(CreateSavedViewDto) {}

export class SavedViewQueryDto {
  @ApiPropertyOptional({ enum: SAVED_VIEW_SCOPES })
  @IsOptional() @IsIn(SAVED_VIEW_SCOPES)
  scope?: SavedViewScope;
}

export class SavedViewIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class SavedViewOwnerDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
}

export class SavedViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SAVED_VIEW_SCOPES }) scope!: SavedViewScope;
  @ApiProperty() shared!: boolean;
  @ApiProperty({ description: 'The view belongs to the caller (who may change and delete it)' }) mine!: boolean;
  @ApiProperty({ description: 'The caller may change and delete it (owner, or an admin for a shared view)' }) editable!: boolean;
  @ApiProperty({ type: SavedViewOwnerDto }) owner!: SavedViewOwnerDto;
  @ApiProperty({ type: 'object', additionalProperties: true }) filters!: Record<string, string | number>;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ enum: SAVED_VIEW_SORTS }) sort!: SavedViewSort;
  @ApiProperty() time_zone!: string;
  @ApiProperty({ description: 'Shareable path in the web app', example: '/views/0b7c…' }) url!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  registerDecorator,
} from 'class-validator';
import { CDR_FIELDS } from '@velora/sippy';
import { isValidTimeZone } from '../../reports/report-time';
import { SAVED_VIEW_SCOPES, SAVED_VIEW_SORTS, type SavedViewScope, type SavedViewSort } from '../saved-view.types';

/** An IANA zone the reports accept too (`Europe/Istanbul`, `UTC`); raw offsets and abbreviations are refused. */
function IsViewTimeZone(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isViewTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'time_zone must be an IANA time zone such as Europe/Istanbul, UTC or Asia/Kolkata' },
      validator: { validate: (value: unknown) => isValidTimeZone(value) },
    });
  };
}

/**
 * Body of POST /api/views. `filters` and `columns` are checked by the service against the view's scope (400 naming
 * `filters.<name>` or `columns`).
 */
export class CreateSavedViewDto {
  @ApiProperty({ example: 'Failed calls to Germany', minLength: 1, maxLength: 80 })
  @IsString()
  @Length(1, 80)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SAVED_VIEW_SCOPES, description: 'cdrs = the live view / CDR list; reports = the reports screen' })
  @IsIn(SAVED_VIEW_SCOPES)
  scope!: SavedViewScope;

  @ApiPropertyOptional({ default: false, description: 'Visible to every user (admins only)' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  @ApiProperty({
    description:
      'cdrs: the filters of GET /api/sippy/cdrs (paging is not part of a view). reports: the CDR filters of /api/reports ' +
      'plus bucket, breakdown, top and metric. from/to: calendar days (2026-11-24, in time_zone, to inclusive) or ISO ' +
      'instants (to exclusive); without them the view shows the latest calls / the last 7 days.',
    example: { status: 'failed', country: 'DE', from: '2026-11-01', to: '2026-11-07' },
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  filters!: Record<string, unknown>;

  @ApiPropertyOptional({
    description: "cdrs: CDR columns in display order (default: the live table's columns). reports: none (empty).",
    example: ['start_time', 'caller', 'callee', 'status', 'duration'],
    enum: CDR_FIELDS,
    isArray: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CDR_FIELDS.length)
  @ArrayUnique({ message: 'columns must not repeat a column' })
  @IsString({ each: true })
  columns?: string[];

  @ApiPropertyOptional({ enum: SAVED_VIEW_SORTS, default: SAVED_VIEW_SORTS[0] })
  @IsOptional()
  @IsIn(SAVED_VIEW_SORTS)
  sort?: SavedViewSort;

  @ApiPropertyOptional({ example: 'Europe/Istanbul', default: 'Europe/Istanbul', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @IsViewTimeZone()
  time_zone?: string;
}

/** Body of PATCH /api/views/{id}: any subset of the fields. */
export class UpdateSavedViewDto extends PartialType(CreateSavedViewDto) {}

export class SavedViewQueryDto {
  @ApiPropertyOptional({ enum: SAVED_VIEW_SCOPES })
  @IsOptional()
  @IsIn(SAVED_VIEW_SCOPES)
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
  @ApiProperty({ description: 'Shareable path in the web app', example: '/voip-crm?view=0b7c…' }) url!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

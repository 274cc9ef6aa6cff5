import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, registerDecorator, type ValidationArguments } from 'class-validator';
import { CDR_FIELDS } from '@velora/sippy';
import { CDR_EXPORT_SORTS, type CdrExportSort } from '@velora/contracts';
import { CdrListQueryDto } from '../../sippy/dto/cdr-list-query.dto';
import { IsTimeZone } from '../../reports/dto/report-query.dto';
import { DEFAULT_REPORT_TIME_ZONE } from '../../reports/report-time';
import { DEFAULT_CDR_VIEW_COLUMNS } from '../../views/saved-view.types';
import { ExportOptionsDto } from './export-options.dto';

const KNOWN: ReadonlySet<string> = new Set(CDR_FIELDS);

/** `columns`: CDR field names, each once, at least one (400 naming `columns` and the unknown names). */
function IsCdrColumnList(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isCdrColumnList',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.length > 0 &&
          value.every((c) => typeof c === 'string' && KNOWN.has(c)) &&
          new Set(value).size === value.length,
        defaultMessage: (args?: ValidationArguments) => {
          const value: unknown = args?.value;
          const list = Array.isArray(value) ? value.map(String) : [];
          const unknown = list.filter((c) => !KNOWN.has(c));
          if (unknown.length > 0) return `columns must name CDR fields (${unknown.join(', ')}: unknown); known: ${CDR_FIELDS.join(', ')}`;
          if (list.length === 0) return 'columns must name at least one CDR field';
          return 'columns must not repeat a column';
        },
      },
    });
  };
}

/** The list's filters (paging left out: an export has every matching row). */
class CdrExportFiltersDto extends OmitType(CdrListQueryDto, ['limit', 'offset', 'cursor'] as const) {}

/** Query of GET /api/sippy/cdrs/export: the CDR list's filters, the columns and order, the zone and the file options. */
export class CdrExportQueryDto extends IntersectionType(CdrExportFiltersDto, ExportOptionsDto) {
  @ApiPropertyOptional({
    type: String,
    description: `CDR fields in the order of the file, comma-separated (default: ${DEFAULT_CDR_VIEW_COLUMNS.join(',')})`,
    example: 'start_time,caller,callee,status,duration',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((c) => c.trim()).filter((c) => c !== '') : value))
  @IsCdrColumnList()
  columns: string[] = [...DEFAULT_CDR_VIEW_COLUMNS];

  @ApiPropertyOptional({ enum: CDR_EXPORT_SORTS, default: 'start_time:desc', description: 'start_time:desc is the list order (newest first)' })
  @IsOptional() @IsIn(CDR_EXPORT_SORTS)
  sort: CdrExportSort = 'start_time:desc';

  @ApiPropertyOptional({ description: 'IANA time zone the times are written in', default: DEFAULT_REPORT_TIME_ZONE, example: 'Europe/Istanbul' })
  @IsOptional() @IsString() @IsTimeZone()
  tz: string = DEFAULT_REPORT_TIME_ZONE;
}


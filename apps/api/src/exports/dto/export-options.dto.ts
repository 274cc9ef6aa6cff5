import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { EXPORT_DELIMITERS, EXPORT_FORMATS, type ExportDelimiter, type ExportFormat } from '@velora/contracts';

/** File options of every export: format, and for CSV the separator and the byte order mark. */
export class ExportOptionsDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional() @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'csv';

  @ApiPropertyOptional({ enum: EXPORT_DELIMITERS, default: ';', description: 'CSV field separator (tab = a tab); `;` opens as columns in Turkish Excel' })
  @IsOptional() @IsIn(EXPORT_DELIMITERS)
  delimiter: ExportDelimiter = ';';

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'CSV: start with a UTF-8 byte order mark (Excel then reads ç, ğ, ş correctly)' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  bom = true;
}

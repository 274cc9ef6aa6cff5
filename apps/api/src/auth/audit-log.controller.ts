import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from './audit.service';
import { Roles } from './auth.decorators';
import { SESSION_COOKIE } from './auth.types';
import { AuditEntryDto, AuditLogQueryDto } from './dto/auth.dto';

@ApiTags('audit')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log, newest first (admin): logins, failed logins, connection tests, user and token changes' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiHeader({ name: 'X-Total-Count', description: 'Entries matching the filter (response header)' })
  async list(@Query() query: AuditLogQueryDto, @Res({ passthrough: true }) res: Response): Promise<AuditEntryDto[]> {
    const { items, total } = await this.audit.list({ limit: query.limit, offset: query.offset, action: query.action });
    res.setHeader('X-Total-Count', String(total));
    return items.map((row) => ({ ...row, at: row.at.toISOString() }));
  }
}

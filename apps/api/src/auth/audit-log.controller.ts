import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from './audit.service';
import { Roles } from './auth.decorators';
import { SESSION_COOKIE } from './auth.types';
import { AuditActionsDto, AuditEntryDto, AuditLogQueryDto } from './dto/auth.dto';

@ApiTags('audit')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'Audit log, newest first (admin): logins, failed logins, connection tests, user and token changes',
    description: 'Filters combine with AND: action (name or `category.` prefix), actor/target/ip (substrings), from/to (inclusive).',
  })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiHeader({ name: 'X-Total-Count', description: 'Entries matching the filter (response header)' })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid or unknown, or to is earlier than from; the message names it' })
  async list(@Query() query: AuditLogQueryDto, @Res({ passthrough: true }) res: Response): Promise<AuditEntryDto[]> {
    const { items, total } = await this.audit.list({
      limit: query.limit,
      offset: query.offset,
      action: query.action,
      actor: query.actor,
      target: query.target,
      ip: query.ip,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    });
    res.setHeader('X-Total-Count', String(total));
    return items.map((row) => ({ ...row, at: row.at.toISOString() }));
  }

  @Get('actions')
  @ApiOperation({ summary: 'Action names for the audit log filter (admin)' })
  @ApiOkResponse({ type: AuditActionsDto })
  async actions(): Promise<AuditActionsDto> {
    return { actions: await this.audit.actions() };
  }
}

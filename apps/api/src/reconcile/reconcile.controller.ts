import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { ReconcileRun } from '@velora/contracts';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { ReconcileListQueryDto, ReconcileRequestDto, ReconcileRunDto, ReconcileWindowDto } from './dto/reconcile.dto';
import { ReconcileService } from './reconcile.service';

@ApiTags('sippy')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('sippy/reconcile')
export class ReconcileController {
  constructor(private readonly reconcile: ReconcileService) {}

  @Get()
  @ApiOperation({
    summary: 'Reconciliation report: the latest check of each hour that starts in [from, to)',
    description: 'Hours never checked are absent. status: complete | healed | failed (docs/reports.md#completeness).',
  })
  @ApiOkResponse({ type: [ReconcileWindowDto] })
  @ApiBadRequestResponse({
    description: 'from/to missing or invalid, to not after from, range over REPORT_MAX_RANGE_DAYS; the message names the parameter',
  })
  list(@Query() query: ReconcileListQueryDto): Promise<ReconcileWindowDto[]> {
    return this.reconcile.list(query.from, query.to);
  }

  @Post()
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-read [from, to) from the switch hour by hour, insert the missing CDRs and record the result (admin)',
    description:
      'Each hour is read with the sync’s own client and paging, never while a sync run is in progress. A switch ' +
      'failure is recorded as status failed with its cause (nothing is changed); the following hours of the range are ' +
      'recorded as not checked. Audited as sippy.reconcile.',
  })
  @ApiOkResponse({ type: ReconcileRunDto })
  @ApiBadRequestResponse({
    description:
      'Invalid body: not whole hours, to not after from, over RECONCILE_MAX_RANGE_DAYS, or later than the last whole hour; the message names the field',
  })
  @ApiConflictResponse({ description: 'Another replica runs the CDR sync (holds its lease): ask again later' })
  @ApiServiceUnavailableResponse({ description: 'SippySoft is not configured, or the API is shutting down' })
  run(@Body() dto: ReconcileRequestDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<ReconcileRun> {
    return this.reconcile.reconcile(dto.from, dto.to, { trigger: 'manual', actor: auth, ip: clientIp(req) });
  }
}

import {
  Body,
  ConflictException,
  Controller,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import type { Cdr } from '@velora/sippy';
import { AnonymousHealthInterceptor } from '../auth/anonymous-health.interceptor';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Public, Roles, TestConnectionThrottle } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { CdrsService } from '../cdrs/cdrs.service';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SyncInterruptedError } from '../sync/sync-interrupted.error';
import type { SyncRunResult, SyncStatus } from '../sync/sync.types';
import { CdrDto } from './dto/cdr.dto';
import { CdrDetailDto, CdrIdParamDto } from './dto/cdr-detail.dto';
import { CdrExportQueryDto } from '../exports/dto/cdr-export-query.dto';
import { CdrExportService } from '../exports/cdr-export.service';
import { CdrListQueryDto, CdrSummaryQueryDto } from './dto/cdr-list-query.dto';
import { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { SippyConnectionTester } from './sippy-connection-tester.service';
import { SippyHealthIndicator } from './sippy.health';
import { applySippyHealthPolicy } from './sippy-health.policy';
import { AppConfig } from '../config/app-config';
import type { CdrSummary } from '../cdrs/cdr.repository';
import { NumberMaskingService } from '../privacy/number-masking.service';

@ApiTags('sippy')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('sippy')
export class SippyController {
  constructor(
    private readonly cdrs: CdrsService,
    private readonly health: HealthCheckService,
    private readonly sippyHealth: SippyHealthIndicator,
    private readonly tester: SippyConnectionTester,
    private readonly sync: CdrSyncService,
    private readonly config: AppConfig,
    private readonly exports: CdrExportService,
    private readonly masking: NumberMaskingService,
  ) {}

  @Get('cdrs')
  @ApiOperation({ summary: 'Stored CDRs, newest first, with filters and server-side pagination' })
  @ApiOkResponse({ type: [CdrDto] })
  @ApiHeader({ name: 'X-Total-Count', description: 'CDRs matching the filters; the cap (CDR_COUNT_CAP) when X-Total-Count-Exact is false' })
  @ApiHeader({ name: 'X-Total-Count-Exact', description: '"false" when there are more than X-Total-Count CDRs' })
  @ApiHeader({ name: 'X-Next-Cursor', description: 'Pass as cursor= for the next page (sent when the page is full)' })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid or unknown; the message names it' })
  async listCdrs(@Query() query: CdrListQueryDto, @CurrentAuth() auth: AuthContext, @Res({ passthrough: true }) res: Response): Promise<Cdr[]> {
    // privacy (docs/security.md#privacy): masked roles search by full numbers only and get masked rows
    const masker = await this.masking.forUser(auth);
    const numbers = { caller_exact: masker.exactNumbers('caller', query.caller), callee_exact: masker.exactNumbers('callee', query.callee) };
    const { items, total, total_exact, next_cursor } = await this.cdrs.list(query, numbers);
    res.setHeader('X-Total-Count', String(total));
    res.setHeader('X-Total-Count-Exact', String(total_exact));
    if (next_cursor !== null) {
      res.setHeader('X-Next-Cursor', next_cursor);
    }
    return items.map((row) => masker.cdr(row));
  }

  @Get('cdrs/summary')
  @ApiOperation({ summary: 'Calls, ASR, ACD and cost for a period (default: today, UTC)' })
  summary(@Query() query: CdrSummaryQueryDto): Promise<CdrSummary> {
    return this.cdrs.summary(query);
  }

  // before cdrs/:id, which would otherwise take "export" for an id
  @Get('cdrs/export')
  @ApiOperation({
    summary: 'Every CDR the list filter selects, streamed as CSV or XLSX',
    description:
      'The filters of GET /api/sippy/cdrs (no paging: all matching rows), the columns in the given order, the order, ' +
      'times in tz, CSV separator and BOM. Content-Disposition names the range. Audited as cdrs.export (filter, columns, format, rows).',
  })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file, streamed' })
  @ApiBadRequestResponse({ description: 'A parameter is invalid or unknown (columns, tz, delimiter, format, a filter); the message names it' })
  async exportCdrs(@Query() query: CdrExportQueryDto, @CurrentAuth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    // privacy (docs/security.md#privacy): a masked role gets the rows masked like the list, and exact number filters
    await this.exports.export(query, res, { actor: auth, ip: clientIp(req), masker: await this.masking.forUser(auth) });
  }

  @Get('cdrs/:id')
  @ApiOperation({ summary: 'One CDR with every stored field; for admins also the raw switch record' })
  @ApiOkResponse({ type: CdrDetailDto })
  @ApiBadRequestResponse({ description: 'The id is malformed' })
  @ApiNotFoundResponse({ description: 'No CDR has this id' })
  async cdrDetail(@Param() params: CdrIdParamDto, @CurrentAuth() auth: AuthContext): Promise<CdrDetailDto> {
    const row = await this.cdrs.detail(params.id);
    if (row === null) throw new NotFoundException(`CDR ${params.id} not found`);
    const masker = await this.masking.forUser(auth);
    return {
      ...masker.cdr(row.cdr),
      pdd: row.pdd,
      source: row.source,
      first_seen_at: row.first_seen_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      ...(auth.role === 'admin' && !masker.masked ? { raw: row.raw } : {}),
    };
  }

  @Get('health')
  @Public()
  @UseInterceptors(AnonymousHealthInterceptor)
  @HealthCheck()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Health of the SippySoft link and the CDR sync (Kubernetes probe)',
    description:
      'Anonymous callers get only up/down and the cause; signed-in callers also get latency, mode and the sync state. ' +
      'With SIPPY_HEALTH_STRICT=false a failing switch is 200 "degraded" instead of 503 (safe as a liveness probe).',
  })
  @ApiServiceUnavailableResponse({ description: 'Down or not configured; details.sippy.cause names why' })
  check(): Promise<HealthCheckResult> {
    const strict = this.config.sippy.healthStrict;
    return this.health.check([async () => applySippyHealthPolicy(await this.sippyHealth.isHealthy('sippy'), strict)]);
  }

  @Post('test-connection')
  @Roles('admin')
  @TestConnectionThrottle()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test SippySoft credentials without saving them (admin)',
    description:
      'Only http(s) URLs; link-local/cloud-metadata addresses are refused, SIPPY_TEST_ALLOWED_HOSTS limits the targets; redirects are not followed.',
  })
  @ApiOkResponse({ type: TestConnectionResultDto, description: 'ok=false with details.cause when the switch cannot be used' })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  testConnection(@Body() dto: TestConnectionDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<TestConnectionResultDto> {
    return this.tester.test(dto, { actor: auth, ip: clientIp(req) });
  }

  @Get('sync')
  @ApiOperation({ summary: 'State of the CDR sync' })
  syncStatus(): SyncStatus {
    return this.sync.status();
  }

  @Post('sync')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the CDR sync now (joins a run in progress)' })
  @ApiBadGatewayResponse({ description: 'The switch failed; the message names the cause' })
  @ApiGatewayTimeoutResponse({ description: 'The switch did not answer in time' })
  @ApiServiceUnavailableResponse({ description: 'Sync is disabled or SippySoft is not configured' })
  @ApiConflictResponse({
    description: 'The run stopped: the switch settings changed (the sync restarts on the new switch) or the API is shutting down',
  })
  async runSync(): Promise<SyncRunResult> {
    if (!this.sync.enabled) {
      throw new ServiceUnavailableException('CDR sync is disabled (SIPPY_SYNC_ENABLED=false or SippySoft not configured)');
    }
    try {
      return await this.sync.runNow();
    } catch (error) {
      if (error instanceof SyncInterruptedError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

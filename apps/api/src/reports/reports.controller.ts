import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth } from '../auth/auth.decorators';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SESSION_COOKIE, type AuthContext } from '../auth/auth.types';
import type { ExactNumberFilter } from '../cdrs/cdr.repository';
import { NumberMaskingService, type UserMasker } from '../privacy/number-masking.service';
import { BreakdownReportDto, CompareReportDto, TimeseriesReportDto, TopReportDto } from './dto/report-response.dto';
import {
  BreakdownExportQueryDto,
  BreakdownQueryDto,
  CompareExportQueryDto,
  ReportQueryDto,
  TimeseriesExportQueryDto,
  TimeseriesQueryDto,
  TopExportQueryDto,
  TopQueryDto,
} from './dto/report-query.dto';
import { ReportExportService } from './report-export.service';
import { ReportsService, type BreakdownReport, type CompareReport, type TimeseriesReport, type TopReport } from './reports.service';

const BAD_INPUT =
  'A parameter is invalid and the message names it: unknown by/bucket/metric, unknown time zone (tz), to not after from, a range longer than REPORT_MAX_RANGE_DAYS (to), unknown parameters';

const EXPORT_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** Call reports over the stored CDRs (metric definitions: docs/reports.md). */
@ApiTags('reports')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ReportExportService,
    private readonly masking: NumberMaskingService,
  ) {}

  @Get('timeseries')
  @ApiOperation({
    summary: 'Metrics per hour, day, week (from Monday) or month in the time zone tz',
    description: 'Every bucket of [from, to) is present, empty ones with zeros. Each point carries the CDR list filter of its calls.',
  })
  @ApiOkResponse({ type: TimeseriesReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async timeseries(@Query() query: TimeseriesQueryDto, @CurrentAuth() auth: AuthContext): Promise<TimeseriesReport> {
    return this.reports.timeseries(query, exactNumbers(await this.masking.forUser(auth), query));
  }

  @Get('breakdown')
  @ApiOperation({
    summary: 'Metrics by destination country, city, account, trunk/vendor, direction or failure cause',
    description: 'Rows are ordered by calls. by=cause groups the calls that were not answered by their Sippy result code, named in English and Turkish.',
  })
  @ApiOkResponse({ type: BreakdownReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async breakdown(@Query() query: BreakdownQueryDto, @CurrentAuth() auth: AuthContext): Promise<BreakdownReport> {
    return this.reports.breakdown(query, exactNumbers(await this.masking.forUser(auth), query));
  }

  @Get('top')
  @ApiOperation({ summary: 'Top callers, callees or destinations by calls, billed minutes, cost or failures' })
  @ApiOkResponse({ type: TopReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async top(@Query() query: TopQueryDto, @CurrentAuth() auth: AuthContext): Promise<TopReport> {
    const masker = await this.masking.forUser(auth);
    const report = await this.reports.top(query, exactNumbers(masker, query));
    if (!masker.masked || query.by === 'destination') return report;
    // a masked role sees top callers/callees masked, without the drill-down filter (it would hold the full number)
    return { ...report, rows: report.rows.map((row) => ({ ...row, key: masker.number(row.key), filter: null })) };
  }

  @Get('compare')
  @ApiOperation({
    summary: 'This period against the previous one of the same length, with the change in percent',
    description: 'previous = [from − (to − from), from).',
  })
  @ApiOkResponse({ type: CompareReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async compare(@Query() query: ReportQueryDto, @CurrentAuth() auth: AuthContext): Promise<CompareReport> {
    return this.reports.compare(query, exactNumbers(await this.masking.forUser(auth), query));
  }

  @Get('timeseries/export')
  @ApiOperation({ summary: 'The time series as CSV or XLSX (format, delimiter, bom); audited as reports.export' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ description: 'The file: bucket, from, to (in tz), every metric, cost per currency' })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async timeseriesExport(@Query() query: TimeseriesExportQueryDto, @CurrentAuth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.exports.timeseries(query, res, { actor: auth, ip: clientIp(req), masker: await this.masking.forUser(auth) });
  }

  @Get('breakdown/export')
  @ApiOperation({ summary: 'The breakdown as CSV or XLSX (format, delimiter, bom); audited as reports.export' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ description: 'The file: the dimension (cause: with its Turkish and English name), every metric, cost per currency' })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async breakdownExport(@Query() query: BreakdownExportQueryDto, @CurrentAuth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.exports.breakdown(query, res, { actor: auth, ip: clientIp(req), masker: await this.masking.forUser(auth) });
  }

  @Get('top/export')
  @ApiOperation({ summary: 'The top list as CSV or XLSX (format, delimiter, bom); audited as reports.export' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ description: 'The file: rank, subject, every metric, cost per currency' })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async topExport(@Query() query: TopExportQueryDto, @CurrentAuth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.exports.top(query, res, { actor: auth, ip: clientIp(req), masker: await this.masking.forUser(auth) });
  }

  @Get('compare/export')
  @ApiOperation({ summary: 'The period comparison as CSV or XLSX (format, delimiter, bom); audited as reports.export' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ description: 'The file: one row per metric with current, previous and delta_pct' })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  async compareExport(@Query() query: CompareExportQueryDto, @CurrentAuth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.exports.compare(query, res, { actor: auth, ip: clientIp(req), masker: await this.masking.forUser(auth) });
  }
}

/** Privacy (docs/security.md#privacy): a masked role's caller/callee filter matches full numbers exactly. */
function exactNumbers(masker: UserMasker, query: { caller?: string; callee?: string }): ExactNumberFilter {
  return { caller_exact: masker.exactNumbers('caller', query.caller), callee_exact: masker.exactNumbers('callee', query.callee) };
}

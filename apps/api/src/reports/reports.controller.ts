import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/auth.types';
import { BreakdownReportDto, CompareReportDto, TimeseriesReportDto, TopReportDto } from './dto/report-response.dto';
import { BreakdownQueryDto, ReportQueryDto, TimeseriesQueryDto, TopQueryDto } from './dto/report-query.dto';
import { ReportsService, type BreakdownReport, type CompareReport, type TimeseriesReport, type TopReport } from './reports.service';

const BAD_INPUT =
  'A parameter is invalid and the message names it: unknown by/bucket/metric, unknown time zone (tz), to not after from, a range longer than REPORT_MAX_RANGE_DAYS (to), unknown parameters';

/** Call reports over the stored CDRs (metric definitions: docs/reports.md). */
@ApiTags('reports')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('timeseries')
  @ApiOperation({
    summary: 'Metrics per hour, day, week (from Monday) or month in the time zone tz',
    description: 'Every bucket of [from, to) is present, empty ones with zeros. Each point carries the CDR list filter of its calls.',
  })
  @ApiOkResponse({ type: TimeseriesReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  timeseries(@Query() query: TimeseriesQueryDto): Promise<TimeseriesReport> {
    return this.reports.timeseries(query);
  }

  @Get('breakdown')
  @ApiOperation({
    summary: 'Metrics by destination country, city, account, trunk/vendor, direction or failure cause',
    description: 'Rows are ordered by calls. by=cause groups the calls that were not answered by their Sippy result code, named in English and Turkish.',
  })
  @ApiOkResponse({ type: BreakdownReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  breakdown(@Query() query: BreakdownQueryDto): Promise<BreakdownReport> {
    return this.reports.breakdown(query);
  }

  @Get('top')
  @ApiOperation({ summary: 'Top callers, callees or destinations by calls, billed minutes, cost or failures' })
  @ApiOkResponse({ type: TopReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  top(@Query() query: TopQueryDto): Promise<TopReport> {
    return this.reports.top(query);
  }

  @Get('compare')
  @ApiOperation({
    summary: 'This period against the previous one of the same length, with the change in percent',
    description: 'previous = [from − (to − from), from).',
  })
  @ApiOkResponse({ type: CompareReportDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  compare(@Query() query: ReportQueryDto): Promise<CompareReport> {
    return this.reports.compare(query);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type {
  DetectionBacktestResult,
  DetectionCdrFlag,
  DetectionFinding,
  DetectionFindingDetail,
  DetectionFindingPage,
  DetectionListEntry,
  DetectionNumberSummary,
  DetectionRule,
} from '@velora/contracts';
import type { Request } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { DetectionListsService, type ActionContext } from './detection-lists.service';
import { DetectionSettingsService } from './detection-settings.service';
import { DetectionService } from './detection.service';
import {
  DetectionFindingDetailDto,
  DetectionFindingDto,
  DetectionFindingPageDto,
  DetectionListEntryDto,
} from './dto/detection-response.dto';
import {
  BacktestDto,
  CdrFlagsQueryDto,
  FindingIdParamDto,
  FindingListQueryDto,
  FindingStatusDto,
  ListEntryParamDto,
  ListQueryDto,
  NumberActionDto,
  NumberParamDto,
  PrefixActionDto,
  RuleParamDto,
  UpdateRuleDto,
} from './dto/detection.dto';

function by(auth: AuthContext, req: Request): ActionContext {
  return { actor: auth, ip: clientIp(req) };
}

/** Spam and fraud detection: findings, rules, backtests, the operator lists and the CDR badges (docs/detection.md). */
@ApiTags('detection')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('detection')
export class DetectionController {
  constructor(
    private readonly detection: DetectionService,
    private readonly settings: DetectionSettingsService,
    private readonly lists: DetectionListsService,
  ) {}

  @Get('findings')
  @ApiOperation({ summary: 'Findings, newest first (keyset paging with next_cursor)' })
  @ApiOkResponse({ type: DetectionFindingPageDto })
  @ApiBadRequestResponse({ description: 'A parameter is invalid and the message names it' })
  findings(@Query() query: FindingListQueryDto): Promise<DetectionFindingPage> {
    return this.detection.findings(query);
  }

  @Get('findings/:id')
  @ApiOperation({ summary: 'One finding with the ids of the CDRs behind it' })
  @ApiOkResponse({ type: DetectionFindingDetailDto })
  @ApiNotFoundResponse()
  finding(@Param() params: FindingIdParamDto): Promise<DetectionFindingDetail> {
    return this.detection.finding(params.id);
  }

  @Put('findings/:id/status')
  @Roles('admin')
  @ApiOperation({ summary: 'Mark a finding spam, dismissed, allowed or open again (admins, audited)' })
  @ApiOkResponse({ type: DetectionFindingDto })
  @ApiNotFoundResponse()
  setStatus(
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
    @Param() params: FindingIdParamDto,
    @Body() body: FindingStatusDto,
  ): Promise<DetectionFinding> {
    return this.detection.setStatus(params.id, body.status, by(auth, req));
  }

  @Get('rules')
  @ApiOperation({ summary: 'Every rule with its settings in force, defaults and limits' })
  rules(): Promise<DetectionRule[]> {
    return this.settings.list();
  }

  @Put('rules/:rule')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a rule’s settings (admins, audited); unknown fields, values out of the rule’s limits → 400' })
  @ApiBadRequestResponse({ description: 'The message names the field (window_seconds, warn, crit, min_sample, mode, enabled)' })
  @ApiNotFoundResponse({ description: 'Unknown rule' })
  updateRule(
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
    @Param() params: RuleParamDto,
    @Body() body: UpdateRuleDto,
  ): Promise<DetectionRule> {
    return this.detection.updateRule(params.rule, body, by(auth, req));
  }

  @Post('backtest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What a rule with changed settings would have raised over a stored date range',
    description:
      'Nothing is saved or published. The range is at most DETECTION_BACKTEST_MAX_DAYS; at most DETECTION_BACKTEST_MAX_CDRS CDRs are read.',
  })
  @ApiBadRequestResponse({
    description: 'Unknown rule, settings out of range, to not after from, range too long; the message names the field',
  })
  backtest(@Body() body: BacktestDto): Promise<DetectionBacktestResult> {
    return this.detection.backtest(body.rule, body.from, body.to, body.settings ?? {});
  }

  @Get('cdr-flags')
  @ApiOperation({ summary: 'Findings on these CDRs (the live view badges its rows with one call)' })
  @ApiBadRequestResponse({ description: 'ids missing, empty or more than 200' })
  cdrFlags(@Query() query: CdrFlagsQueryDto): Promise<DetectionCdrFlag[]> {
    return this.detection.cdrFlags(query.ids);
  }

  @Get('numbers/:number')
  @ApiOperation({ summary: 'Findings, marks and matching prefixes of one number (the number page)' })
  @ApiBadRequestResponse({ description: 'number is not a phone number' })
  number(@Param() params: NumberParamDto): Promise<DetectionNumberSummary> {
    return this.detection.numberSummary(params.number);
  }

  @Get('lists')
  @ApiOperation({ summary: 'The allow-list, spam marks, block-list and high-risk prefixes' })
  @ApiOkResponse({ type: [DetectionListEntryDto] })
  list(@Query() query: ListQueryDto): Promise<DetectionListEntry[]> {
    return this.lists.list(query.kind);
  }

  @Post('actions/mark-spam')
  @Roles('admin')
  @ApiOperation({ summary: 'Mark a number as spam (admins, audited): its calls raise marked_number findings' })
  @ApiOkResponse({ type: DetectionListEntryDto })
  @ApiBadRequestResponse({ description: 'number is not a phone number' })
  @HttpCode(200)
  markSpam(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Body() body: NumberActionDto): Promise<DetectionListEntry> {
    return this.detection.addToList('spam_number', body.number, body.note, by(auth, req));
  }

  @Post('actions/allow-number')
  @Roles('admin')
  @ApiOperation({ summary: 'Allow-list a number (admins, audited): it raises nothing and its calls count for no rule' })
  @ApiOkResponse({ type: DetectionListEntryDto })
  @ApiBadRequestResponse({ description: 'number is not a phone number' })
  @HttpCode(200)
  allowNumber(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Body() body: NumberActionDto): Promise<DetectionListEntry> {
    return this.detection.addToList('allow_number', body.number, body.note, by(auth, req));
  }

  @Post('actions/block-prefix')
  @Roles('admin')
  @ApiOperation({ summary: 'Block-list a prefix (admins, audited): any call to it is a critical premium finding' })
  @ApiOkResponse({ type: DetectionListEntryDto })
  @ApiBadRequestResponse({ description: 'prefix is not 1 to 15 digits' })
  @HttpCode(200)
  blockPrefix(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Body() body: PrefixActionDto): Promise<DetectionListEntry> {
    return this.detection.addToList('block_prefix', body.prefix, body.note, by(auth, req));
  }

  @Post('lists/high-risk-prefixes')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a prefix to the high-risk (IRSF / premium) list (admins, audited)' })
  @ApiOkResponse({ type: DetectionListEntryDto })
  @HttpCode(200)
  addHighRisk(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Body() body: PrefixActionDto): Promise<DetectionListEntry> {
    return this.detection.addToList('high_risk_prefix', body.prefix, body.note, by(auth, req));
  }

  @Delete('lists/:kind/:value')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an entry from a list (admins, audited)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  removeListEntry(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Param() params: ListEntryParamDto): Promise<void> {
    return this.lists.remove(params.kind, params.value, by(auth, req));
  }
}

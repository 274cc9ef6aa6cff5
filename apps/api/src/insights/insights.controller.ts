import { Body, Controller, Get, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { InsightNarrative } from '@velora/contracts';
import { Roles } from '../auth/auth.decorators';
import { SESSION_COOKIE } from '../auth/auth.types';
import { InsightListDto, InsightNarrativeDto } from './dto/insight-response.dto';
import { InsightListQueryDto, NarrativeQueryDto, RegenerateNarrativeDto } from './dto/insights-query.dto';
import { InsightsService, type InsightList } from './insights.service';
import { LlmErrorFilter } from './llm/llm-error.filter';
import { NarrativeService } from './narrative/narrative.service';

/** Anomaly insights on the hourly series and the daily narrative (method and privacy: docs/insights.md). */
@ApiTags('insights')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@UseFilters(LlmErrorFilter)
@Controller('insights')
export class InsightsController {
  constructor(
    private readonly insights: InsightsService,
    private readonly narratives: NarrativeService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Traffic spikes, ASR drops, cost jumps and new destinations found on the hourly rollup',
    description:
      'Each insight compares one hour of one destination (or of all traffic) with the same hour of the week in earlier weeks (median and MAD) and carries its evidence and the CDR list filter of its calls.',
  })
  @ApiOkResponse({ type: InsightListDto })
  @ApiBadRequestResponse({
    description:
      'A parameter is invalid and the message names it: from/to not ISO 8601, to not after from, a range over 92 days, an unknown severity or kind, unknown parameters',
  })
  list(@Query() query: InsightListQueryDto): Promise<InsightList> {
    return this.insights.list(query);
  }

  @Get('narrative')
  @ApiOperation({
    summary: 'The daily narrative of a local day, in Turkish or English',
    description:
      'Written by the configured language model (LLM_BASE_URL) from aggregates only — never a phone number — once the day is over, then kept; without a model, or when it fails (then with a note), the deterministic built-in summary.',
  })
  @ApiOkResponse({ type: InsightNarrativeDto })
  @ApiBadRequestResponse({ description: 'date is not YYYY-MM-DD, not a calendar date or in the future; lang is not tr or en' })
  narrative(@Query() query: NarrativeQueryDto): Promise<InsightNarrative> {
    return this.narratives.narrative(query.date, query.lang);
  }

  @Post('narrative/regenerate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Write the narrative of a day again (admins)',
    description:
      'Asks the language model now (or rebuilds the built-in summary without one) and stores the result when the day is over. A failing model is an error here, not a fallback.',
  })
  @ApiOkResponse({ type: InsightNarrativeDto })
  @ApiBadRequestResponse({ description: 'date is not YYYY-MM-DD, not a calendar date or in the future; lang is not tr or en' })
  @ApiBadGatewayResponse({
    description: 'The language model is unreachable, refused the key, rate limited or answered something unusable (upstream: llm)',
  })
  @ApiGatewayTimeoutResponse({ description: 'The language model did not answer within LLM_TIMEOUT_MS (upstream: llm)' })
  regenerate(@Body() body: RegenerateNarrativeDto): Promise<InsightNarrative> {
    return this.narratives.regenerate(body.date ?? this.narratives.yesterday(), body.lang);
  }
}

import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentAuth } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { EventStreamQueryDto } from './dto/events.dto';
import { EventStreamService, parseLastEventId } from './event-stream.service';

@ApiTags('events')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly streams: EventStreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Live events (Server-Sent Events): new CDRs, findings, integration up/down, sync errors, read marks',
    description:
      'A `text/event-stream` that stays open. Each event is `id: <sequence id>`, `event: <type>`, `data: <JSON VeloraEvent>`; ' +
      'only events the caller may see are sent (sync errors: admins). After reconnecting, send the last id you got as ' +
      '`Last-Event-ID` (or `?last_event_id=`) to receive what you missed first; `event: reset` means that is not possible ' +
      '(reload your state). Control messages without an id: `ready` (replay done), `heartbeat` (every ' +
      'EVENTS_HEARTBEAT_SECONDS), `reconnect` (the server closes the stream: reconnect). See docs/notifications.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiOkResponse({ description: 'The event stream (text/event-stream)' })
  @ApiBadRequestResponse({ description: 'Last-Event-ID / last_event_id is not an event id' })
  @ApiUnauthorizedResponse({ description: 'Not signed in (session cookie or Authorization: Bearer <API token>)' })
  @ApiServiceUnavailableResponse({ description: 'Too many open streams on this server (EVENTS_MAX_CLIENTS); see Retry-After' })
  async stream(
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lastEventId = parseLastEventId(lastEventIdHeader, query.last_event_id);
    await this.streams.open(req, res, { userId: auth.userId, role: auth.role }, lastEventId);
  }
}

import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationPage } from '@velora/contracts';
import { CurrentAuth } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import {
  MarkAllReadDto,
  MarkAllReadResultDto,
  MarkReadDto,
  MarkReadResultDto,
  NotificationListQueryDto,
  NotificationPageDto,
  UnreadCountDto,
} from './dto/events.dto';
import type { EventViewer } from './events.types';
import { NotificationsService } from './notifications.service';

const viewerOf = (auth: AuthContext): EventViewer => ({ userId: auth.userId, role: auth.role });

@ApiTags('notifications')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's notifications (findings, integration changes, sync errors), newest first, with read state" })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it' })
  list(@Query() query: NotificationListQueryDto, @CurrentAuth() auth: AuthContext): Promise<NotificationPage> {
    return this.notifications.list(viewerOf(auth), query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many notifications the caller has not read (the bell badge)' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentAuth() auth: AuthContext): Promise<UnreadCountDto> {
    return this.notifications.unreadCount(viewerOf(auth));
  }

  @Post('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark notifications read (for the caller only; their other tabs get a notifications_read event)' })
  @ApiOkResponse({ type: MarkReadResultDto })
  @ApiBadRequestResponse({ description: 'ids is missing, empty, too long or holds something that is not an id' })
  async markRead(@Body() body: MarkReadDto, @CurrentAuth() auth: AuthContext): Promise<MarkReadResultDto> {
    return { ids: await this.notifications.markRead(viewerOf(auth), body.ids) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every notification (up to up_to) read for the caller' })
  @ApiOkResponse({ type: MarkAllReadResultDto })
  @ApiBadRequestResponse({ description: 'up_to is not an id' })
  async markAllRead(@Body() body: MarkAllReadDto, @CurrentAuth() auth: AuthContext): Promise<MarkAllReadResultDto> {
    return { up_to: await this.notifications.markAllRead(viewerOf(auth), body.up_to) };
  }
}

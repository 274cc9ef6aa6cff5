import {
  BadGatewayException,
  ConflictException,
  Controller,
  Get,
  GatewayTimeoutException,
  HttpCode,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { NotificationChannelStatus, NotificationChannelTestResult } from '@velora/contracts';
import type { Request } from 'express';
import { AuditService } from '../auth/audit.service';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles, TestConnectionThrottle } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { DeliveryError } from './channels/notification-channel';
import { ChannelParamDto, NotificationChannelStatusDto, NotificationChannelTestResultDto } from './dto/notification-channels.dto';
import { CHANNEL_SETTINGS } from './notification-channels';
import { OutboundDispatcher } from './outbound-dispatcher.service';

@ApiTags('notifications')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('notifications/channels')
export class NotificationChannelsController {
  constructor(
    private readonly dispatcher: OutboundDispatcher,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Outbound channels (webhook, email, Telegram): configured or not, where they send, delivery counters (admin)' })
  @ApiOkResponse({ type: [NotificationChannelStatusDto] })
  list(): NotificationChannelStatus[] {
    return this.dispatcher.status();
  }

  @Post(':channel/test')
  @HttpCode(200)
  @TestConnectionThrottle()
  @ApiOperation({ summary: 'Send a test notification through one channel now (one attempt, no retry; admin; audited)' })
  @ApiOkResponse({ type: NotificationChannelTestResultDto })
  @ApiBadRequestResponse({ description: 'channel is not webhook, email or telegram' })
  @ApiConflictResponse({ description: 'The channel is not configured; the message names the variables to set' })
  @ApiBadGatewayResponse({ description: 'The channel refused or could not be reached; the message names it and why' })
  @ApiGatewayTimeoutResponse({ description: 'The channel did not answer within NOTIFY_TIMEOUT_MS' })
  async test(
    @Param() { channel }: ChannelParamDto,
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
  ): Promise<NotificationChannelTestResult> {
    let result: { latencyMs: number } | undefined;
    try {
      result = await this.dispatcher.test(channel);
    } catch (error: unknown) {
      const message = error instanceof DeliveryError ? error.message : 'unexpected error';
      await this.audit.record({
        action: 'notifications.test_channel',
        actor: auth,
        target: channel,
        ip: clientIp(req),
        details: { ok: false, error: message },
      });
      if (error instanceof DeliveryError && error.timeout) throw new GatewayTimeoutException(`${channel}: ${message}`);
      throw new BadGatewayException(`${channel}: ${message}`);
    }
    if (result === undefined) {
      throw new ConflictException(`The ${channel} channel is not configured: set ${CHANNEL_SETTINGS[channel]}`);
    }
    await this.audit.record({
      action: 'notifications.test_channel',
      actor: auth,
      target: channel,
      ip: clientIp(req),
      details: { ok: true, latency_ms: result.latencyMs },
    });
    return { channel, ok: true, latency_ms: result.latencyMs };
  }
}

import { Controller, Get, Header, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { CurrentAuth } from '../auth/auth.decorators';
import type { AuthContext } from '../auth/auth.types';
import { Clock } from '../common/clock';
import { NumberMaskingService } from '../privacy/number-masking.service';
import { IssabelStatusDto } from './dto/issabel-status.dto';
import { IssabelErrorFilter } from './issabel-error.filter';
import { IssabelLiveClient } from './issabel-live-client';
import { ISSABEL_NOT_CONFIGURED } from './issabel-probe.service';
import { IssabelHealthIndicator } from './issabel.health';

@ApiTags('issabel')
@Controller('issabel')
@UseFilters(IssabelErrorFilter)
export class IssabelController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly issabelHealth: IssabelHealthIndicator,
    private readonly link: IssabelLiveClient,
    private readonly clock: Clock,
    private readonly masking: NumberMaskingService,
  ) {}

  @Get('health')
  @HealthCheck()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Health of the Issabel PBX over AMI: login, version, current calls (Terminus shape)' })
  @ApiServiceUnavailableResponse({ description: 'Down or not configured; details.issabel.cause names why (auth, refused, timeout…)' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.issabelHealth.isHealthy('issabel')]);
  }

  @Get('status')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Live PBX state: active channels/calls and SIP/PJSIP endpoints (each section says if the AMI user may read it)',
  })
  @ApiOkResponse({ type: IssabelStatusDto })
  @ApiBadGatewayResponse({ description: 'The PBX refused the login or the connection; the message names the cause' })
  @ApiGatewayTimeoutResponse({ description: 'The PBX did not answer in time' })
  @ApiServiceUnavailableResponse({ description: 'Issabel is not configured' })
  async status(@CurrentAuth() auth: AuthContext): Promise<IssabelStatusDto> {
    const { client, info } = this.link.current;
    const mode = info.mode;
    if (mode === 'unconfigured') {
      throw new ServiceUnavailableException(ISSABEL_NOT_CONFIGURED);
    }
    const s = await client.status(() => new Date(this.clock.now()));
    // privacy (docs/security.md#privacy): the numbers of live calls are masked for masked roles
    const masker = await this.masking.forUser(auth);
    const channels = !masker.masked
      ? s.channels
      : s.channels.map((c) => ({
          ...c,
          channel: masker.text(c.channel) ?? c.channel,
          caller_id_num: masker.number(c.caller_id_num),
          connected_line_num: masker.number(c.connected_line_num),
          exten: masker.number(c.exten),
        }));
    return {
      mode,
      checked_at: s.checkedAt.toISOString(),
      latency_ms: s.latencyMs,
      active_channels: s.activeChannels,
      active_calls: s.activeCalls,
      channels_availability: s.channelsAvailability,
      channels,
      peers_availability: s.peersAvailability,
      peer_summary: s.peerSummaries,
      peers: s.peers,
      truncated: s.truncated,
    };
  }
}

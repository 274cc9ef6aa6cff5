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
import { Clock } from '../common/clock';
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
  async status(): Promise<IssabelStatusDto> {
    const { client, info } = this.link.current;
    const mode = info.mode;
    if (mode === 'unconfigured') {
      throw new ServiceUnavailableException(ISSABEL_NOT_CONFIGURED);
    }
    const s = await client.status(() => new Date(this.clock.now()));
    return {
      mode,
      checked_at: s.checkedAt.toISOString(),
      latency_ms: s.latencyMs,
      active_channels: s.activeChannels,
      active_calls: s.activeCalls,
      channels_availability: s.channelsAvailability,
      channels: s.channels,
      peers_availability: s.peersAvailability,
      peer_summary: s.peerSummaries,
      peers: s.peers,
      truncated: s.truncated,
    };
  }
}

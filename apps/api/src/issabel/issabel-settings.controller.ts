import { Body, Controller, Delete, Get, Header, HttpCode, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { IntegrationSettingsSaved, IntegrationTestResult, IssabelSettingsView } from '@velora/contracts';
import type { Request } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles, TestConnectionThrottle } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { IntegrationSettingsRejectedDto, IntegrationTestResultDto } from '../settings/dto/settings-view.dto';
import { IssabelSettingsDto, IssabelSettingsSavedDto, IssabelSettingsViewDto } from './dto/issabel-settings.dto';
import { IssabelSettingsService } from './issabel-settings.service';

/** Issabel AMI connection settings of the Integrations page (admins). */
@ApiTags('issabel')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('issabel/settings')
export class IssabelSettingsController {
  constructor(private readonly settings: IssabelSettingsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The Issabel AMI connection in force and where each setting comes from (environment, saved, default)',
    description: 'The secret is never returned: only whether it is set and its last 2 characters.',
  })
  @ApiOkResponse({ type: IssabelSettingsViewDto })
  get(): IssabelSettingsView {
    return this.settings.view();
  }

  @Post('test')
  @HttpCode(200)
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test Issabel AMI settings without saving them (Login, Ping, CoreSettings)',
    description:
      'Omit secret to test with the saved one (same host and user only). Link-local and cloud-metadata hosts are refused. Audited.',
  })
  @ApiOkResponse({ type: IntegrationTestResultDto, description: 'ok=false with details.cause when the PBX cannot be used' })
  @ApiBadRequestResponse({ description: 'Invalid body or refused host; the message names the field' })
  test(@Body() dto: IssabelSettingsDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<IntegrationTestResult> {
    return this.settings.test(dto, { actor: auth, ip: clientIp(req) });
  }

  @Put()
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test, save and apply Issabel AMI settings (no restart)',
    description: 'The secret is stored encrypted (AES-256-GCM). Omit it to keep the saved one (same host and user only).',
  })
  @ApiOkResponse({ type: IssabelSettingsSavedDto })
  @ApiBadRequestResponse({ description: 'Invalid body or refused host; the message names the field' })
  @ApiConflictResponse({ description: 'ISSABEL_AMI_HOST is set: the connection comes from the environment' })
  @ApiUnprocessableEntityResponse({ type: IntegrationSettingsRejectedDto, description: 'The connection test failed: nothing was saved' })
  save(
    @Body() dto: IssabelSettingsDto,
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
  ): Promise<IntegrationSettingsSaved<IssabelSettingsView>> {
    return this.settings.save(dto, { actor: auth, ip: clientIp(req) });
  }

  @Delete()
  @ApiOperation({ summary: 'Forget the saved Issabel settings: the environment and defaults apply again' })
  @ApiOkResponse({ type: IssabelSettingsViewDto })
  clear(@CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<IssabelSettingsView> {
    return this.settings.clear({ actor: auth, ip: clientIp(req) });
  }
}

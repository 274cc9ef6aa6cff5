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
import type { IntegrationSettingsSaved, IntegrationTestResult, SippySettingsView } from '@velora/contracts';
import type { Request } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles, TestConnectionThrottle } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { IntegrationSettingsRejectedDto, IntegrationTestResultDto } from '../settings/dto/settings-view.dto';
import { SippySettingsDto, SippySettingsSavedDto, SippySettingsViewDto } from './dto/sippy-settings.dto';
import { SippySettingsService } from './sippy-settings.service';

/** SippySoft connection settings of the Integrations page (admins). */
@ApiTags('sippy')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('sippy/settings')
export class SippySettingsController {
  constructor(private readonly settings: SippySettingsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The SippySoft connection in force and where each setting comes from (environment, saved, default)',
    description: 'The password is never returned: only whether it is set and its last 2 characters.',
  })
  @ApiOkResponse({ type: SippySettingsViewDto })
  get(): SippySettingsView {
    return this.settings.view();
  }

  @Post('test')
  @HttpCode(200)
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test SippySoft settings without saving them',
    description: 'Omit password to test with the saved one (same URL and user only). Same SSRF guard and audit entry as test-connection.',
  })
  @ApiOkResponse({ type: IntegrationTestResultDto, description: 'ok=false with details.cause when the switch cannot be used' })
  @ApiBadRequestResponse({ description: 'Invalid body or refused target; the message names the field' })
  test(@Body() dto: SippySettingsDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<IntegrationTestResult> {
    return this.settings.test(dto, { actor: auth, ip: clientIp(req) });
  }

  @Put()
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test, save and apply SippySoft settings (no restart: the CDR sync moves to the new switch)',
    description: 'The password is stored encrypted (AES-256-GCM). Omit it to keep the saved one (same URL and user only).',
  })
  @ApiOkResponse({ type: SippySettingsSavedDto })
  @ApiBadRequestResponse({ description: 'Invalid body or refused target; the message names the field' })
  @ApiConflictResponse({ description: 'SIPPY_RPC_URL is set: the connection comes from the environment' })
  @ApiUnprocessableEntityResponse({ type: IntegrationSettingsRejectedDto, description: 'The connection test failed: nothing was saved' })
  save(
    @Body() dto: SippySettingsDto,
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
  ): Promise<IntegrationSettingsSaved<SippySettingsView>> {
    return this.settings.save(dto, { actor: auth, ip: clientIp(req) });
  }

  @Delete()
  @ApiOperation({ summary: 'Forget the saved SippySoft settings: the environment and defaults apply again' })
  @ApiOkResponse({ type: SippySettingsViewDto })
  clear(@CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<SippySettingsView> {
    return this.settings.clear({ actor: auth, ip: clientIp(req) });
  }
}

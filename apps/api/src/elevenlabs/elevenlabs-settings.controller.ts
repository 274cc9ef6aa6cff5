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
import type { IntegrationSettingsSaved, IntegrationTestResult, ElevenLabsSettingsView } from '@velora/contracts';
import type { Request } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles, TestConnectionThrottle } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { IntegrationSettingsRejectedDto, IntegrationTestResultDto } from '../settings/dto/settings-view.dto';
import { ElevenLabsSettingsDto, ElevenLabsSettingsSavedDto, ElevenLabsSettingsViewDto } from './dto/elevenlabs-settings.dto';
import { ElevenLabsSettingsService } from './elevenlabs-settings.service';

/** ElevenLabs API key of the Integrations page (admins). */
@ApiTags('elevenlabs')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('elevenlabs/settings')
export class ElevenLabsSettingsController {
  constructor(private readonly settings: ElevenLabsSettingsService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The ElevenLabs API key in force and where it comes from (environment, saved, default)',
    description: 'The key is never returned: only whether it is set and its last 2 characters.',
  })
  @ApiOkResponse({ type: ElevenLabsSettingsViewDto })
  get(): ElevenLabsSettingsView {
    return this.settings.view();
  }

  @Post('test')
  @HttpCode(200)
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test an ElevenLabs API key without saving it (subscription, or models for a key without User read)',
    description: 'Against ELEVENLABS_BASE_URL (never an address from the request). Audited.',
  })
  @ApiOkResponse({
    type: IntegrationTestResultDto,
    description: 'ok=false with details.cause (auth, quota, unreachable…) when the key cannot be used',
  })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  test(@Body() dto: ElevenLabsSettingsDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<IntegrationTestResult> {
    return this.settings.test(dto, { actor: auth, ip: clientIp(req) });
  }

  @Put()
  @TestConnectionThrottle()
  @ApiOperation({
    summary: 'Test, save and apply an ElevenLabs API key (no restart)',
    description: 'The key is stored encrypted (AES-256-GCM).',
  })
  @ApiOkResponse({ type: ElevenLabsSettingsSavedDto })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  @ApiConflictResponse({ description: 'ELEVENLABS_API_KEY is set: the key comes from the environment' })
  @ApiUnprocessableEntityResponse({ type: IntegrationSettingsRejectedDto, description: 'The connection test failed: nothing was saved' })
  save(
    @Body() dto: ElevenLabsSettingsDto,
    @CurrentAuth() auth: AuthContext,
    @Req() req: Request,
  ): Promise<IntegrationSettingsSaved<ElevenLabsSettingsView>> {
    return this.settings.save(dto, { actor: auth, ip: clientIp(req) });
  }

  @Delete()
  @ApiOperation({ summary: 'Forget the saved ElevenLabs key: the environment and defaults apply again' })
  @ApiOkResponse({ type: ElevenLabsSettingsViewDto })
  clear(@CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<ElevenLabsSettingsView> {
    return this.settings.clear({ actor: auth, ip: clientIp(req) });
  }
}

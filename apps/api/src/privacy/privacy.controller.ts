import { Body, Controller, ForbiddenException, Get, HttpCode, NotFoundException, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../auth/auth.controller';
import { CurrentAuth, Roles } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { AuditService } from '../auth/audit.service';
import { CdrRepository } from '../cdrs/cdr.repository';
import { PrivacySettingsDto, PrivacyStatusDto, RevealRequestDto, RevealResponseDto } from './dto/privacy.dto';
import { NumberMaskingService } from './number-masking.service';
import { PrivacySettingsService } from './privacy-settings.service';

/** Privacy (KVKK/GDPR): the masking settings, what the caller gets, and the audited reveal (docs/security.md#privacy). */
@ApiTags('privacy')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('privacy')
export class PrivacyController {
  constructor(
    private readonly settings: PrivacySettingsService,
    private readonly masking: NumberMaskingService,
    private readonly cdrs: CdrRepository,
    private readonly audit: AuditService,
  ) {}

  @Get('settings')
  @Roles('admin')
  @ApiOperation({ summary: 'The number masking settings (admin)' })
  @ApiOkResponse({ type: PrivacySettingsDto })
  getSettings(): Promise<PrivacySettingsDto> {
    return this.settings.current();
  }

  @Put('settings')
  @Roles('admin')
  @ApiOperation({ summary: 'Change the number masking settings (admin, audited); every API replica applies them within 2 s' })
  @ApiOkResponse({ type: PrivacySettingsDto })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the message names it' })
  async putSettings(@Body() dto: PrivacySettingsDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<PrivacySettingsDto> {
    const before = await this.settings.current();
    const saved = await this.settings.save(dto);
    await this.audit.record({ action: 'privacy.settings_saved', actor: auth, target: 'privacy', ip: clientIp(req), details: { before, after: saved } });
    return saved;
  }

  @Get('me')
  @ApiOperation({ summary: 'Whether the numbers you get are masked and whether you may reveal them' })
  @ApiOkResponse({ type: PrivacyStatusDto })
  async me(@CurrentAuth() auth: AuthContext): Promise<PrivacyStatusDto> {
    const [masked, canReveal] = await Promise.all([this.masking.shouldMask(auth), this.masking.canReveal(auth)]);
    return { masked, can_reveal: canReveal };
  }

  @Post('reveal')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The full caller or callee number of one CDR (roles allowed in reveal_roles; every call is audited)',
    description: 'Refusals are audited too (privacy.reveal_refused).',
  })
  @ApiOkResponse({ type: RevealResponseDto })
  @ApiBadRequestResponse({ description: 'cdr_id or field is invalid; the message names it' })
  @ApiForbiddenResponse({ description: 'Your role may not reveal numbers' })
  @ApiNotFoundResponse({ description: 'No CDR with this id' })
  async reveal(@Body() dto: RevealRequestDto, @CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<RevealResponseDto> {
    const target = `cdr:${dto.cdr_id}`;
    const ip = clientIp(req);
    if (!(await this.masking.canReveal(auth))) {
      await this.audit.record({ action: 'privacy.reveal_refused', actor: auth, target, ip, details: { field: dto.field, role: auth.role } });
      throw new ForbiddenException('Your role may not reveal phone numbers (privacy settings: reveal_roles)');
    }
    const cdr = await this.cdrs.findById(dto.cdr_id);
    if (cdr === null) throw new NotFoundException(`No CDR with id ${dto.cdr_id}`);
    // the audit entry names the CDR and the field, never the number itself (the log is read by other admins)
    await this.audit.record({ action: 'privacy.number_revealed', actor: auth, target, ip, details: { field: dto.field, role: auth.role } });
    return { cdr_id: cdr.id, field: dto.field, value: cdr[dto.field] };
  }
}

import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AllowPendingPasswordChange, CurrentAuth, LoginThrottle, Public } from './auth.decorators';
import { AuthService, type ApiTokenView, type CreatedApiToken, type IssuedSession } from './auth.service';
import { AuditService } from './audit.service';
import { type AuthContext, CSRF_COOKIE, type PublicUser, SESSION_COOKIE } from './auth.types';
import { clearSessionCookies, sessionCookieOptions, setSessionCookies } from './session-cookies';
import {
  ApiTokenDto,
  ChangePasswordDto,
  CreatedApiTokenDto,
  CreateTokenDto,
  IdParamDto,
  LoginDto,
  MeDto,
  SessionDto,
  TokenListQueryDto,
} from './dto/auth.dto';

export function clientIp(req: Request): string | null {
  return req.ip ?? req.socket.remoteAddress ?? null;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  private setSessionCookies(req: Request, res: Response, session: IssuedSession): SessionDto {
    return setSessionCookies(req, res, session, this.auth.sessionLifetimeMs);
  }

  @Post('login')
  @Public()
  @LoginThrottle()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in: sets the velora_session cookie (httpOnly) and the velora_csrf cookie',
    description: 'Send the velora_csrf value back in the X-CSRF-Token header on every POST/PUT/PATCH/DELETE made with the cookie.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (also for disabled or unknown accounts)' })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    const session = await this.auth.login(dto.email, dto.password, clientIp(req));
    return this.setSessionCookies(req, res, session);
  }

  @Post('logout')
  @AllowPendingPasswordChange()
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOperation({ summary: 'Sign out: clears the session cookies (needs X-CSRF-Token)' })
  @ApiNoContentResponse()
  async logout(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    clearSessionCookies(req, res);
    await this.audit.record({ action: 'auth.logout', actor: auth, target: auth.email, ip: clientIp(req), details: { via: auth.via } });
  }

  @Get('me')
  @AllowPendingPasswordChange()
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user (renews a missing velora_csrf cookie)' })
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  async me(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PublicUser & { auth: AuthContext['via'] }> {
    const user = await this.auth.me(auth);
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    if (auth.via === 'session' && !cookies?.[CSRF_COOKIE]) {
      res.cookie(CSRF_COOKIE, randomBytes(32).toString('base64url'), sessionCookieOptions(req, this.auth.sessionLifetimeMs, false));
    }
    return { ...user, auth: auth.via };
  }

  @Post('change-password')
  @AllowPendingPasswordChange()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your password; your other sessions end, this one gets new cookies' })
  @ApiOkResponse({ type: SessionDto })
  @ApiBadRequestResponse({ description: 'current_password wrong, new_password too short (min 12) or unchanged' })
  async changePassword(@CurrentAuth() auth: AuthContext, @Body() dto: ChangePasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    const session = await this.auth.changePassword(auth, dto.current_password, dto.new_password, clientIp(req));
    if (auth.via === 'session') return this.setSessionCookies(req, res, session);
    return { user: session.user, csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() };
  }

  @Get('tokens')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your API tokens (admins: user_id=… or all=true for other users)' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  @ApiForbiddenResponse({ description: "Agents asking for other users' tokens" })
  listTokens(@CurrentAuth() auth: AuthContext, @Query() query: TokenListQueryDto): Promise<ApiTokenView[]> {
    return this.auth.listTokens(auth, { userId: query.user_id, all: query.all });
  }

  @Post('tokens')
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an API token for machine clients (Authorization: Bearer vlr_…); the token is shown only here' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  createToken(@CurrentAuth() auth: AuthContext, @Body() dto: CreateTokenDto, @Req() req: Request): Promise<CreatedApiToken> {
    return this.auth.createToken(auth, dto.name, dto.expires_in_days, clientIp(req));
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke an API token (yours; admins: anyone\'s). Idempotent.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such token (or not yours)' })
  revokeToken(@CurrentAuth() auth: AuthContext, @Param() params: IdParamDto, @Req() req: Request): Promise<void> {
    return this.auth.revokeToken(auth, params.id, clientIp(req));
  }
}

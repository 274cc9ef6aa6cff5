import { BadGatewayException, Controller, GatewayTimeoutException, Get, NotFoundException, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiFoundResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginThrottle, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { clientIp } from './auth.controller';
import { OidcConfigDto, OidcLoginQueryDto } from './dto/oidc.dto';
import { OidcError, safeReturnTo, type SsoErrorCode } from './oidc-claims';
import { OIDC_FLOW_COOKIE, OIDC_FLOW_COOKIE_PATH, OIDC_FLOW_LIFETIME_MS, OidcService, type OidcPublicConfig } from './oidc.service';
import { setSessionCookies } from './session-cookies';

/** The login page with the reason of a failed SSO sign-in (and where the user was going). */
function loginPageWithError(code: SsoErrorCode, returnTo: string): string {
  const params = new URLSearchParams({ sso_error: code });
  if (returnTo !== '/') params.set('returnUrl', returnTo);
  return `/login?${params.toString()}`;
}

/** The query string exactly as the issuer sent it (code, state, iss, session_state, error…). */
function rawQuery(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf('?');
  return new URLSearchParams(at >= 0 ? req.originalUrl.slice(at + 1) : '');
}

/**
 * Single sign-on with an OpenID Connect issuer (Keycloak, Azure AD / Entra ID, …). Browser endpoints: they
 * answer with redirects, never with tokens. 404 while OIDC_ISSUER_URL is unset (except /config).
 */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly auth: AuthService,
  ) {}

  @Get('config')
  @Public()
  @ApiOperation({ summary: 'Whether single sign-on is available, and the label of its button (public, for the login page)' })
  @ApiOkResponse({ type: OidcConfigDto })
  config(): OidcPublicConfig {
    return this.oidc.publicConfig();
  }

  @Get('login')
  @Public()
  @LoginThrottle()
  @ApiOperation({
    summary: 'Start an SSO sign-in: redirects the browser to the issuer',
    description:
      'Sets the short-lived velora_oidc_flow cookie (signed; state, nonce, PKCE verifier; httpOnly, SameSite=lax, path /api/auth/oidc) ' +
      'and answers 302 to the issuer\'s authorization endpoint. If the issuer cannot be reached, browsers are sent to ' +
      '/login?sso_error=issuer_unreachable and other clients get 502/504.',
  })
  @ApiFoundResponse({ description: 'Redirect to the issuer (or to /login?sso_error=… when it is unreachable)' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  @ApiBadGatewayResponse({ description: 'The issuer failed (non-browser clients)' })
  @ApiGatewayTimeoutResponse({ description: 'The issuer did not answer in time (non-browser clients)' })
  async login(@Query() query: OidcLoginQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.oidc.assertEnabled();
    res.setHeader('Cache-Control', 'no-store');
    const returnTo = safeReturnTo(query.return_to);
    try {
      const begun = await this.oidc.beginLogin(this.oidc.redirectUriFor(`${req.protocol}://${req.get('host') ?? 'localhost'}`), returnTo);
      res.cookie(OIDC_FLOW_COOKIE, begun.flowToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: OIDC_FLOW_COOKIE_PATH, maxAge: OIDC_FLOW_LIFETIME_MS });
      res.redirect(302, begun.authorizationUrl);
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      if (req.accepts(['json', 'html']) === 'html') {
        res.redirect(302, loginPageWithError(error.code, returnTo));
        return;
      }
      throw error.timedOut ? new GatewayTimeoutException(error.message) : new BadGatewayException(error.message);
    }
  }

  @Get('callback')
  @Public()
  @LoginThrottle()
  @ApiOperation({
    summary: 'The issuer redirects here after the sign-in (redirect_uri); sets the Velora session cookies',
    description:
      'Checks state against the velora_oidc_flow cookie, exchanges the code (PKCE), verifies the ID token against the issuer\'s ' +
      'JWKS (signature, iss, aud, exp, nonce), finds or creates the user, then redirects to return_to. Any failure redirects ' +
      'to /login?sso_error=<code> (flow_expired, state_mismatch, idp_error, issuer_unreachable, token_invalid, no_email, ' +
      'email_unverified, not_allowed, disabled, internal).',
  })
  @ApiQuery({ name: 'code', required: false, description: 'Authorization code' })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'error', required: false, description: 'Set by the issuer when it refused the sign-in' })
  @ApiFoundResponse({ description: 'Redirect to return_to (signed in) or to /login?sso_error=…' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.oidc.enabled) throw new NotFoundException('Single sign-on is not configured (OIDC_ISSUER_URL is unset)');
    res.setHeader('Cache-Control', 'no-store');
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    const flowToken = cookies?.[OIDC_FLOW_COOKIE];
    // one use only: the flow cookie goes whatever happens
    res.clearCookie(OIDC_FLOW_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: OIDC_FLOW_COOKIE_PATH });
    try {
      const { session, returnTo } = await this.oidc.completeLogin(flowToken, rawQuery(req), clientIp(req));
      setSessionCookies(req, res, session, this.auth.sessionLifetimeMs);
      res.redirect(302, returnTo);
    } catch (error) {
      const code = error instanceof OidcError ? error.code : 'internal';
      res.redirect(302, loginPageWithError(code, await this.oidc.returnToOf(flowToken)));
    }
  }
}

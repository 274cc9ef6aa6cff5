import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { ALLOW_PENDING_PASSWORD_CHANGE, IS_PUBLIC, OWN_AUTHENTICATION, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { OidcService } from './oidc.service';
import { API_TOKEN_PREFIX, type AuthContext, type AuthenticatedRequest, CSRF_COOKIE, CSRF_HEADER, type Role, SESSION_COOKIE } from './auth.types';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_FAILED = 'CSRF token missing or invalid';
/** header.payload.signature (base64url): a JWT access token from the SSO issuer. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Global guard (APP_GUARD). Identifies the caller by `Authorization: Bearer vlr_…` (API token), a Bearer JWT
 * access token from the SSO issuer (OIDC_ACCEPT_BEARER_TOKENS) or the `velora_session` cookie (JWT), then:
 * - no valid credentials → 401, unless the route is @Public();
 * - cookie sessions on POST/PUT/PATCH/DELETE must echo the `velora_csrf` cookie in X-CSRF-Token → 403;
 * - must_change_password → 403 except on @AllowPendingPasswordChange() routes;
 * - @Roles(...) not matched → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(OWN_AUTHENTICATION, targets) === true) return true; // its own guard decides
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true;

    const caller = await this.identify(req, res, isPublic);
    if (caller === null) {
      if (isPublic) return true;
      res.setHeader('WWW-Authenticate', 'Bearer realm="velora"');
      throw new UnauthorizedException('Authentication required: sign in, or send Authorization: Bearer <API token>');
    }
    req.auth = caller;
    if (isPublic) return true;

    if (caller.via === 'session' && !SAFE_METHODS.has(req.method.toUpperCase())) {
      const cookies = req.cookies as Record<string, string | undefined> | undefined;
      const cookie = cookies?.[CSRF_COOKIE];
      const header = req.headers[CSRF_HEADER];
      if (typeof cookie !== 'string' || typeof header !== 'string' || !sameSecret(cookie, header)) {
        throw new ForbiddenException(CSRF_FAILED);
      }
    }
    if (caller.mustChangePassword && this.reflector.get<boolean | undefined>(ALLOW_PENDING_PASSWORD_CHANGE, context.getHandler()) !== true) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: 'password_change_required',
        message: 'Password change required: POST /api/auth/change-password first',
      });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles !== undefined && !roles.includes(caller.role)) {
      throw new ForbiddenException(`This action needs the ${roles.join(' or ')} role`);
    }
    return true;
  }

  private async identify(req: AuthenticatedRequest, res: Response, isPublic: boolean): Promise<AuthContext | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
      const token = match?.[1];
      const isJwt = token !== undefined && !token.startsWith(API_TOKEN_PREFIX) && JWT_SHAPE.test(token);
      const caller = token === undefined ? null : isJwt ? await this.oidc.authenticateAccessToken(token) : await this.auth.authenticateToken(token);
      if (caller === null) {
        // wrong credentials are an error even on public routes: the client believes it is signed in
        res.setHeader('WWW-Authenticate', 'Bearer realm="velora", error="invalid_token"');
        throw new UnauthorizedException(
          token === undefined ? 'Authorization header must be "Bearer <API token>"' : isJwt && this.oidc.acceptsBearerTokens ? 'Invalid or expired access token, or no Velora user for it' : 'Invalid, expired or revoked API token',
        );
      }
      return caller;
    }
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    const session = cookies?.[SESSION_COOKIE];
    if (typeof session === 'string' && session.length > 0) {
      const caller = await this.auth.authenticateSession(session);
      if (caller === null && !isPublic) {
        throw new UnauthorizedException('Session expired or invalid: sign in again');
      }
      return caller;
    }
    return null;
  }
}

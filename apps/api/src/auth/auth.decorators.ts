import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RateLimitGuard } from './throttler.guard';
import type { AuthContext, AuthenticatedRequest, Role } from './auth.types';

export const IS_PUBLIC = 'velora:public';
export const REQUIRED_ROLES = 'velora:roles';
export const ALLOW_PENDING_PASSWORD_CHANGE = 'velora:allow-pending-password-change';
export const OWN_AUTHENTICATION = 'velora:own-authentication';

/** The route needs no authentication (AuthGuard still identifies a caller who sends credentials). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route authenticates its callers itself with a guard of its own (GET /metrics: METRICS_TOKEN). AuthGuard
 * neither identifies nor rejects anybody there, so neither sessions nor API tokens open it.
 */
export const OwnAuthentication = (): MethodDecorator & ClassDecorator => SetMetadata(OWN_AUTHENTICATION, true);

/** Only these roles may call the route (403 otherwise). Without it any signed-in user may. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}` }),
  );

/** The route stays usable while the user must change their password (me, change-password, logout). */
export const AllowPendingPasswordChange = (): MethodDecorator => SetMetadata(ALLOW_PENDING_PASSWORD_CHANGE, true);

/** The caller as AuthGuard identified them (undefined only on @Public routes called anonymously). */
export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
});

/** Throttler names (see AuthModule). */
export const THROTTLE_LOGIN = 'login';
export const THROTTLE_LOGIN_IP = 'login-ip';
export const THROTTLE_TEST_CONNECTION = 'test-connection';

/** Login attempts: per IP + email and per IP (429 with Retry-After). */
export const LoginThrottle = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle({ [THROTTLE_TEST_CONNECTION]: true }),
    ApiTooManyRequestsResponse({ description: 'Too many login attempts; Retry-After says when to try again' }),
  );

/** Connection tests: per user (429 with Retry-After). */
export const TestConnectionThrottle = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle({ [THROTTLE_LOGIN]: true, [THROTTLE_LOGIN_IP]: true }),
    ApiTooManyRequestsResponse({ description: 'Too many connection tests; Retry-After says when to try again' }),
  );

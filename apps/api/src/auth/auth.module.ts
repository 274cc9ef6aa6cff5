import { Global, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { ApiTokensRepository } from './api-tokens.repository';
import { AppSettingsRepository } from './app-settings.repository';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';
import { AuthController } from './auth.controller';
import { THROTTLE_LOGIN, THROTTLE_LOGIN_IP, THROTTLE_TEST_CONNECTION } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DatabaseThrottlerStorage } from './database-throttler.storage';
import { RateLimitStorageModule } from './rate-limit-storage.module';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import type { AuthenticatedRequest } from './auth.types';
import { SessionSecretService } from './session-secret.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const MINUTE_MS = 60_000;

function ipOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function loginEmailOf(req: Request): string {
  const body: unknown = req.body;
  const email = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['email'] : undefined;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
}

/**
 * Rate limits, counted in the database so that all replicas share them: login per IP+email and per IP,
 * test-connection per user.
 */
const throttler = ThrottlerModule.forRootAsync({
  imports: [RateLimitStorageModule],
  inject: [AppConfig, DatabaseThrottlerStorage],
  useFactory: (config: AppConfig, storage: DatabaseThrottlerStorage) => ({
    storage,
    errorMessage: 'Too many requests: wait a minute and try again (see Retry-After)',
    throttlers: [
      {
        name: THROTTLE_LOGIN,
        ttl: MINUTE_MS,
        limit: config.auth.loginRateLimit,
        getTracker: (req) => `${ipOf(req as Request)}|${loginEmailOf(req as Request)}`,
      },
      { name: THROTTLE_LOGIN_IP, ttl: MINUTE_MS, limit: config.auth.loginRateLimit * 5, getTracker: (req) => ipOf(req as Request) },
      {
        name: THROTTLE_TEST_CONNECTION,
        ttl: MINUTE_MS,
        limit: config.sippy.testRateLimit,
        getTracker: (req) => (req as AuthenticatedRequest).auth?.userId ?? ipOf(req as Request),
      },
    ],
  }),
});

/** Users, sessions, API tokens, roles (global AuthGuard), audit log, rate limits. Global: AuditService is used by features. */
@Global()
@Module({
  imports: [JwtModule.register({}), throttler],
  controllers: [AuthController, OidcController, UsersController, AuditLogController],
  providers: [
    UsersRepository,
    ApiTokensRepository,
    AuditLogRepository,
    AppSettingsRepository,
    AuditService,
    SessionSecretService,
    AuthService,
    OidcService,
    UsersService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuditService, AuthService, UsersService, AppSettingsRepository],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly secret: SessionSecretService,
    private readonly users: UsersService,
  ) {}

  /** After migrations (DatabaseService.onModuleInit): load/generate the session key, create the first admin. */
  async onApplicationBootstrap(): Promise<void> {
    await this.secret.get();
    await this.users.ensureInitialAdmin();
  }
}

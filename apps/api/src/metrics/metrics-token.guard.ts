import { type CanActivate, type ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** Compared as SHA-256 digests: equal length, constant time, and the token's length does not leak either. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * GET /metrics on the main port: 404 while METRICS_TOKEN is unset (the endpoint does not exist for anybody),
 * otherwise `Authorization: Bearer <METRICS_TOKEN>` or 401. User sessions and API tokens do not open it: the
 * global AuthGuard steps aside for this route (@OwnAuthentication) and this guard alone decides.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.metrics.token;
    if (expected === undefined) {
      throw new NotFoundException();
    }
    const req = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const given = match?.[1];
    if (given === undefined || !sameToken(given, expected)) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="velora-metrics"');
      throw new UnauthorizedException('Metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    return true;
  }
}

import { type CallHandler, type ExecutionContext, HttpException, Injectable, type NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { catchError, map, type Observable, throwError } from 'rxjs';
import type { AuthenticatedRequest } from './auth.types';

type IndicatorMap = Record<string, unknown>;

function redactIndicators(value: unknown): IndicatorMap | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: IndicatorMap = {};
  for (const [key, indicator] of Object.entries(value as IndicatorMap)) {
    const i = (typeof indicator === 'object' && indicator !== null ? indicator : {}) as Record<string, unknown>;
    out[key] = {
      status: typeof i['status'] === 'string' ? i['status'] : 'down',
      ...(typeof i['state'] === 'string' ? { state: i['state'] } : {}),
      ...(typeof i['cause'] === 'string' ? { cause: i['cause'] } : {}),
    };
  }
  return out;
}

/** A Terminus result reduced to up/down, the state (up/degraded/down) and the cause of each indicator: no hosts, ids, versions or sync details. */
export function redactHealthResult(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('status' in body)) return body;
  const b = body as Record<string, unknown>;
  const out: Record<string, unknown> = { status: b['status'] };
  for (const key of ['info', 'error', 'details'] as const) {
    const redacted = redactIndicators(b[key]);
    if (redacted !== undefined) out[key] = redacted;
  }
  return out;
}

/**
 * On the anonymous health probes (Kubernetes): callers without credentials get only up/down and the cause;
 * signed-in callers get the full details.
 */
@Injectable()
export class AnonymousHealthInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (req.auth !== undefined) return next.handle();
    return next.handle().pipe(
      map(redactHealthResult),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof HttpException && error.getStatus() === 503 ? new ServiceUnavailableException(redactHealthResult(error.getResponse())) : error,
        ),
      ),
    );
  }
}

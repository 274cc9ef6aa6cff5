import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { ElevenLabsApiError, type ElevenLabsErrorKind } from '@velora/integrations';
import type { Response } from 'express';
import { explainElevenLabsError } from './elevenlabs-error.messages';

const STATUS: Record<ElevenLabsErrorKind, HttpStatus> = {
  auth: HttpStatus.BAD_GATEWAY, // our key is wrong: not the caller's fault
  quota: HttpStatus.BAD_GATEWAY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.BAD_REQUEST,
  timeout: HttpStatus.GATEWAY_TIMEOUT,
  unreachable: HttpStatus.BAD_GATEWAY,
  http: HttpStatus.BAD_GATEWAY,
  protocol: HttpStatus.BAD_GATEWAY,
  config: HttpStatus.SERVICE_UNAVAILABLE,
};

const PHRASE: Record<number, string> = {
  400: 'Bad Request',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * ElevenLabsApiError → 400 (the request was refused: validation, unknown voice), 429 (rate limited,
 * with Retry-After), 502 (key, quota, provider failures), 503 (not configured), 504 (timeout).
 * The body carries the provider's reason.
 */
@Catch(ElevenLabsApiError)
export class ElevenLabsErrorFilter implements ExceptionFilter<ElevenLabsApiError> {
  private readonly logger = new Logger(ElevenLabsErrorFilter.name);

  catch(error: ElevenLabsApiError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = STATUS[error.kind];
    this.logger.warn(`upstream ElevenLabs error (${error.kind}): ${error.message}${error.requestId ? ` [request ${error.requestId}]` : ''}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status === HttpStatus.TOO_MANY_REQUESTS) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds ?? 1));
    }
    res.status(status).json({
      statusCode: status,
      error: PHRASE[status],
      message: explainElevenLabsError(error),
      upstream: 'elevenlabs',
      cause: error.kind,
      provider_status: error.providerStatus ?? null,
      provider_message: error.providerMessage ?? null,
      request_id: error.requestId ?? null,
    });
  }
}

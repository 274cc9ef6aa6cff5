import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { SippyError } from '@velora/sippy';
import type { Response } from 'express';
import { explainSippyError } from './sippy-error.messages';

/** SippyError → 504 for a timeout, 503 for missing configuration, 502 for any other upstream failure. */
@Catch(SippyError)
export class SippyErrorFilter implements ExceptionFilter<SippyError> {
  private readonly logger = new Logger(SippyErrorFilter.name);

  catch(error: SippyError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status =
      error.kind === 'timeout'
        ? HttpStatus.GATEWAY_TIMEOUT
        : error.kind === 'config'
          ? HttpStatus.SERVICE_UNAVAILABLE
          : HttpStatus.BAD_GATEWAY;
    this.logger.warn(`upstream SippySoft error (${error.kind}): ${error.message}`);
    res.status(status).json({
      statusCode: status,
      error: status === HttpStatus.GATEWAY_TIMEOUT ? 'Gateway Timeout' : status === HttpStatus.BAD_GATEWAY ? 'Bad Gateway' : 'Service Unavailable',
      message: explainSippyError(error),
      upstream: 'sippysoft',
      cause: error.kind,
    });
  }
}

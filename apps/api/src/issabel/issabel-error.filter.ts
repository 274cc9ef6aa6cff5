import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { AmiError } from '@velora/integrations';
import type { Response } from 'express';
import { explainAmiError } from './issabel-error.messages';

/** AmiError → 504 for a timeout, 503 for configuration, 502 for any other PBX failure; the message names the cause. */
@Catch(AmiError)
export class IssabelErrorFilter implements ExceptionFilter<AmiError> {
  private readonly logger = new Logger(IssabelErrorFilter.name);

  catch(error: AmiError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status =
      error.kind === 'timeout' ? HttpStatus.GATEWAY_TIMEOUT : error.kind === 'config' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    this.logger.warn(`upstream Issabel AMI error (${error.kind}): ${error.message}`);
    res.status(status).json({
      statusCode: status,
      error: status === HttpStatus.GATEWAY_TIMEOUT ? 'Gateway Timeout' : status === HttpStatus.BAD_GATEWAY ? 'Bad Gateway' : 'Service Unavailable',
      message: explainAmiError(error),
      upstream: 'issabel',
      cause: error.kind,
    });
  }
}

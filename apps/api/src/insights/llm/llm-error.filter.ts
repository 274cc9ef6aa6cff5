import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { LlmError } from './llm.client';

/**
 * LlmError (only thrown where the model was asked for on demand: POST /api/insights/narrative/regenerate) → 504 when
 * it timed out, 502 otherwise. The body names the upstream (the host of LLM_BASE_URL), never the key.
 */
@Catch(LlmError)
export class LlmErrorFilter implements ExceptionFilter<LlmError> {
  private readonly logger = new Logger(LlmErrorFilter.name);

  catch(error: LlmError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = error.kind === 'timeout' ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    this.logger.warn(`upstream language model error (${error.kind}): ${error.message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({
      statusCode: status,
      error: status === HttpStatus.GATEWAY_TIMEOUT ? 'Gateway Timeout' : 'Bad Gateway',
      message: error.message,
      upstream: 'llm',
      upstream_host: error.upstream,
      cause: error.kind,
      provider_status: error.status ?? null,
    });
  }
}

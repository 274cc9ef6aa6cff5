import { ErrorHandler, Injectable } from '@angular/core';
import { isApiError } from '../http/api-error';

/**
 * Last-resort handler. API failures are already shown where they happen (banners, cards), so they
 * are logged briefly instead of with a stack; anything else is a bug and is logged in full.
 */
@Injectable()
export class AppErrorHandler implements ErrorHandler {
  handleError(error: unknown): void {
    if (isApiError(error)) {
      console.warn(`[velora] unhandled API error ${error.status} (${error.kind}) for ${error.url ?? '?'}`);
      return;
    }
    console.error('[velora] unexpected error', error);
  }
}

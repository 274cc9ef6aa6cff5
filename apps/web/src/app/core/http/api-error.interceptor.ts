import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { catchError, throwError } from 'rxjs';
import { ApiError, apiErrorKindForStatus, parseRetryAfter, serverMessages } from './api-error';

/**
 * Turns every failed `/api` call into an `ApiError` with a translated message. Translation files and
 * other non-API requests pass through untouched.
 */
export const apiErrorInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiRequest(request.url)) {
    return next(request);
  }
  const transloco = inject(TranslocoService);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) {
        return throwError(() => error);
      }
      const kind = apiErrorKindForStatus(error.status);
      const messageKey = `errors.${kind}`;
      const body: unknown =
        typeof ProgressEvent !== 'undefined' && error.error instanceof ProgressEvent ? null : error.error;
      return throwError(
        () =>
          new ApiError(
            kind,
            error.status,
            messageKey,
            transloco.translate(messageKey, { status: error.status }),
            serverMessages(body),
            body,
            error.url ?? request.url,
            parseRetryAfter(error.headers.get('Retry-After')),
          ),
      );
    }),
  );
};

function isApiRequest(url: string): boolean {
  try {
    return new URL(url, 'http://relative.invalid').pathname.includes('/api/');
  } catch {
    return false;
  }
}

import { DOCUMENT } from '@angular/common';
import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { isApiError } from '../http/api-error';
import { loginUrlTree } from './auth.guards';
import { AuthService } from './auth.service';

export const CSRF_COOKIE = 'velora_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** These answer 401 as part of their job: a wrong password, or "not signed in" for the guard. */
const OWN_401_PATHS = ['/api/auth/login', '/api/auth/me'];

/**
 * Session handling for `/api` calls:
 * - an API on another origin (`apiBaseUrl`) gets `withCredentials` and the `X-CSRF-Token` header on
 *   POST/PUT/PATCH/DELETE (Angular's XSRF support only covers relative URLs);
 * - a 401 (session expired, revoked, user disabled) clears the user and opens `/login?returnUrl=…`;
 * - a 403 `password_change_required` makes the shell ask for a new password.
 * Register it before `apiErrorInterceptor`; it reads both `ApiError`s and raw `HttpErrorResponse`s.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const url = parseUrl(request.url, inject(DOCUMENT));
  if (url === null || !url.pathname.includes('/api/')) {
    return next(request);
  }
  const auth = inject(AuthService);
  const router = inject(Router);
  const document = inject(DOCUMENT);

  let outgoing = request;
  if (url.origin !== document.location.origin) {
    const token = SAFE_METHODS.has(request.method) ? null : (readCookie(document, CSRF_COOKIE) ?? auth.csrfToken());
    outgoing = request.clone({
      withCredentials: true,
      ...(token !== null && !request.headers.has(CSRF_HEADER) ? { setHeaders: { [CSRF_HEADER]: token } } : {}),
    });
  }

  return next(outgoing).pipe(
    catchError((error: unknown) => {
      const { status, body } = statusAndBody(error);
      if (status === 401 && !OWN_401_PATHS.some((path) => url.pathname.endsWith(path))) {
        if (auth.sessionExpired()) {
          void router.navigateByUrl(loginUrlTree(router, router.url));
        }
      } else if (status === 403 && isPasswordChangeRequired(body)) {
        auth.passwordChangeRequired();
      }
      return throwError(() => error);
    }),
  );
};

function parseUrl(url: string, document: Document): URL | null {
  try {
    return new URL(url, document.location.href);
  } catch {
    return null;
  }
}

function statusAndBody(error: unknown): { status: number | null; body: unknown } {
  if (isApiError(error)) return { status: error.status, body: error.body };
  if (error instanceof HttpErrorResponse) return { status: error.status, body: error.error };
  return { status: null, body: null };
}

function isPasswordChangeRequired(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)['code'] === 'password_change_required';
}

export function readCookie(document: Document, name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return value === '' ? null : decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

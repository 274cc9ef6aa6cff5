import { inject } from '@angular/core';
import { CanActivateChildFn, CanActivateFn, Router, UrlTree } from '@angular/router';
import { Observable, catchError, map, of } from 'rxjs';
import { AuthService } from './auth.service';

export const LOGIN_PATH = '/login';

/**
 * Where to go after signing in: only a path inside the app (`/…`, not `//host` or `/\host`, which
 * browsers read as another origin), never back to the login page. Anything else gives `/`.
 */
export function safeReturnUrl(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return '/';
  }
  if (value === LOGIN_PATH || value.startsWith(`${LOGIN_PATH}?`) || value.startsWith(`${LOGIN_PATH}/`)) {
    return '/';
  }
  return value;
}

/** `/login?returnUrl=<url>` (no returnUrl for the start page). */
export function loginUrlTree(router: Router, returnUrl: string): UrlTree {
  const target = safeReturnUrl(returnUrl);
  return router.createUrlTree([LOGIN_PATH], target === '/' ? {} : { queryParams: { returnUrl: target } });
}

function requireSession(url: string): Observable<true | UrlTree> {
  const router = inject(Router);
  return inject(AuthService)
    .session()
    .pipe(
      map((user) => (user !== null ? (true as const) : loginUrlTree(router, url))),
      // API unreachable: the login page says so when the user tries to sign in
      catchError(() => of(loginUrlTree(router, url))),
    );
}

/** Every page but the login page: no session → `/login?returnUrl=…`. */
export const authGuard: CanActivateFn = (_route, state) => requireSession(state.url);
export const authChildGuard: CanActivateChildFn = (_route, state) => requireSession(state.url);

/** Admin-only pages: agents go to the start page (the API would answer 403 anyway). */
export const adminGuard: CanActivateFn = (_route, state) => {
  const router = inject(Router);
  return inject(AuthService)
    .session()
    .pipe(
      map((user) => {
        if (user === null) return loginUrlTree(router, state.url);
        return user.role === 'admin' ? true : router.parseUrl('/');
      }),
      catchError(() => of(loginUrlTree(router, state.url))),
    );
};

/** The login page: somebody already signed in goes where they were headed. */
export const guestGuard: CanActivateFn = (route) => {
  const router = inject(Router);
  return inject(AuthService)
    .session()
    .pipe(
      map((user) => (user === null ? true : router.parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl'))))),
      catchError(() => of(true)),
    );
};

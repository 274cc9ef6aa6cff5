import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Observable, catchError, finalize, map, of, shareReplay, tap, throwError } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import { isApiError } from '../http/api-error';
import type { Me, Session, SsoConfig, User } from './auth.models';

/**
 * Who is signed in. The session itself is the httpOnly `velora_session` cookie, which the app cannot
 * read: `GET /api/auth/me` tells whether it is valid. State lives in signals so the shell, the guards
 * and role-dependent UI follow it.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  private readonly current = signal<User | null>(null);
  /** True once the app knows whether there is a session (after `me`, a login or a 401). */
  private known = false;
  private pending: Observable<User | null> | null = null;
  private csrf: string | null = null;

  /** The signed-in user, or null. */
  readonly user = this.current.asReadonly();
  readonly role = computed(() => this.current()?.role ?? null);
  readonly isAdmin = computed(() => this.current()?.role === 'admin');
  readonly mustChangePassword = computed(() => this.current()?.must_change_password === true);

  /**
   * The CSRF token of the last login/password change. The interceptor uses it when the API is on
   * another site, where the `velora_csrf` cookie is not readable from the page.
   */
  csrfToken(): string | null {
    return this.csrf;
  }

  /**
   * The current session, asked from the API once (`GET /api/auth/me`) and then remembered: the user,
   * or null when not signed in (401). Other failures (API unreachable, 5xx) are errors and are not
   * remembered, so the next navigation asks again.
   */
  session(): Observable<User | null> {
    if (this.known) {
      return of(this.current());
    }
    this.pending ??= this.http.get<Me>(`${this.baseUrl}/api/auth/me`).pipe(
      map((me): User | null => withoutVia(me)),
      catchError((error: unknown) => (isApiError(error) && error.status === 401 ? of(null) : throwError(() => error))),
      tap((user) => { this.setUser(user); }),
      finalize(() => (this.pending = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.pending;
  }

  /** `POST /api/auth/login`: the API sets the session and CSRF cookies. Errors are `ApiError`s (401, 429…). */
  login(email: string, password: string): Observable<User> {
    return this.http.post<Session>(`${this.baseUrl}/api/auth/login`, { email, password }).pipe(
      tap((session) => { this.accept(session); }),
      map((session) => session.user),
    );
  }

  /** `GET /api/auth/oidc/config`; SSO counts as off when the API cannot say (the password form still works). */
  ssoConfig(): Observable<SsoConfig> {
    return this.http
      .get<SsoConfig>(`${this.baseUrl}/api/auth/oidc/config`)
      .pipe(catchError(() => of<SsoConfig>({ enabled: false, display_name: null })));
  }

  /**
   * Where the SSO button goes: a full-page navigation to the API, which redirects to the identity provider
   * and, after the sign-in, back to `returnUrl` (a path in the app; anything else is dropped).
   */
  ssoLoginUrl(returnUrl: string): string {
    const query = returnUrl === '/' ? '' : `?return_to=${encodeURIComponent(returnUrl)}`;
    return `${this.baseUrl}/api/auth/oidc/login${query}`;
  }

  /**
   * `POST /api/auth/logout`. The local state is cleared whatever the answer (an expired session or
   * an unreachable API must not keep the user "signed in" in the page).
   */
  logout(): Observable<void> {
    return this.http.post(`${this.baseUrl}/api/auth/logout`, null).pipe(
      catchError(() => of(undefined)),
      map(() => undefined),
      finalize(() => { this.clear(); }),
    );
  }

  /** `POST /api/auth/change-password`: the API ends the other sessions and renews this one's cookies. */
  changePassword(currentPassword: string, newPassword: string): Observable<User> {
    return this.http
      .post<Session>(`${this.baseUrl}/api/auth/change-password`, {
        current_password: currentPassword,
        new_password: newPassword,
      })
      .pipe(
        tap((session) => { this.accept(session); }),
        map((session) => session.user),
      );
  }

  /**
   * The API answered 401 to a signed-in call: the session expired or was revoked. Clears the user and
   * returns true the first time (so only one redirect to the login page happens).
   */
  sessionExpired(): boolean {
    const hadUser = this.current() !== null;
    this.clear();
    return hadUser;
  }

  /** The API answered `password_change_required`: the shell then forces the change-password dialog. */
  passwordChangeRequired(): void {
    const user = this.current();
    if (user !== null && !user.must_change_password) {
      this.current.set({ ...user, must_change_password: true });
    }
  }

  /** Forget the session locally (after logout or a 401). */
  clear(): void {
    this.csrf = null;
    this.setUser(null);
  }

  private accept(session: Session): void {
    this.csrf = session.csrf_token;
    this.setUser(withoutVia(session.user));
  }

  private setUser(user: User | null): void {
    this.known = true;
    this.current.set(user);
  }
}

function withoutVia(user: User | Me): User {
  const { id, email, role, display_name, disabled, must_change_password, created_at, updated_at, last_login_at, sso, password_login } = user;
  return { id, email, role, display_name, disabled, must_change_password, created_at, updated_at, last_login_at, sso, password_login };
}

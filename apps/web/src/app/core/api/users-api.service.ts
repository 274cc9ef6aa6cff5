import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import type { CreateUserRequest, UpdateUserRequest, User } from '../auth/auth.models';
import { API_BASE_URL } from '../config/api-base-url.token';

/** User administration (`/api/users`, admin only). Errors are `ApiError`s; 409 carries the API's reason. */
@Injectable({ providedIn: 'root' })
export class UsersApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  list(): Observable<User[]> {
    return this.http.get<User[]>(`${this.baseUrl}/api/users`);
  }

  create(request: CreateUserRequest): Observable<User> {
    return this.http.post<User>(`${this.baseUrl}/api/users`, request);
  }

  /** Role, name, disabled, or a password reset (the user must then change it at the next sign-in). */
  update(id: string, request: UpdateUserRequest): Observable<User> {
    return this.http.patch<User>(`${this.baseUrl}/api/users/${encodeURIComponent(id)}`, request);
  }

  /** Removes the user's SSO link (`DELETE /api/users/{id}/sso`); answers with the updated user. */
  unlinkSso(id: string): Observable<User> {
    return this.http.delete<User>(`${this.baseUrl}/api/users/${encodeURIComponent(id)}/sso`);
  }

  delete(id: string): Observable<void> {
    return this.http.delete(`${this.baseUrl}/api/users/${encodeURIComponent(id)}`).pipe(map(() => undefined)); // 204
  }
}

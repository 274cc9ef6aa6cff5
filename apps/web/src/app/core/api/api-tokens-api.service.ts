import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import type { ApiToken, CreatedApiToken } from '../auth/auth.models';
import { API_BASE_URL } from '../config/api-base-url.token';

/** The signed-in user's API tokens (`/api/auth/tokens`) for machine clients (`Authorization: Bearer vlr_…`). */
@Injectable({ providedIn: 'root' })
export class ApiTokensApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  list(): Observable<ApiToken[]> {
    return this.http.get<ApiToken[]>(`${this.baseUrl}/api/auth/tokens`);
  }

  /** The response is the only place the token itself ever appears. */
  create(name: string, expiresInDays: number | null): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>(`${this.baseUrl}/api/auth/tokens`, {
      name,
      ...(expiresInDays !== null ? { expires_in_days: expiresInDays } : {}),
    });
  }

  revoke(id: string): Observable<void> {
    return this.http.delete(`${this.baseUrl}/api/auth/tokens/${encodeURIComponent(id)}`).pipe(map(() => undefined)); // 204
  }
}

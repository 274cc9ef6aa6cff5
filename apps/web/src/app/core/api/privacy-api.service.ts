import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { PrivacySettings, PrivacyStatus, RevealRequest, RevealResponse } from '@velora/contracts';
import type { Observable } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';

/**
 * Privacy (`/api/privacy/*`): the number masking settings (admins), what the signed-in user gets, and the audited
 * reveal of one number of one CDR. The API masks the numbers itself; the web app only shows them.
 */
@Injectable({ providedIn: 'root' })
export class PrivacyApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  settings(): Observable<PrivacySettings> {
    return this.http.get<PrivacySettings>(`${this.baseUrl}/api/privacy/settings`);
  }

  saveSettings(settings: PrivacySettings): Observable<PrivacySettings> {
    return this.http.put<PrivacySettings>(`${this.baseUrl}/api/privacy/settings`, settings);
  }

  status(): Observable<PrivacyStatus> {
    return this.http.get<PrivacyStatus>(`${this.baseUrl}/api/privacy/me`);
  }

  reveal(request: RevealRequest): Observable<RevealResponse> {
    return this.http.post<RevealResponse>(`${this.baseUrl}/api/privacy/reveal`, request);
  }
}

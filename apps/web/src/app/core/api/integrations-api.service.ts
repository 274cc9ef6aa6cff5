import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, map, of, throwError } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import { ApiError, isApiError } from '../http/api-error';
import type {
  IntegrationHealth,
  IntegrationHealthDetails,
  IntegrationId,
  IssabelStatus,
  TestConnectionRequest,
  TestConnectionResult,
} from './api.models';

/**
 * Health and connection tests of the external systems. A 503 health answer is data (the integration
 * is down or not configured), a 404 means the API does not offer that integration yet.
 */
@Injectable({ providedIn: 'root' })
export class IntegrationsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** Never errors: every outcome is an `IntegrationHealth` value. */
  health(integration: IntegrationId): Observable<IntegrationHealth> {
    return this.http.get<unknown>(`${this.baseUrl}/api/${integration}/health`).pipe(
      map((body) => toHealth(integration, body, 200)),
      catchError((error: unknown) => {
        if (!isApiError(error)) {
          return throwError(() => error);
        }
        if (error.status === 404) {
          return of<IntegrationHealth>({ state: 'not_available' });
        }
        if (error.status === 503 && readDetails(integration, error.body)) {
          return of(toHealth(integration, error.body, 503));
        }
        return of<IntegrationHealth>({ state: 'unreachable', error });
      }),
    );
  }

  /**
   * `GET /api/issabel/status`: channels and peers of the PBX. Errors are `ApiError`s: 503 not
   * configured, 502 login/connection refused, 504 timeout.
   */
  issabelStatus(): Observable<IssabelStatus> {
    return this.http.get<IssabelStatus>(`${this.baseUrl}/api/issabel/status`);
  }

  /** `POST /api/sippy/test-connection`. The password is sent once and never read back. */
  testSippyConnection(request: TestConnectionRequest): Observable<TestConnectionResult> {
    return this.http.post<TestConnectionResult>(`${this.baseUrl}/api/sippy/test-connection`, request);
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The integration's entry of a health body (a `HealthCheckBody` when the API answers as documented). */
function readDetails(integration: IntegrationId, body: unknown): IntegrationHealthDetails | null {
  const details = isRecord(body) ? body['details'] : undefined;
  if (!isRecord(details)) {
    return null;
  }
  const own = details[integration] ?? Object.values(details)[0];
  if (!isRecord(own) || (own['status'] !== 'up' && own['status'] !== 'down')) {
    return null;
  }
  return own as unknown as IntegrationHealthDetails; // the status is checked; the rest is shown as sent
}

function toHealth(integration: IntegrationId, body: unknown, httpStatus: number): IntegrationHealth {
  const details = readDetails(integration, body);
  if (!details) {
    const error = new ApiError(
      'unexpected',
      httpStatus,
      'errors.unexpected',
      `Unexpected health response for ${integration}`,
    );
    return { state: 'unreachable', error };
  }
  if (details.mode === 'unconfigured' || details.cause === 'not_configured') {
    return { state: 'not_configured', details };
  }
  return details.status === 'up' ? { state: 'up', details } : { state: 'down', details };
}

import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ConfigurableIntegration,
  ElevenLabsSettingsInput,
  IntegrationSettingsRejected,
  IntegrationSettingsSaved,
  IntegrationSettingsViews,
  IntegrationTestResult,
  IssabelSettingsInput,
  SippySettingsInput,
} from '@velora/contracts';
import type { Observable } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import { type ApiError } from '../http/api-error';

/** The body of a test or a save, per integration. */
export interface IntegrationSettingsInputs {
  readonly sippy: SippySettingsInput;
  readonly issabel: IssabelSettingsInput;
  readonly elevenlabs: ElevenLabsSettingsInput;
}

/**
 * Connection settings of the Integrations page (admins): what is in force and where it comes from, a test of
 * candidate settings, and save (the API tests first: a 422 carries the failed test) or clear. Secrets go out in a
 * request body only; the API never sends them back.
 */
@Injectable({ providedIn: 'root' })
export class IntegrationSettingsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  get<I extends ConfigurableIntegration>(integration: I): Observable<IntegrationSettingsViews[I]> {
    return this.http.get<IntegrationSettingsViews[I]>(this.url(integration));
  }

  test<I extends ConfigurableIntegration>(integration: I, input: IntegrationSettingsInputs[I]): Observable<IntegrationTestResult> {
    return this.http.post<IntegrationTestResult>(`${this.url(integration)}/test`, input);
  }

  save<I extends ConfigurableIntegration>(
    integration: I,
    input: IntegrationSettingsInputs[I],
  ): Observable<IntegrationSettingsSaved<IntegrationSettingsViews[I]>> {
    return this.http.put<IntegrationSettingsSaved<IntegrationSettingsViews[I]>>(this.url(integration), input);
  }

  clear<I extends ConfigurableIntegration>(integration: I): Observable<IntegrationSettingsViews[I]> {
    return this.http.delete<IntegrationSettingsViews[I]>(this.url(integration));
  }

  private url(integration: ConfigurableIntegration): string {
    return `${this.baseUrl}/api/${integration}/settings`;
  }
}

/** The failed test of a refused save (422), or null for any other error. */
export function rejectedTest(error: ApiError): IntegrationTestResult | null {
  if (error.status !== 422 || typeof error.body !== 'object' || error.body === null) return null;
  const test = (error.body as Partial<IntegrationSettingsRejected>).test;
  return typeof test === 'object' && typeof test.ok === 'boolean' && typeof test.message === 'string' ? test : null;
}

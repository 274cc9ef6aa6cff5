import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Insight, InsightNarrative, InsightSeverity, NarrativeLang } from '@velora/contracts';
import type { Observable } from 'rxjs';
import { API_BASE_URL } from '../../../core/config/api-base-url.token';

/** GET /api/insights. */
export interface InsightList {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly history: { readonly since: string | null; readonly weeks: number; readonly required_weeks: number };
  readonly items: readonly Insight[];
}

export interface InsightListQuery {
  readonly from?: string;
  readonly to?: string;
  /** Lowest severity to include. */
  readonly severity?: InsightSeverity;
  readonly limit?: number;
}

/** Typed access to /api/insights. Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class InsightsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  list(query: InsightListQuery = {}): Observable<InsightList> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params = params.set(key, String(value));
    }
    return this.http.get<InsightList>(`${this.baseUrl}/api/insights`, { params });
  }

  /** The daily narrative; without `date` the API answers yesterday's. */
  narrative(lang: NarrativeLang, date?: string): Observable<InsightNarrative> {
    let params = new HttpParams().set('lang', lang);
    if (date !== undefined) params = params.set('date', date);
    return this.http.get<InsightNarrative>(`${this.baseUrl}/api/insights/narrative`, { params });
  }
}

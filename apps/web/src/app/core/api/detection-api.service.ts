import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  DetectionBacktestResult,
  DetectionCdrFlag,
  DetectionFinding,
  DetectionFindingPage,
  DetectionListEntry,
  DetectionNumberSummary,
  DetectionRule,
  DetectionRuleId,
  DetectionRuleThresholds,
  FindingStatus,
} from '@velora/contracts';
import { Observable } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';

export interface FindingListQuery {
  readonly rule?: string | null;
  readonly level?: string | null;
  readonly status?: string | null;
  readonly subject?: string | null;
  readonly cursor?: string | null;
  readonly limit: number;
}

/** Spam and fraud detection (`/api/detection/*`). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class DetectionApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  findings(query: FindingListQuery): Observable<DetectionFindingPage> {
    let params = new HttpParams().set('limit', query.limit);
    for (const key of ['rule', 'level', 'status', 'subject', 'cursor'] as const) {
      const value = query[key];
      if (value !== undefined && value !== null && value !== '') params = params.set(key, value);
    }
    return this.http.get<DetectionFindingPage>(`${this.baseUrl}/api/detection/findings`, { params });
  }

  /** Findings on these CDRs (the live view's badges). */
  cdrFlags(ids: readonly string[]): Observable<DetectionCdrFlag[]> {
    return this.http.get<DetectionCdrFlag[]>(`${this.baseUrl}/api/detection/cdr-flags`, {
      params: new HttpParams().set('ids', ids.join(',')),
    });
  }

  setStatus(id: string, status: FindingStatus): Observable<DetectionFinding> {
    return this.http.put<DetectionFinding>(`${this.baseUrl}/api/detection/findings/${encodeURIComponent(id)}/status`, { status });
  }

  rules(): Observable<DetectionRule[]> {
    return this.http.get<DetectionRule[]>(`${this.baseUrl}/api/detection/rules`);
  }

  updateRule(rule: DetectionRuleId, settings: Partial<DetectionRuleThresholds>): Observable<DetectionRule> {
    return this.http.put<DetectionRule>(`${this.baseUrl}/api/detection/rules/${encodeURIComponent(rule)}`, settings);
  }

  backtest(
    rule: DetectionRuleId,
    from: string,
    to: string,
    settings: Partial<DetectionRuleThresholds>,
  ): Observable<DetectionBacktestResult> {
    return this.http.post<DetectionBacktestResult>(`${this.baseUrl}/api/detection/backtest`, { rule, from, to, settings });
  }

  markSpam(number: string): Observable<DetectionListEntry> {
    return this.http.post<DetectionListEntry>(`${this.baseUrl}/api/detection/actions/mark-spam`, { number });
  }

  allowNumber(number: string): Observable<DetectionListEntry> {
    return this.http.post<DetectionListEntry>(`${this.baseUrl}/api/detection/actions/allow-number`, { number });
  }

  blockPrefix(prefix: string): Observable<DetectionListEntry> {
    return this.http.post<DetectionListEntry>(`${this.baseUrl}/api/detection/actions/block-prefix`, { prefix });
  }

  number(number: string): Observable<DetectionNumberSummary> {
    return this.http.get<DetectionNumberSummary>(`${this.baseUrl}/api/detection/numbers/${encodeURIComponent(number)}`);
  }
}

import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import type { Cdr, CdrDetail, CdrListQuery, CdrPage, CdrSummary } from './api.models';
import { getPage } from './paged-list';

const FILTERS = ['from', 'to', 'caller', 'callee', 'status', 'direction', 'country', 'city', 'account', 'trunk', 'result', 'answered', 'min_duration'] as const;

/** Typed access to the CDR endpoints (`/api/sippy/cdrs*`). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class CdrApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** One page of CDRs, newest first; `total` comes from the `X-Total-Count` header. */
  list(query: CdrListQuery): Observable<CdrPage> {
    return getPage<Cdr, CdrListQuery>(this.http, `${this.baseUrl}/api/sippy/cdrs`, query, FILTERS);
  }

  /** One CDR with every stored field (`raw` only for admins). */
  detail(id: string): Observable<CdrDetail> {
    return this.http.get<CdrDetail>(`${this.baseUrl}/api/sippy/cdrs/${encodeURIComponent(id)}`);
  }

  /** Aggregates for the `[from, to)` window (ISO instants). */
  summary(from: string, to: string): Observable<CdrSummary> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.http.get<CdrSummary>(`${this.baseUrl}/api/sippy/cdrs/summary`, { params });
  }
}

import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import type { Cdr, CdrListQuery, CdrPage, CdrSummary } from './api.models';

/** Typed access to the CDR endpoints (`/api/sippy/cdrs*`). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class CdrApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** One page of CDRs, newest first; `total` comes from the `X-Total-Count` header. */
  list(query: CdrListQuery): Observable<CdrPage> {
    let params = new HttpParams().set('limit', query.limit).set('offset', query.offset);
    for (const key of ['from', 'to', 'caller', 'callee', 'status', 'direction', 'country'] as const) {
      const value = query[key];
      if (value !== undefined && value !== '') {
        params = params.set(key, value);
      }
    }
    return this.http
      .get<Cdr[]>(`${this.baseUrl}/api/sippy/cdrs`, { params, observe: 'response' })
      .pipe(
        map((response) => {
          const rows = response.body ?? [];
          const header = response.headers.get('X-Total-Count');
          const parsed = header === null ? Number.NaN : Number(header);
          const total = Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : query.offset + rows.length;
          return { rows, total };
        }),
      );
  }

  /** Aggregates for the `[from, to)` window (ISO instants). */
  summary(from: string, to: string): Observable<CdrSummary> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.http.get<CdrSummary>(`${this.baseUrl}/api/sippy/cdrs/summary`, { params });
  }
}

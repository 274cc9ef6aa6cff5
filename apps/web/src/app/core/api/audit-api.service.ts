import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import type { AuditEntry, AuditListQuery, AuditPage } from './api.models';
import { getPage } from './paged-list';

const FILTERS = ['action', 'actor', 'target', 'ip', 'from', 'to'] as const;

/** The audit log (`/api/audit-log*`, admin only). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class AuditApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** One page, newest first; `total` comes from the `X-Total-Count` header. */
  list(query: AuditListQuery): Observable<AuditPage> {
    return getPage<AuditEntry, AuditListQuery>(this.http, `${this.baseUrl}/api/audit-log`, query, FILTERS);
  }

  /** Action names for the filter: every action the API writes plus any other name in the log, sorted. */
  actions(): Observable<string[]> {
    return this.http.get<{ actions?: unknown } | null>(`${this.baseUrl}/api/audit-log/actions`).pipe(
      map((body) => {
        const actions = body?.actions;
        return Array.isArray(actions) ? actions.filter((a): a is string => typeof a === 'string') : [];
      }),
    );
  }
}

import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { ReconcileRun, ReconcileWindow } from '@velora/contracts';
import { API_BASE_URL } from '../../core/config/api-base-url.token';

/** The reconciliation report (`/api/sippy/reconcile`). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class ReconcileApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** The latest check of every hour that starts in [from, to) (ISO instants). */
  list(from: string, to: string): Observable<ReconcileWindow[]> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.http.get<ReconcileWindow[]>(`${this.baseUrl}/api/sippy/reconcile`, { params });
  }

  /** Re-reads the whole hours [from, to) from the switch and heals what is missing (admin). */
  run(from: string, to: string): Observable<ReconcileRun> {
    return this.http.post<ReconcileRun>(`${this.baseUrl}/api/sippy/reconcile`, { from, to });
  }
}

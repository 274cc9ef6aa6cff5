import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import type { SavedView, SavedViewInput, SavedViewScope } from '@velora/contracts';
import { API_BASE_URL } from '../config/api-base-url.token';

/** Saved views (`/api/views`): the caller's own and the shared ones. Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class SavedViewsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  /** The views of one screen, by name. */
  list(scope: SavedViewScope): Observable<SavedView[]> {
    return this.http.get<SavedView[]>(`${this.baseUrl}/api/views`, { params: new HttpParams().set('scope', scope) });
  }

  get(id: string): Observable<SavedView> {
    return this.http.get<SavedView>(`${this.baseUrl}/api/views/${encodeURIComponent(id)}`);
  }

  create(view: SavedViewInput): Observable<SavedView> {
    return this.http.post<SavedView>(`${this.baseUrl}/api/views`, view);
  }

  /** Rename, share or replace the content of a view (any subset of the fields). */
  update(id: string, changes: Partial<SavedViewInput>): Observable<SavedView> {
    return this.http.patch<SavedView>(`${this.baseUrl}/api/views/${encodeURIComponent(id)}`, changes);
  }

  delete(id: string): Observable<void> {
    return this.http.delete(`${this.baseUrl}/api/views/${encodeURIComponent(id)}`).pipe(map((): void => undefined));
  }
}

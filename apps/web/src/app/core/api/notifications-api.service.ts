import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  NotificationChannelName,
  NotificationChannelStatus,
  NotificationChannelTestResult,
  NotificationPage,
  UnreadCount,
} from '@velora/contracts';
import { Observable, map } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';

export interface NotificationListQuery {
  readonly limit: number;
  /** Keyset cursor: older than this id. */
  readonly before?: number;
  readonly unread?: boolean;
}

/** The notification bell and page (`/api/notifications*`), and the outbound channels (admin). Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class NotificationsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  list(query: NotificationListQuery): Observable<NotificationPage> {
    let params = new HttpParams().set('limit', query.limit);
    if (query.before !== undefined) params = params.set('before', query.before);
    if (query.unread === true) params = params.set('unread', 'true');
    return this.http.get<NotificationPage>(`${this.baseUrl}/api/notifications`, { params });
  }

  unreadCount(): Observable<UnreadCount> {
    return this.http.get<UnreadCount>(`${this.baseUrl}/api/notifications/unread-count`);
  }

  markRead(ids: readonly number[]): Observable<number[]> {
    return this.http.post<{ ids: number[] }>(`${this.baseUrl}/api/notifications/read`, { ids }).pipe(map((body) => body.ids));
  }

  markAllRead(): Observable<number | null> {
    return this.http.post<{ up_to: number | null }>(`${this.baseUrl}/api/notifications/read-all`, {}).pipe(map((body) => body.up_to));
  }

  channels(): Observable<NotificationChannelStatus[]> {
    return this.http.get<NotificationChannelStatus[]>(`${this.baseUrl}/api/notifications/channels`);
  }

  testChannel(channel: NotificationChannelName): Observable<NotificationChannelTestResult> {
    return this.http.post<NotificationChannelTestResult>(`${this.baseUrl}/api/notifications/channels/${channel}/test`, {});
  }
}

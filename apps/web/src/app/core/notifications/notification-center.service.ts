import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import {
  NOTIFICATION_TYPES,
  UNREAD_COUNT_CAP,
  type NotificationItem,
  type NotificationPage,
  type UnreadCount,
  type VeloraEvent,
} from '@velora/contracts';
import { EMPTY, Subject, catchError, forkJoin, map, merge, mergeMap, of, scan, startWith, switchMap, tap, type Observable } from 'rxjs';
import { NotificationsApiService } from '../api/notifications-api.service';
import { LiveEvents } from '../events/live-events.service';
import { notificationText } from './notification-text';

/** Notifications the bell lists. */
export const BELL_SIZE = 10;
/** Live events older than this (replayed after a long disconnect) update the bell but raise no toast. */
export const TOAST_MAX_AGE_MS = 5 * 60_000;

export interface BellState {
  /** Newest first, at most BELL_SIZE. */
  readonly items: readonly NotificationItem[];
  readonly unread: number;
  /** More than `unread` (shown as "99+"). */
  readonly capped: boolean;
  readonly loaded: boolean;
  /** The last load failed (the bell keeps what it had). */
  readonly error: boolean;
}

export const INITIAL_BELL_STATE: BellState = { items: [], unread: 0, capped: false, loaded: false, error: false };

export type BellAction =
  | { readonly type: 'loaded'; readonly page: NotificationPage; readonly count: UnreadCount }
  | { readonly type: 'failed' }
  | { readonly type: 'arrived'; readonly item: NotificationItem }
  | { readonly type: 'count'; readonly count: UnreadCount }
  /** `upTo` = everything up to this id ("mark all read": Infinity). */
  | { readonly type: 'read'; readonly ids: readonly number[]; readonly upTo: number | null };

/** Pure reducer of the bell. */
export function reduceBell(state: BellState, action: BellAction): BellState {
  switch (action.type) {
    case 'loaded':
      return {
        items: action.page.items.slice(0, BELL_SIZE),
        unread: action.count.unread,
        capped: action.count.capped,
        loaded: true,
        error: false,
      };
    case 'failed':
      return { ...state, error: true };
    case 'count':
      return { ...state, unread: action.count.unread, capped: action.count.capped };
    case 'arrived': {
      if (state.items.some((item) => item.id === action.item.id)) return state;
      const items = [action.item, ...state.items].sort((a, b) => b.id - a.id).slice(0, BELL_SIZE);
      const capped = state.capped || state.unread + 1 > UNREAD_COUNT_CAP;
      return { ...state, items, unread: Math.min(UNREAD_COUNT_CAP, state.unread + 1), capped };
    }
    case 'read': {
      const isRead = (id: number): boolean => action.ids.includes(id) || (action.upTo !== null && id <= action.upTo);
      const flipped = state.items.filter((item) => !item.read && isRead(item.id)).length;
      const items = state.items.map((item) => (!item.read && isRead(item.id) ? { ...item, read: true } : item));
      const unread = action.upTo === Number.POSITIVE_INFINITY ? 0 : Math.max(0, state.unread - flipped);
      return { ...state, items, unread, capped: unread === 0 ? false : state.capped };
    }
  }
}

function isNotification(event: VeloraEvent): event is NotificationItem {
  return (NOTIFICATION_TYPES as readonly string[]).includes(event.type);
}

/**
 * The notification bell's state for the signed-in user (provided by the shell, so it lives with the session): the
 * newest notifications and the unread count, loaded once and then kept current by the live stream (new
 * notifications arrive; read marks from the user's other tabs come as `notifications_read`; a `reset` reloads).
 * Raises a toast for critical findings and integration outages/recoveries as they happen.
 */
@Injectable()
export class NotificationCenter {
  private readonly api = inject(NotificationsApiService);
  private readonly live = inject(LiveEvents);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly router = inject(Router);
  private readonly reloads = new Subject<void>();
  private readonly countRefreshes = new Subject<void>();
  private readonly local = new Subject<BellAction>();

  private readonly actions$: Observable<BellAction> = merge(
    merge(this.reloads, this.live.resets$).pipe(
      startWith(undefined),
      switchMap(() =>
        forkJoin({ page: this.api.list({ limit: BELL_SIZE }), count: this.api.unreadCount() }).pipe(
          map(({ page, count }): BellAction => ({ type: 'loaded', page, count })),
          catchError(() => of<BellAction>({ type: 'failed' })),
        ),
      ),
    ),
    this.countRefreshes.pipe(
      switchMap(() =>
        this.api.unreadCount().pipe(
          map((count): BellAction => ({ type: 'count', count })),
          catchError(() => EMPTY),
        ),
      ),
    ),
    this.live.messages$.pipe(
      mergeMap((message): Observable<BellAction> => {
        if (message.kind !== 'event') return EMPTY;
        const event = message.event;
        if (event.type === 'notifications_read') {
          this.countRefreshes.next(); // the server's count is the truth for items not in the bell
          return of({ type: 'read', ids: event.data.ids, upTo: event.data.up_to });
        }
        if (!isNotification(event)) return EMPTY;
        return of<BellAction>({ type: 'arrived', item: { ...event, read: false } }).pipe(
          tap(() => {
            this.toast(event);
          }),
        );
      }),
    ),
    this.local,
  );

  readonly state = toSignal(this.actions$.pipe(scan(reduceBell, INITIAL_BELL_STATE)), { initialValue: INITIAL_BELL_STATE });

  /** Loads the newest notifications and the count again. */
  reload(): void {
    this.reloads.next();
  }

  markRead(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.local.next({ type: 'read', ids, upTo: null });
    this.api
      .markRead(ids)
      .pipe(catchError(() => (this.reload(), EMPTY)))
      .subscribe();
  }

  markAllRead(): void {
    this.local.next({ type: 'read', ids: [], upTo: Number.POSITIVE_INFINITY });
    this.api
      .markAllRead()
      .pipe(catchError(() => (this.reload(), EMPTY)))
      .subscribe();
  }

  private toast(event: NotificationItem | VeloraEvent): void {
    if (Date.now() - Date.parse(event.at) > TOAST_MAX_AGE_MS) return;
    const wanted = (event.type === 'finding' && event.level === 'crit') || event.type === 'integration';
    if (!wanted) return;
    const text = notificationText(event, this.transloco.getActiveLang());
    const title = this.transloco.translate(text.key, text.params);
    const message = text.detail === null || text.detail === '' ? title : `${title} — ${text.detail}`;
    const outage = event.type !== 'integration' || !event.data.up;
    this.snackBar
      .open(message, this.transloco.translate('notifications.toast.show'), {
        duration: outage ? 10_000 : 5000,
        panelClass: outage ? 'toast-crit' : 'toast-info',
        politeness: outage ? 'assertive' : 'polite',
      })
      .onAction()
      .subscribe(() => {
        void this.router.navigateByUrl('/notifications');
      });
  }
}

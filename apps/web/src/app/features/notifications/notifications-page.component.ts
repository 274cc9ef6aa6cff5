import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { NOTIFICATION_TYPES, type NotificationItem, type VeloraEvent } from '@velora/contracts';
import { NotificationsApiService } from '../../core/api/notifications-api.service';
import { AuthService } from '../../core/auth/auth.service';
import { LiveEvents } from '../../core/events/live-events.service';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { NotificationCenter } from '../../core/notifications/notification-center.service';
import { notificationText } from '../../core/notifications/notification-text';
import { LocalDateTimePipe } from '../../shared/pipes/local-date-time.pipe';
import { NotificationChannelsComponent } from './notification-channels/notification-channels.component';

export const PAGE_SIZE = 50;

/** `/notifications`: every notification the user may see, newest first, with read state; admins also see the outbound channels. */
@Component({
  selector: 'vl-notifications-page',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    TranslocoPipe,
    LocalDateTimePipe,
    NotificationChannelsComponent,
  ],
  templateUrl: './notifications-page.component.html',
  styleUrl: './notifications-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationsPageComponent implements OnInit {
  private readonly api = inject(NotificationsApiService);
  private readonly center = inject(NotificationCenter);
  private readonly live = inject(LiveEvents);
  private readonly destroyRef = inject(DestroyRef);
  private readonly language = inject(LanguageService);
  protected readonly auth = inject(AuthService);
  protected readonly locale = this.language.locale;

  protected readonly items = signal<readonly NotificationItem[]>([]);
  protected readonly nextCursor = signal<number | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly unreadOnly = signal(false);
  protected readonly rows = computed(() => {
    const language = this.language.language();
    return this.items().map((item) => ({ item, text: notificationText(item, language) }));
  });
  protected readonly hasUnread = computed(() => this.items().some((item) => !item.read) || this.center.state().unread > 0);

  ngOnInit(): void {
    this.load(true);
    this.live.messages$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((message) => {
      if (message.kind === 'reset') this.load(true);
      if (message.kind === 'event') this.apply(message.event);
    });
  }

  protected toggleUnreadOnly(on: boolean): void {
    this.unreadOnly.set(on);
    this.load(true);
  }

  protected loadMore(): void {
    this.load(false);
  }

  protected markRead(item: NotificationItem): void {
    this.center.markRead([item.id]);
    this.setRead((id) => id === item.id);
  }

  protected markAllRead(): void {
    this.center.markAllRead();
    this.setRead(() => true);
  }

  private load(reset: boolean): void {
    const before = reset ? undefined : (this.nextCursor() ?? undefined);
    this.loading.set(true);
    this.api
      .list({ limit: PAGE_SIZE, before, unread: this.unreadOnly() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.items.update((items) => (reset ? page.items : [...items, ...page.items]));
          this.nextCursor.set(page.next_cursor);
          this.error.set(null);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)));
          this.loading.set(false);
        },
      });
  }

  /** A live event: a new notification goes on top; read marks (from any of the user's tabs) apply. */
  private apply(event: VeloraEvent): void {
    if (event.type === 'notifications_read') {
      const { ids, up_to: upTo } = event.data;
      this.setRead((id) => ids.includes(id) || (upTo !== null && id <= upTo));
      return;
    }
    if (!(NOTIFICATION_TYPES as readonly string[]).includes(event.type)) return;
    const item = { ...event, read: false } as NotificationItem;
    this.items.update((items) => (items.some((i) => i.id === item.id) ? items : [item, ...items]));
  }

  private setRead(match: (id: number) => boolean): void {
    this.items.update((items) => items.map((item) => (!item.read && match(item.id) ? { ...item, read: true } : item)));
  }
}

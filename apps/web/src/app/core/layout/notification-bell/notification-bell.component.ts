import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { NotificationItem } from '@velora/contracts';
import { LanguageService } from '../../i18n/language.service';
import { NotificationCenter } from '../../notifications/notification-center.service';
import { notificationText } from '../../notifications/notification-text';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';

/** The bell in the top bar: unread count, the newest notifications, mark read, a link to the page. */
@Component({
  selector: 'vl-notification-bell',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatTooltipModule, RouterLink, TranslocoPipe, LocalDateTimePipe],
  templateUrl: './notification-bell.component.html',
  styleUrl: './notification-bell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationBellComponent {
  protected readonly center = inject(NotificationCenter);
  private readonly language = inject(LanguageService);
  protected readonly locale = this.language.locale;

  protected readonly badge = computed(() => {
    const { unread, capped } = this.center.state();
    return unread === 0 ? null : capped ? `${String(unread)}+` : String(unread);
  });

  protected readonly rows = computed(() => {
    const language = this.language.language();
    return this.center.state().items.map((item) => ({ item, text: notificationText(item, language) }));
  });

  protected open(item: NotificationItem): void {
    if (!item.read) this.center.markRead([item.id]);
  }

  protected markAllRead(): void {
    this.center.markAllRead();
  }
}

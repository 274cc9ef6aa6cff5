import { Injectable } from '@nestjs/common';
import { UNREAD_COUNT_CAP, type NotificationItem, type NotificationPage, type UnreadCount } from '@velora/contracts';
import { NumberMaskingService } from '../privacy/number-masking.service';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import type { EventViewer } from './events.types';

/** The bell: notifications a user may see, with their read state (per user, in the database). */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repository: EventsRepository,
    private readonly events: EventsService,
    private readonly masking: NumberMaskingService,
  ) {}

  async list(viewer: EventViewer, query: { limit: number; before?: number; unread?: boolean }): Promise<NotificationPage> {
    const rows = await this.repository.listNotifications(viewer, {
      limit: query.limit + 1,
      before: query.before,
      unreadOnly: query.unread,
    });
    const page = rows.slice(0, query.limit);
    // privacy (docs/security.md#privacy): numbers in findings are masked for masked roles
    const masker = await this.masking.forUser(viewer);
    return {
      items: page.map((row) => ({ ...masker.event(row.event), read: row.read }) as NotificationItem),
      next_cursor: rows.length > query.limit ? (page.at(-1)?.event.id ?? null) : null,
    };
  }

  async unreadCount(viewer: EventViewer): Promise<UnreadCount> {
    const n = await this.repository.countUnread(viewer, UNREAD_COUNT_CAP);
    return { unread: Math.min(n, UNREAD_COUNT_CAP), capped: n > UNREAD_COUNT_CAP };
  }

  /** Marks notifications read and tells the user's other tabs (a `notifications_read` event only they get). */
  async markRead(viewer: EventViewer, ids: readonly number[]): Promise<number[]> {
    const marked = await this.repository.markRead(viewer, [...new Set(ids)]);
    if (marked.length > 0) {
      await this.events.publish(
        { type: 'notifications_read', level: 'info', data: { ids: marked, up_to: null } },
        { userId: viewer.userId },
      );
    }
    return marked;
  }

  async markAllRead(viewer: EventViewer, upTo?: number): Promise<number | null> {
    const through = await this.repository.markAllRead(viewer, upTo);
    if (through !== null) {
      await this.events.publish(
        { type: 'notifications_read', level: 'info', data: { ids: [], up_to: through } },
        { userId: viewer.userId },
      );
    }
    return through;
  }
}

import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { NotificationItem, NotificationPage } from '@velora/contracts';
import { signal } from '@angular/core';
import { AuthService } from '../../core/auth/auth.service';
import { EVENT_SOURCE_FACTORY } from '../../core/events/live-events.service';
import { NotificationCenter } from '../../core/notifications/notification-center.service';
import { FakeEventSources } from '../../../testing/fake-event-source';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import { NotificationsPageComponent } from './notifications-page.component';

const finding = (id: number, read = false): NotificationItem => ({
  id,
  at: '2026-11-25T08:00:00.000Z',
  type: 'finding',
  level: 'crit',
  data: {
    id: `f${String(id)}`,
    rule: 'premium_prefix',
    level: 'crit',
    subject: '+88213',
    reason_en: 'premium-rate calls',
    reason_tr: 'premium hat aramaları',
  },
  read,
});

describe('NotificationsPageComponent', () => {
  let backend: HttpTestingController;
  let sources: FakeEventSources;
  let center: { markRead: jest.Mock; markAllRead: jest.Mock; state: ReturnType<typeof signal> };

  async function render(isAdmin = false) {
    sources = new FakeEventSources();
    center = {
      markRead: jest.fn(),
      markAllRead: jest.fn(),
      state: signal({ items: [], unread: 1, capped: false, loaded: true, error: false }),
    };
    TestBed.configureTestingModule({
      imports: [NotificationsPageComponent],
      providers: [
        provideRouter([]),
        provideTestHttp(),
        provideTestTransloco('en'),
        provideTestIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: EVENT_SOURCE_FACTORY, useValue: sources.factory },
        { provide: NotificationCenter, useValue: center },
        { provide: AuthService, useValue: { isAdmin: () => isAdmin } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(NotificationsPageComponent);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  const titles = (element: HTMLElement): string[] =>
    Array.from(element.querySelectorAll('[data-testid="notification-item"] .title')).map((e) => e.textContent.replace(/\s+/g, ' ').trim());

  afterEach(() => {
    backend.verify();
    TestBed.resetTestingModule();
  });

  it('lists notifications newest first, pages with the keyset cursor and filters unread ones', async () => {
    const { fixture, element } = await render();
    const first = backend.expectOne((r) => r.url === '/api/notifications');
    expect(first.request.params.get('limit')).toBe('50');
    first.flush({ items: [finding(9), finding(8, true)], next_cursor: 8 } satisfies NotificationPage);
    await fixture.whenStable();
    expect(titles(element)).toEqual(['Critical Finding premium_prefix: +88213', 'Critical Finding premium_prefix: +88213']);
    expect(Array.from(element.querySelectorAll('[data-testid="notification-item"]')).map((e) => e.classList.contains('unread'))).toEqual([
      true,
      false,
    ]);

    element.querySelector<HTMLButtonElement>('[data-testid="notifications-load-more"]')?.click();
    const more = backend.expectOne((r) => r.url === '/api/notifications');
    expect(more.request.params.get('before')).toBe('8');
    more.flush({ items: [finding(3)], next_cursor: null } satisfies NotificationPage);
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="notification-item"]')).toHaveLength(3);
    expect(element.querySelector('[data-testid="notifications-load-more"]')).toBeNull();

    element.querySelector<HTMLElement>('[data-testid="notifications-unread-only"] button')?.click();
    const unread = backend.expectOne((r) => r.url === '/api/notifications');
    expect(unread.request.params.get('unread')).toBe('true');
    expect(unread.request.params.get('before')).toBeNull();
    unread.flush({ items: [finding(9)], next_cursor: null } satisfies NotificationPage);
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="notification-item"]')).toHaveLength(1);
  });

  it('adds pushed notifications on top and applies read marks from other tabs', async () => {
    const { fixture, element } = await render();
    backend.expectOne((r) => r.url === '/api/notifications').flush({ items: [finding(9)], next_cursor: null });
    await fixture.whenStable();
    const { read: _read, ...event } = finding(10);
    sources.last.emit('finding', event, 10);
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="notification-item"]')).toHaveLength(2);
    sources.last.emit(
      'notifications_read',
      { id: 11, at: event.at, type: 'notifications_read', level: 'info', data: { ids: [], up_to: 10 } },
      11,
    );
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="notification-item"].unread')).toHaveLength(0);
  });

  it('marks one or all read through the bell state', async () => {
    const { fixture, element } = await render();
    backend.expectOne((r) => r.url === '/api/notifications').flush({ items: [finding(9), finding(8)], next_cursor: null });
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('[data-testid="notification-mark-read"]')?.click();
    await fixture.whenStable();
    expect(center.markRead).toHaveBeenCalledWith([9]);
    expect(element.querySelectorAll('[data-testid="notification-item"].unread')).toHaveLength(1);
    element.querySelector<HTMLButtonElement>('[data-testid="notifications-mark-all-read"]')?.click();
    await fixture.whenStable();
    expect(center.markAllRead).toHaveBeenCalled();
    expect(element.querySelectorAll('[data-testid="notification-item"].unread')).toHaveLength(0);
  });

  it('shows admins the outbound channels with a test button', async () => {
    const { fixture, element } = await render(true);
    backend.expectOne((r) => r.url === '/api/notifications').flush({ items: [], next_cursor: null });
    backend.expectOne('/api/notifications/channels').flush([
      {
        channel: 'webhook',
        configured: true,
        target: 'https://hooks.example.com',
        queued: 0,
        delivered: 4,
        failed: 1,
        dropped: 0,
        last_success_at: null,
        last_failure_at: '2026-11-25T08:00:00.000Z',
        last_error: 'the receiver answered 500',
      },
      {
        channel: 'email',
        configured: false,
        target: null,
        queued: 0,
        delivered: 0,
        failed: 0,
        dropped: 0,
        last_success_at: null,
        last_failure_at: null,
        last_error: null,
      },
      {
        channel: 'telegram',
        configured: false,
        target: null,
        queued: 0,
        delivered: 0,
        failed: 0,
        dropped: 0,
        last_success_at: null,
        last_failure_at: null,
        last_error: null,
      },
    ]);
    await fixture.whenStable();
    const cards = Array.from(element.querySelectorAll('[data-testid="notification-channel"]'));
    expect(cards.map((c) => c.getAttribute('data-channel'))).toEqual(['webhook', 'email', 'telegram']);
    expect(cards[0]?.querySelector('[data-testid="channel-target"]')?.textContent).toBe('https://hooks.example.com');
    expect(cards[0]?.textContent).toContain('the receiver answered 500');
    expect(cards[1]?.querySelector('[data-testid="channel-test"]')).toBeNull();

    cards[0]?.querySelector<HTMLButtonElement>('[data-testid="channel-test"]')?.click();
    const test = backend.expectOne('/api/notifications/channels/webhook/test');
    expect(test.request.method).toBe('POST');
    test.flush({ channel: 'webhook', ok: true, latency_ms: 42 });
    backend.expectOne('/api/notifications/channels').flush([]);
    await fixture.whenStable();
    expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('Test message sent through Webhook (42 ms)');
  });
});

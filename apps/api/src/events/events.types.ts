import { NOTIFICATION_TYPES, type EventType, type NotificationType, type VeloraEvent, type VeloraEventInput } from '@velora/contracts';
import type { Role } from '../auth/auth.types';

/** Who may see an event: everyone, or admins only (`userId` narrows it to one user). */
export type EventAudience = 'all' | 'admin';

/** An event with its routing (never sent to clients). */
export interface StoredEvent {
  readonly event: VeloraEvent;
  readonly audience: EventAudience;
  /** Only this user sees it. */
  readonly userId: string | null;
  /** Shown in the bell (kept longer). */
  readonly notification: boolean;
}

/** The signed-in user a stream or a notification list is for. */
export interface EventViewer {
  readonly userId: string;
  readonly role: Role;
}

export interface PublishOptions {
  /** Default: per type (sync errors: admins; everything else: everyone). */
  readonly audience?: EventAudience;
  /** Only this user sees it. */
  readonly userId?: string;
}

/**
 * Per-role filtering: sync errors and recoveries carry switch-side details only admins act on; new CDRs, findings,
 * insights and integration changes are for everyone.
 */
const DEFAULT_AUDIENCE: Readonly<Record<EventType, EventAudience>> = {
  cdrs: 'all',
  finding: 'all',
  insight: 'all',
  integration: 'all',
  sync_error: 'admin',
  sync_recovered: 'admin',
  notifications_read: 'all',
};

export function defaultAudience(type: EventType): EventAudience {
  return DEFAULT_AUDIENCE[type];
}

export function isNotificationType(type: string): type is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(type);
}

/** Whether `viewer` may see the event (the same rule as EventsRepository's SQL filter). */
export function canSee(stored: Pick<StoredEvent, 'audience' | 'userId'>, viewer: EventViewer): boolean {
  if (stored.userId !== null) return stored.userId === viewer.userId;
  return stored.audience === 'all' || viewer.role === 'admin';
}

/** The input as published, checked at run time too (the detection module is another team's code). */
export function assertValidInput(input: VeloraEventInput): void {
  const raw: { type: unknown; level: unknown; data: unknown } = input;
  if (typeof raw.type !== 'string' || !(raw.type in DEFAULT_AUDIENCE))
    throw new TypeError(`unknown event type ${JSON.stringify(raw.type)}`);
  if (typeof raw.level !== 'string' || !['info', 'warn', 'crit'].includes(raw.level))
    throw new TypeError(`unknown event level ${JSON.stringify(raw.level)}`);
  if (typeof raw.data !== 'object' || raw.data === null) throw new TypeError('event data must be an object');
}

import { Injectable, Logger } from '@nestjs/common';
import type { VeloraEvent, VeloraEventInput } from '@velora/contracts';
import { EventBus } from './event-bus.service';
import { EventsRepository } from './events.repository';
import { assertValidInput, defaultAudience, isNotificationType, type PublishOptions, type StoredEvent } from './events.types';

export type PublishedListener = (stored: StoredEvent) => void;

/**
 * Publishes live events: stores each one (sequence id, Last-Event-ID resume, the notification history), fans it out
 * to every API replica's open streams (EventBus) and hands it to this process's outbound channels. Call it from any
 * feature:
 *
 * ```ts
 * await events.publish({ type: 'finding', level: 'crit', data: { id, rule, level: 'crit', subject, reason_en, reason_tr } });
 * ```
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly publishedListeners = new Set<PublishedListener>();

  constructor(
    private readonly repository: EventsRepository,
    private readonly bus: EventBus,
  ) {}

  /**
   * Stores and broadcasts the event. Never rejects: a failure (database down) is logged and resolves to null, so a
   * publisher (the sync, the detection) is never broken by its notifications.
   */
  async publish(input: VeloraEventInput, options: PublishOptions = {}): Promise<VeloraEvent | null> {
    let stored: StoredEvent;
    try {
      assertValidInput(input);
      stored = await this.repository.insert({
        type: input.type,
        level: input.level,
        audience: options.audience ?? defaultAudience(input.type),
        userId: options.userId ?? null,
        notification: isNotificationType(input.type),
        data: input.data,
      });
    } catch (error: unknown) {
      this.logger.warn(`could not publish a ${input.type} event: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    // exactly one process publishes an event, so the outbound channels send it once
    for (const listener of [...this.publishedListeners]) {
      try {
        listener(stored);
      } catch (error: unknown) {
        this.logger.warn(`a publish listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!this.bus.crossProcess) {
      await this.bus.wake(); // PostgreSQL: the NOTIFY of the commit wakes every replica, this one included
    }
    return stored.event;
  }

  /** Events published by THIS process (not by other replicas): the outbound channels listen here. */
  onPublished(listener: PublishedListener): () => void {
    this.publishedListeners.add(listener);
    return () => this.publishedListeners.delete(listener);
  }
}

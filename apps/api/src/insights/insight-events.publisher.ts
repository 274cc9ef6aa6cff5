import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Insight, InsightEventData } from '@velora/contracts';
import type { Subscription } from 'rxjs';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventsService } from '../events/events.service';
import { InsightsService } from './insights.service';

const HOUR_MS = 3_600_000;

/**
 * Pushes new warning and critical insights as `insight` events (the bell, toasts, the outbound channels at or above
 * NOTIFY_MIN_LEVEL). Only recent hours alert: the first analysis of a new installation back-fills days of history, and
 * a week-old spike is not news (it stays on the VoIP CRM page). Informational insights never alert.
 */
@Injectable()
export class InsightEventsPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly insights: InsightsService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.insights.insights$.subscribe((insight) => {
      const event = insightEvent(insight, this.clock.now(), this.config.insights.settleHours);
      if (event === null) return;
      // EventsService.publish never rejects; in order, never awaited by the analysis
      this.queue = this.queue.then(() => this.events.publish(event));
    });
  }

  /** Resolves when everything queued so far is published. */
  settled(): Promise<unknown> {
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.queue;
  }
}

/**
 * The event of an insight, or null when it does not alert: informational, or about an hour that ended more than
 * `settleHours` + 1 hours before `nowMs` (history back-filled by a first run or a long outage).
 */
export function insightEvent(
  insight: Insight,
  nowMs: number,
  settleHours: number,
): { type: 'insight'; level: 'warn' | 'crit'; data: InsightEventData } | null {
  if (insight.severity === 'info') return null;
  if (Date.parse(insight.hour.to) < nowMs - (settleHours + 1) * HOUR_MS) return null;
  return {
    type: 'insight',
    level: insight.severity === 'critical' ? 'crit' : 'warn',
    data: {
      id: insight.id,
      kind: insight.kind,
      severity: insight.severity,
      country_code: insight.subject.country_code,
      hour: insight.hour.from,
      message_en: insight.message.en,
      message_tr: insight.message.tr,
      filter: insight.filter,
    },
  };
}

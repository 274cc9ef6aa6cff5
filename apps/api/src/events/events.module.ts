import { Global, Module } from '@nestjs/common';
import { IntegrationStatusReporter } from '../common/integration-status';
import { SyncEventSink } from '../sync/sync-event-sink';
import { EventBus } from './event-bus.service';
import { EventStreamService } from './event-stream.service';
import { EventsPruner } from './events-pruner.service';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { IntegrationWatch } from './integration-watch.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { SyncEventsPublisher } from './sync-events.publisher';

/**
 * Live events (docs/notifications.md): EventsService.publish for every feature, the event table and its pruning,
 * the cross-replica fan-out (EventBus), GET /api/events (SSE), the bell's API, and the two sources it listens to by
 * itself: the CDR sync (SyncEventSink) and the integration health probes (IntegrationStatusReporter). Global, so
 * that the sync and the probes get their sink and reporter, and features can publish.
 */
@Global()
@Module({
  controllers: [EventsController, NotificationsController],
  providers: [
    EventsRepository,
    EventBus,
    EventsService,
    EventsPruner,
    EventStreamService,
    NotificationsService,
    IntegrationWatch,
    SyncEventsPublisher,
    { provide: IntegrationStatusReporter, useExisting: IntegrationWatch },
    { provide: SyncEventSink, useExisting: SyncEventsPublisher },
  ],
  exports: [EventsService, IntegrationStatusReporter, SyncEventSink],
})
export class EventsModule {}

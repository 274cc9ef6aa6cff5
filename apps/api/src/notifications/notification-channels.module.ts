import { Module } from '@nestjs/common';
import { NotificationChannels } from './notification-channels';
import { NotificationChannelsController } from './notification-channels.controller';
import { OutboundDispatcher } from './outbound-dispatcher.service';

/**
 * Outbound notifications (docs/notifications.md): the configured channels (webhook, email, Telegram), the queued
 * dispatcher that sends findings, integration changes and sync errors, and the admin endpoints (list, test).
 * Builds on the global EventsModule.
 */
@Module({
  controllers: [NotificationChannelsController],
  providers: [NotificationChannels, OutboundDispatcher],
  exports: [OutboundDispatcher],
})
export class NotificationChannelsModule {}

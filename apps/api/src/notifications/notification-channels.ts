import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { NotificationChannelName } from '@velora/contracts';
import { AppConfig } from '../config/app-config';
import { EmailChannel } from './channels/email.channel';
import { NotificationChannel } from './channels/notification-channel';
import { TelegramChannel } from './channels/telegram.channel';
import { WebhookChannel } from './channels/webhook.channel';

/** The configured outbound channels (built once from the validated config; tests replace this provider). */
@Injectable()
export class NotificationChannels implements OnApplicationShutdown {
  private readonly channels: ReadonlyMap<NotificationChannelName, NotificationChannel>;

  constructor(config: AppConfig) {
    this.channels = new Map(createChannels(config).map((channel) => [channel.name, channel]));
  }

  get(name: NotificationChannelName): NotificationChannel | undefined {
    return this.channels.get(name);
  }

  list(): NotificationChannel[] {
    return [...this.channels.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.list().map((channel) => channel.close().catch(() => undefined)));
  }
}

export function createChannels(config: AppConfig): NotificationChannel[] {
  const { webhook, email, telegram, timeoutMs } = config.notify;
  const channels: NotificationChannel[] = [];
  if (webhook) channels.push(new WebhookChannel({ url: webhook.url, secret: webhook.secret, timeoutMs }));
  if (email) channels.push(new EmailChannel({ ...email, timeoutMs }));
  if (telegram) channels.push(new TelegramChannel({ ...telegram, timeoutMs }));
  return channels;
}

/** What each channel needs in the environment (for the "not configured" answer). */
export const CHANNEL_SETTINGS: Readonly<Record<NotificationChannelName, string>> = {
  webhook: 'NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET',
  email: 'NOTIFY_SMTP_HOST, NOTIFY_EMAIL_FROM and NOTIFY_EMAIL_TO',
  telegram: 'NOTIFY_TELEGRAM_BOT_TOKEN and NOTIFY_TELEGRAM_CHAT_ID',
};

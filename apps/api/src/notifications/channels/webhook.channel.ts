import { createHmac } from 'node:crypto';
import { DeliveryError, NotificationChannel, describeFetchError, isRetryableStatus, retryAfterMs } from './notification-channel';
import type { OutboundMessage } from '../notification-message';

export const SIGNATURE_HEADER = 'X-Velora-Signature';
export const TIMESTAMP_HEADER = 'X-Velora-Timestamp';
export const DELIVERY_HEADER = 'X-Velora-Delivery';
export const EVENT_HEADER = 'X-Velora-Event';

/** The body a receiver gets (docs/notifications.md#webhook). */
export interface WebhookPayload {
  delivery_id: string;
  test: boolean;
  event: OutboundMessage['event'];
  text: { en: string; tr: string };
  link: string | null;
}

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` with the shared secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs signed JSON to NOTIFY_WEBHOOK_URL; any 2xx is success. */
export class WebhookChannel extends NotificationChannel {
  readonly name = 'webhook' as const;
  readonly target: string;

  constructor(
    private readonly options: { url: string; secret: string; timeoutMs: number },
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.target = new URL(options.url).origin; // no path, query or credentials
  }

  async send(message: OutboundMessage): Promise<void> {
    const payload: WebhookPayload = {
      delivery_id: message.deliveryId,
      test: message.test,
      event: message.event,
      text: message.texts,
      link: message.link,
    };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(this.now() / 1000));
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Velora-Notifications/1',
          [EVENT_HEADER]: message.event?.type ?? 'test',
          [DELIVERY_HEADER]: message.deliveryId,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, body),
        },
      });
    } catch (error: unknown) {
      const { message: why, timeout } = describeFetchError(error);
      throw new DeliveryError(
        'webhook',
        `the receiver at ${this.target} ${timeout ? `did not answer within ${String(this.options.timeoutMs)} ms` : why}`,
        { retryable: true, timeout, cause: error },
      );
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return;
    throw new DeliveryError('webhook', `the receiver at ${this.target} answered ${String(response.status)}`, {
      retryable: isRetryableStatus(response.status),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
}

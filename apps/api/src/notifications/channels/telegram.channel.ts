import { DeliveryError, NotificationChannel, describeFetchError, isRetryableStatus } from './notification-channel';
import type { OutboundMessage } from '../notification-message';

/** Telegram's sendMessage limit. */
const MAX_TEXT = 4096;

interface TelegramAnswer {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Bot API sendMessage to NOTIFY_TELEGRAM_CHAT_ID. The token is part of the URL path: it never appears in an error. */
export class TelegramChannel extends NotificationChannel {
  readonly name = 'telegram' as const;
  readonly target: string;

  constructor(private readonly options: { apiUrl: string; botToken: string; chatId: string; timeoutMs: number }) {
    super();
    this.target = `chat ${options.chatId}`;
  }

  async send(message: OutboundMessage): Promise<void> {
    const url = `${this.options.apiUrl}/bot${this.options.botToken}/sendMessage`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chat_id: this.options.chatId, text: message.text.slice(0, MAX_TEXT), disable_web_page_preview: true }),
      });
    } catch (error: unknown) {
      const { message: why, timeout } = describeFetchError(error);
      throw new DeliveryError('telegram', `the Bot API ${timeout ? `did not answer within ${String(this.options.timeoutMs)} ms` : why}`, {
        retryable: true,
        timeout,
        cause: error,
      });
    }
    let answer: TelegramAnswer = {};
    try {
      answer = (await response.json()) as TelegramAnswer;
    } catch {
      // not JSON: judged by the status alone
    }
    if (response.ok && answer.ok === true) return;
    const description = typeof answer.description === 'string' ? answer.description.slice(0, 200) : `HTTP ${String(response.status)}`;
    const retryAfter = typeof answer.parameters?.retry_after === 'number' ? answer.parameters.retry_after * 1000 : undefined;
    throw new DeliveryError('telegram', `the Bot API refused the message (${String(response.status)}: ${description})`, {
      retryable: isRetryableStatus(response.status),
      retryAfterMs: retryAfter,
    });
  }
}

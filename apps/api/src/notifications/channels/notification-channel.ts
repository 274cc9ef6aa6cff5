import type { NotificationChannelName } from '@velora/contracts';
import type { OutboundMessage } from '../notification-message';

/** A failed delivery; `retryable` = worth another try (timeouts, network errors, 408/429/5xx, SMTP 4xx). */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly timeout: boolean;
  /** The upstream asked us to wait this long (HTTP Retry-After, Telegram retry_after). */
  readonly retryAfterMs?: number;

  constructor(
    readonly channel: NotificationChannelName,
    message: string,
    options: { retryable: boolean; timeout?: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.timeout = options.timeout ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** One outbound channel (webhook, email, Telegram): sends one message, or throws a DeliveryError. */
export abstract class NotificationChannel {
  abstract readonly name: NotificationChannelName;
  /** Where it sends, without secrets (shown to admins). */
  abstract readonly target: string;
  /** One attempt. Resolves when the upstream accepted the message; rejects with a DeliveryError. */
  abstract send(message: OutboundMessage): Promise<void>;
  /** Releases connections (SMTP pool). */
  async close(): Promise<void> {
    // nothing to release by default
  }
}

/** `Retry-After` in seconds or as an HTTP date → ms (undefined when absent or unreadable). */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What a fetch failure was, without the URL (Telegram's carries the bot token). */
export function describeFetchError(error: unknown): { message: string; timeout: boolean } {
  // AbortSignal.timeout() rejects with a DOMException, which is not an Error in every realm: test the name
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { message: 'timed out', timeout: true };
  }
  const cause =
    typeof error === 'object' && error !== null ? ((error as { cause?: unknown }).cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return { message: code !== undefined ? `cannot connect (${code})` : 'cannot connect', timeout: false };
}

/** HTTP statuses worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

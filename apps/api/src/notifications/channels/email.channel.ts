import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryError, NotificationChannel } from './notification-channel';
import type { OutboundMessage } from '../notification-message';

export interface EmailChannelOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  tlsVerify: boolean;
  from: string;
  to: string[];
  timeoutMs: number;
}

interface SmtpFailure {
  code?: string;
  message?: string;
  responseCode?: number;
  response?: string;
}

/** SMTP through nodemailer (a small connection pool); SMTP 4xx and connection trouble are retried, 5xx are not. */
export class EmailChannel extends NotificationChannel {
  readonly name = 'email' as const;
  readonly target: string;
  private readonly transport: Transporter;

  constructor(private readonly options: EmailChannelOptions) {
    super();
    this.target = options.to.join(', ');
    this.transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      pool: true,
      maxConnections: 1,
      auth: options.user !== undefined && options.pass !== undefined ? { user: options.user, pass: options.pass } : undefined,
      tls: { rejectUnauthorized: options.tlsVerify },
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(message: OutboundMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: this.options.to,
        subject: message.subject,
        text: message.text,
        headers: { 'X-Velora-Delivery': message.deliveryId, 'X-Velora-Event': message.event?.type ?? 'test' },
      });
    } catch (error: unknown) {
      const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
      const server = `the SMTP server ${this.options.host}:${String(this.options.port)}`;
      if (failure.code === 'EAUTH') {
        throw new DeliveryError('email', `${server} rejected the credentials (NOTIFY_SMTP_USER / NOTIFY_SMTP_PASS)`, {
          retryable: false,
          cause: error,
        });
      }
      if (typeof failure.responseCode === 'number') {
        const response = typeof failure.response === 'string' ? failure.response.slice(0, 200) : String(failure.responseCode);
        throw new DeliveryError('email', `${server} refused the message (${response})`, {
          retryable: failure.responseCode < 500,
          cause: error,
        });
      }
      const timeout = failure.code === 'ETIMEDOUT';
      // nodemailer's code is generic (ESOCKET, ECONNECTION); the system error in its message says more
      const system = typeof failure.message === 'string' ? /\b(E[A-Z]{3,})\b/.exec(failure.message)?.[1] : undefined;
      const why = timeout
        ? `did not answer within ${String(this.options.timeoutMs)} ms`
        : `cannot be reached (${system ?? failure.code ?? 'connection error'})`;
      throw new DeliveryError('email', `${server} ${why}`, { retryable: true, timeout, cause: error });
    }
  }

  override close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

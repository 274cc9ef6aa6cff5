import type { VeloraEvent } from '@velora/contracts';
import { FakeSmtpSink, FakeTelegramApi, FakeWebhookReceiver } from '../../../../../test/support/notification-fakes';
import { buildMessage, describeEvent, type OutboundMessage } from '../notification-message';
import { EmailChannel } from './email.channel';
import { DeliveryError } from './notification-channel';
import { TelegramChannel } from './telegram.channel';
import { WebhookChannel, type WebhookPayload } from './webhook.channel';

const SECRET = 'webhook-secret-0123456789abcdef';
const TOKEN = '123456:AAFakeTokenForTheTests_0123456789';
const CHAT = '-1001234567890';

const event: VeloraEvent = {
  id: 42,
  at: '2026-11-25T08:00:00.000Z',
  type: 'finding',
  level: 'crit',
  data: {
    id: 'f-1',
    rule: 'wangiri',
    level: 'crit',
    subject: '+4420',
    reason_en: '12 one-ring calls in 5 min',
    reason_tr: '5 dakikada 12 tek çalan arama',
  },
};
const message = (language: 'tr' | 'en' | 'both' = 'both'): OutboundMessage =>
  buildMessage('delivery-1', event, describeEvent(event), { language, appUrl: 'https://velora.example.com' });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('WebhookChannel against a local HTTP receiver', () => {
  const receiver = new FakeWebhookReceiver();
  let channel: WebhookChannel;

  beforeAll(async () => {
    await receiver.start();
    channel = new WebhookChannel({ url: `${receiver.url}/hooks/velora?tenant=1`, secret: SECRET, timeoutMs: 500 }, () =>
      Date.UTC(2026, 10, 25, 8, 0, 5),
    );
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('POSTs the event as JSON, signed with HMAC-SHA256 over "<timestamp>.<body>"', async () => {
    await channel.send(message());
    const request = receiver.received.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/velora?tenant=1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-velora-event']).toBe('finding');
    expect(request?.headers['x-velora-delivery']).toBe('delivery-1');
    expect(request?.headers['x-velora-timestamp']).toBe(String(Date.UTC(2026, 10, 25, 8, 0, 5) / 1000));
    expect(request && FakeWebhookReceiver.verify(request, SECRET)).toBe(true);
    expect(request && FakeWebhookReceiver.verify({ ...request, body: request.body.replace('wangiri', 'wangirx') }, SECRET)).toBe(false);
    expect(request && FakeWebhookReceiver.verify(request, 'another-secret-0123456789')).toBe(false);
    const payload = JSON.parse(request?.body ?? '') as WebhookPayload;
    expect(payload).toEqual({
      delivery_id: 'delivery-1',
      test: false,
      event,
      text: describeEvent(event),
      link: 'https://velora.example.com/notifications',
    });
    expect(channel.target).toBe(receiver.url); // origin only: no path, no query
  });

  it('retries 5xx, 408 and 429 (with Retry-After), not other 4xx', async () => {
    receiver.respondNext({ status: 503 });
    expect(await failure(channel.send(message()))).toMatchObject({
      retryable: true,
      timeout: false,
      message: `the receiver at ${receiver.url} answered 503`,
    });
    receiver.respondNext({ status: 429, headers: { 'Retry-After': '7' } });
    expect(await failure(channel.send(message()))).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    receiver.respondNext({ status: 410 });
    expect(await failure(channel.send(message()))).toMatchObject({ retryable: false });
    receiver.respondNext({ status: 302, headers: { Location: 'https://elsewhere.example' } });
    expect(await failure(channel.send(message()))).toMatchObject({
      retryable: false,
      message: expect.stringContaining('answered 302') as string,
    });
  });

  it('times out a receiver that does not answer, and reports one that is gone', async () => {
    receiver.respondNext('hang');
    expect(await failure(channel.send(message()))).toMatchObject({
      retryable: true,
      timeout: true,
      message: `the receiver at ${receiver.url} did not answer within 500 ms`,
    });
    await receiver.down();
    try {
      const gone = await failure(channel.send(message()));
      // refused, or the kept-alive connection the receiver dropped when it went down
      expect(gone.message).toMatch(/^the receiver at http:\/\/127\.0\.0\.1:\d+ cannot connect \((ECONNREFUSED|UND_ERR_SOCKET)\)$/);
      expect(gone).toMatchObject({ retryable: true, timeout: false });
    } finally {
      await receiver.up();
    }
  });
});

describe('TelegramChannel against a fake Bot API', () => {
  const api = new FakeTelegramApi({ token: TOKEN, chats: [CHAT] });

  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  const channel = (overrides: Partial<{ botToken: string; chatId: string; timeoutMs: number }> = {}): TelegramChannel =>
    new TelegramChannel({ apiUrl: api.url, botToken: TOKEN, chatId: CHAT, timeoutMs: 500, ...overrides });

  it('sends the text (Turkish, then English, then the link) to the chat', async () => {
    await channel().send(message('both'));
    expect(api.messages.at(-1)).toEqual({
      chat_id: CHAT,
      text: '[KRİTİK] +4420 için wangiri bulgusu: 5 dakikada 12 tek çalan arama\n\n[CRITICAL] Finding wangiri for +4420: 12 one-ring calls in 5 min\n\nhttps://velora.example.com/notifications',
    });
    await channel().send(message('en'));
    expect(api.messages.at(-1)?.text).toBe(
      '[CRITICAL] Finding wangiri for +4420: 12 one-ring calls in 5 min\n\nhttps://velora.example.com/notifications',
    );
  });

  it('does not retry a wrong token or chat, and never shows the token', async () => {
    const badToken = await failure(channel({ botToken: '999:WrongTokenWrongTokenWrongToken' }).send(message()));
    expect(badToken).toMatchObject({ retryable: false, message: 'the Bot API refused the message (401: Unauthorized)' });
    const badChat = await failure(channel({ chatId: '-100999' }).send(message()));
    expect(badChat).toMatchObject({ retryable: false, message: 'the Bot API refused the message (400: Bad Request: chat not found)' });
    api.respondNext('hang');
    const slow = await failure(channel().send(message()));
    expect(slow).toMatchObject({ timeout: true, retryable: true });
    for (const error of [badToken, badChat, slow]) expect(error.message).not.toContain(TOKEN);
  });

  it('honours retry_after on 429 and retries 5xx', async () => {
    api.respondNext({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    });
    expect(await failure(channel().send(message()))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    api.respondNext({ status: 502, body: 'Bad Gateway' });
    expect(await failure(channel().send(message()))).toMatchObject({
      retryable: true,
      message: 'the Bot API refused the message (502: HTTP 502)',
    });
  });
});

describe('EmailChannel against a local SMTP sink', () => {
  const sink = new FakeSmtpSink({ user: 'velora', pass: 'smtp-Sink-pass-1' });
  let channel: EmailChannel;

  beforeAll(async () => {
    await sink.start();
    channel = new EmailChannel({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'velora',
      pass: 'smtp-Sink-pass-1',
      tlsVerify: true,
      from: 'Velora <velora@example.com>',
      to: ['noc@example.com', 'oncall@example.com'],
      timeoutMs: 2000,
    });
  });
  afterAll(async () => {
    await channel.close();
    await sink.stop();
  });

  it('sends a plain-text mail to every recipient, logged in', async () => {
    await channel.send(message('both'));
    await sink.waitFor(1);
    const mail = sink.mails.at(-1);
    expect(mail).toMatchObject({ from: 'velora@example.com', to: ['noc@example.com', 'oncall@example.com'], user: 'velora' });
    expect(mail?.subject).toBe('[Velora] [KRİTİK] +4420 için wangiri bulgusu: 5 dakikada 12 tek çalan arama');
    expect(mail?.text).toBe(message('both').text);
    expect(mail?.headers['x-velora-delivery']).toBe('delivery-1');
    expect(channel.target).toBe('noc@example.com, oncall@example.com');
  });

  it('retries a temporary refusal (4xx), not a permanent one (5xx) or bad credentials', async () => {
    sink.refuseNext(451, 'Try again later');
    expect(await failure(channel.send(message()))).toMatchObject({
      retryable: true,
      message: expect.stringContaining('refused the message (451 Try again later)') as string,
    });
    sink.refuseNext(550, 'Mailbox unavailable');
    expect(await failure(channel.send(message()))).toMatchObject({ retryable: false });
    const wrong = new EmailChannel({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'velora',
      pass: 'wrong-password-0',
      tlsVerify: true,
      from: 'velora@example.com',
      to: ['noc@example.com'],
      timeoutMs: 2000,
    });
    try {
      const error = await failure(wrong.send(message()));
      expect(error).toMatchObject({
        retryable: false,
        message: `the SMTP server 127.0.0.1:${String(sink.port)} rejected the credentials (NOTIFY_SMTP_USER / NOTIFY_SMTP_PASS)`,
      });
      expect(error.message).not.toContain('wrong-password-0');
    } finally {
      await wrong.close();
    }
  });

  it('reports a server that is gone as retryable', async () => {
    await sink.down();
    const gone = new EmailChannel({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      tlsVerify: true,
      from: 'velora@example.com',
      to: ['noc@example.com'],
      timeoutMs: 1000,
    });
    try {
      expect(await failure(gone.send(message()))).toMatchObject({
        retryable: true,
        message: `the SMTP server 127.0.0.1:${String(sink.port)} cannot be reached (ECONNREFUSED)`,
      });
    } finally {
      await gone.close();
      await sink.up();
    }
  });
});

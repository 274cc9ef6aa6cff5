import type { NotificationChannelStatus, VeloraEvent } from '@velora/contracts';
import { SippySimulator } from '@velora/sippy/simulator';
import { EventsService } from '../../apps/api/src/events/events.service';
import { OutboundDispatcher } from '../../apps/api/src/notifications/outbound-dispatcher.service';
import type { WebhookPayload } from '../../apps/api/src/notifications/channels/webhook.channel';
import { CdrSyncService } from '../../apps/api/src/sync/cdr-sync.service';
import { FakeSmtpSink, FakeTelegramApi, FakeWebhookReceiver } from '../support/notification-fakes';
import { startTestApp, type TestApp } from '../support/test-app';

const WEBHOOK_SECRET = 'e2e-webhook-Secret-0123456789';
const SMTP_PASS = 'e2e-Smtp-pass-4711';
const BOT_TOKEN = '4242:AAE2eFakeBotToken_abcdefghijklmnop';
const CHAT = '-1009876543210';
const SIPPY_PASS = 'notify-e2e-Sippy-pass';

const finding = (id: string, level: 'warn' | 'crit'): Parameters<EventsService['publish']>[0] => ({
  type: 'finding',
  level,
  data: {
    id,
    rule: 'premium_prefix',
    level,
    subject: '+88213',
    reason_en: 'calls to a premium-rate prefix',
    reason_tr: 'premium hat önekine aramalar',
  },
});

describe('outbound notification channels (webhook, email, Telegram) against local fakes', () => {
  const receiver = new FakeWebhookReceiver();
  const sink = new FakeSmtpSink({ user: 'velora-alerts', pass: SMTP_PASS });
  const telegram = new FakeTelegramApi({ token: BOT_TOKEN, chats: [CHAT] });
  let sim: SippySimulator;
  let api: TestApp;
  let bare: TestApp | undefined;

  beforeAll(async () => {
    await Promise.all([receiver.start(), sink.start(), telegram.start()]);
    sim = new SippySimulator({ password: SIPPY_PASS, seed: 9, historyHours: 1, callsPerMinute: 1 });
    await sim.start();
    api = await startTestApp({
      DATABASE_URL: 'memory://',
      SIPPY_RPC_URL: sim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: SIPPY_PASS,
      SIPPY_SYNC_ENABLED: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '86400',
      SIPPY_SYNC_RETRY_ATTEMPTS: '1',
      SIPPY_HEALTH_DEGRADED_AFTER_FAILURES: '1', // the first failed run is crit
      NOTIFY_APP_URL: 'https://velora.example.com/',
      NOTIFY_WEBHOOK_URL: `${receiver.url}/velora`,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(sink.port),
      NOTIFY_SMTP_USER: 'velora-alerts',
      NOTIFY_SMTP_PASS: SMTP_PASS,
      NOTIFY_EMAIL_FROM: 'Velora <alerts@velora.test>',
      NOTIFY_EMAIL_TO: 'noc@velora.test',
      NOTIFY_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      NOTIFY_TELEGRAM_CHAT_ID: CHAT,
      NOTIFY_TELEGRAM_API_URL: telegram.url,
      NOTIFY_TIMEOUT_MS: '500',
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_RETRY_ATTEMPTS: '8',
    });
    await api.app.get(CdrSyncService).runNow();
  });

  afterAll(async () => {
    await bare?.close();
    await api.close(); // also fails if a channel secret reached a response or a log line
    await sim.stop();
    await Promise.all([receiver.stop(), sink.stop(), telegram.stop()]);
  });

  it('lists the channels for admins, with targets and no secrets', async () => {
    const res = await api.http().get('/api/notifications/channels').expect(200);
    const list = res.body as NotificationChannelStatus[];
    expect(list.map((c) => [c.channel, c.configured, c.target])).toEqual([
      ['webhook', true, receiver.url],
      ['email', true, 'noc@velora.test'],
      ['telegram', true, `chat ${CHAT}`],
    ]);
    await api.as('agent').get('/api/notifications/channels').expect(403);
    await api.as('agent').post('/api/notifications/channels/webhook/test').expect(403);
  });

  it('sends a test message through each channel (the test button) and audits it', async () => {
    for (const channel of ['webhook', 'email', 'telegram'] as const) {
      const res = await api.http().post(`/api/notifications/channels/${channel}/test`).expect(200);
      expect(res.body).toEqual({ channel, ok: true, latency_ms: expect.any(Number) as number });
    }
    const hook = receiver.received.at(-1);
    expect(hook && FakeWebhookReceiver.verify(hook, WEBHOOK_SECRET)).toBe(true);
    expect(hook?.headers['x-velora-event']).toBe('test');
    expect((JSON.parse(hook?.body ?? '{}') as WebhookPayload).test).toBe(true);
    await sink.waitFor(1);
    expect(sink.mails.at(-1)).toMatchObject({
      to: ['noc@velora.test'],
      user: 'velora-alerts',
      subject: '[Velora] Velora deneme bildirimi: e-posta kanalı çalışıyor.',
    });
    expect(telegram.messages.at(-1)?.text).toBe(
      'Velora deneme bildirimi: Telegram kanalı çalışıyor.\n\nVelora test notification: the Telegram channel works.\n\nhttps://velora.example.com/notifications',
    );
    const audit = await api.http().get('/api/audit-log').query({ action: 'notifications.' }).expect(200);
    expect((audit.body as Array<{ target: string; details: { ok: boolean } }>).map((e) => [e.target, e.details.ok])).toEqual([
      ['telegram', true],
      ['email', true],
      ['webhook', true],
    ]);
  });

  it('answers 400 for an unknown channel, 409 for one not configured, 502/504 naming the channel when it fails', async () => {
    const unknown = await api.http().post('/api/notifications/channels/sms/test').expect(400);
    expect(JSON.stringify(unknown.body)).toContain('channel must be one of webhook, email, telegram');

    bare = await startTestApp({ DATABASE_URL: 'memory://' }, { seedUsers: true });
    const notConfigured = await bare.http().post('/api/notifications/channels/telegram/test').expect(409);
    expect((notConfigured.body as { message: string }).message).toBe(
      'The telegram channel is not configured: set NOTIFY_TELEGRAM_BOT_TOKEN and NOTIFY_TELEGRAM_CHAT_ID',
    );
    expect(
      ((await bare.http().get('/api/notifications/channels').expect(200)).body as NotificationChannelStatus[]).every((c) => !c.configured),
    ).toBe(true);

    receiver.respondNext({ status: 500, body: 'boom' });
    const refused = await api.http().post('/api/notifications/channels/webhook/test').expect(502);
    expect((refused.body as { message: string }).message).toBe(`webhook: the receiver at ${receiver.url} answered 500`);
    receiver.respondNext('hang');
    const slow = await api.http().post('/api/notifications/channels/webhook/test').expect(504);
    expect((slow.body as { message: string }).message).toBe(`webhook: the receiver at ${receiver.url} did not answer within 500 ms`);
  });

  it('sends crit findings to every channel once, signed; keeps warn findings in the app', async () => {
    const before = { hooks: receiver.received.length, mails: sink.mails.length, chats: telegram.messages.length };
    await api.app.get(EventsService).publish(finding('warn-1', 'warn'));
    const crit = await api.app.get(EventsService).publish(finding('crit-1', 'crit'));
    await api.app.get(OutboundDispatcher).idle();
    expect(receiver.received.length - before.hooks).toBe(1);
    const hook = receiver.received.at(-1);
    expect(hook && FakeWebhookReceiver.verify(hook, WEBHOOK_SECRET)).toBe(true);
    expect(hook?.headers['x-velora-event']).toBe('finding');
    const payload = JSON.parse(hook?.body ?? '{}') as WebhookPayload;
    expect(payload.event).toEqual(crit);
    expect(payload.text.en).toBe('[CRITICAL] Finding premium_prefix for +88213: calls to a premium-rate prefix');
    expect(payload.link).toBe('https://velora.example.com/notifications');
    await sink.waitFor(before.mails + 1);
    expect(sink.mails.at(-1)?.subject).toBe('[Velora] [KRİTİK] +88213 için premium_prefix bulgusu: premium hat önekine aramalar');
    expect(sink.mails.at(-1)?.headers['x-velora-delivery']).toBe(payload.delivery_id);
    expect(telegram.messages.length - before.chats).toBe(1);
  });

  it('masks numbers in every outbound channel while the privacy settings mask an agent (NOTIFY_MASK_NUMBERS=auto)', async () => {
    const numberFinding = (id: string): Parameters<EventsService['publish']>[0] => ({
      type: 'finding',
      level: 'crit',
      data: {
        id,
        rule: 'fan_out',
        level: 'crit',
        subject: '905321234567',
        reason_en: '905321234567 called 120 distinct numbers in 1 h',
        reason_tr: '905321234567 1 sa içinde 120 farklı numarayı aradı',
      },
    });
    const send = async (id: string): Promise<{ hook: string; mail: string; chat: string }> => {
      const before = { hooks: receiver.received.length, mails: sink.mails.length, chats: telegram.messages.length };
      await api.app.get(EventsService).publish(numberFinding(id));
      await api.app.get(OutboundDispatcher).idle();
      await sink.waitFor(before.mails + 1);
      expect(receiver.received.length - before.hooks).toBe(1);
      expect(telegram.messages.length - before.chats).toBe(1);
      return {
        hook: receiver.received.at(-1)?.body ?? '',
        mail: JSON.stringify(sink.mails.at(-1)),
        chat: JSON.stringify(telegram.messages.at(-1)),
      };
    };
    await api
      .http()
      .put('/api/privacy/settings')
      .send({ masking_enabled: true, masked_roles: ['agent'], reveal_roles: ['admin'] })
      .expect(200);
    try {
      const masked = await send('mask-1');
      for (const body of [masked.hook, masked.mail, masked.chat]) {
        expect(body).toContain('+90 532 *** ** 67');
        expect(body).not.toContain('1234567');
      }
      expect((JSON.parse(masked.hook) as WebhookPayload).text.en).toBe(
        '[CRITICAL] Finding fan_out for +90 532 *** ** 67: +90 532 *** ** 67 called 120 distinct numbers in 1 h',
      );
    } finally {
      await api
        .http()
        .put('/api/privacy/settings')
        .send({ masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin'] })
        .expect(200);
    }
    const full = await send('mask-2');
    for (const body of [full.hook, full.mail, full.chat]) expect(body).toContain('905321234567');
  });

  it('never lets failing channels slow the sync: errors queue, retry with back-off and go out when the channel is back', async () => {
    const before = receiver.received.length;
    const mailsBefore = sink.mails.length;
    receiver.respondNext('hang', 2); // two attempts time out…
    receiver.respondNext({ status: 503 }, 1); // …one is refused, then the receiver works again
    await sink.down(); // email is gone for a while
    await sim.down();
    let failedRunMs: number;
    try {
      const started = Date.now();
      await api
        .http()
        .post('/api/sippy/sync')
        .expect((res) => {
          expect([502, 504]).toContain(res.status);
        });
      failedRunMs = Date.now() - started;
    } finally {
      await sim.up();
    }
    const recoveredAt = Date.now();
    await api.http().post('/api/sippy/sync').expect(200);
    expect(Date.now() - recoveredAt).toBeLessThan(3000);
    expect(failedRunMs).toBeLessThan(5000); // SIPPY_TIMEOUT_MS 3000 bounds the switch; the channels add nothing
    const webhook = (): NotificationChannelStatus | undefined =>
      api.app
        .get(OutboundDispatcher)
        .status()
        .find((c) => c.channel === 'webhook');
    await sink.up();

    await receiver.waitFor(before + 5, 15_000); // 3 failed attempts + sync_error + sync_recovered
    await api.app.get(OutboundDispatcher).idle();
    const delivered = receiver.received.slice(before).filter((r) => FakeWebhookReceiver.verify(r, WEBHOOK_SECRET));
    const types = delivered.map((r) => (JSON.parse(r.body) as WebhookPayload).event?.type);
    expect(types).toEqual(['sync_error', 'sync_error', 'sync_error', 'sync_error', 'sync_recovered']);
    const ids = new Set(delivered.slice(0, 4).map((r) => r.headers['x-velora-delivery']));
    expect(ids.size).toBe(1); // one delivery, retried
    const recovered = JSON.parse(delivered[4]?.body ?? '{}') as { event: VeloraEvent };
    expect(recovered.event.data).toEqual({ failed_runs: 1, outage_level: 'crit' });
    expect(webhook()).toMatchObject({ queued: 0, failed: 0 });
    await sink.waitFor(mailsBefore + 2, 15_000); // email caught up once the server was back
    expect(sink.mails.slice(mailsBefore).map((m) => m.headers['x-velora-event'])).toEqual(['sync_error', 'sync_recovered']);
  }, 40_000);
});

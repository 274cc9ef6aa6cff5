import {
  DEFAULT_PRIVACY_SETTINGS,
  type FindingEventData,
  type NotificationChannelName,
  type PrivacySettings,
  type VeloraEvent,
} from '@velora/contracts';
import { AppConfig } from '../config/app-config';
import type { EventsService, PublishedListener } from '../events/events.service';
import { DeliveryError, NotificationChannel } from './channels/notification-channel';
import type { NotificationChannels } from './notification-channels';
import type { OutboundMessage } from './notification-message';
import { OutboundDispatcher, retryDelayMs } from './outbound-dispatcher.service';
import { NumberMaskingService } from '../privacy/number-masking.service';
import type { PrivacySettingsService } from '../privacy/privacy-settings.service';

/** A channel whose answers the test scripts: ok, an error, or a gate that holds the delivery. */
class ScriptedChannel extends NotificationChannel {
  readonly sent: OutboundMessage[] = [];
  readonly attempts: Array<{ message: OutboundMessage; at: number }> = [];
  private readonly script: Array<DeliveryError | Promise<void>> = [];

  constructor(
    readonly name: NotificationChannelName,
    readonly target = 'test target',
  ) {
    super();
  }

  next(...answers: Array<DeliveryError | Promise<void>>): void {
    this.script.push(...answers);
  }

  async send(message: OutboundMessage): Promise<void> {
    this.attempts.push({ message, at: Date.now() });
    const answer = this.script.shift();
    if (answer instanceof DeliveryError) throw answer;
    if (answer !== undefined) await answer;
    this.sent.push(message);
  }
}

let nextId = 1;
function event(partial: Pick<VeloraEvent, 'type' | 'level' | 'data'>): VeloraEvent {
  return { id: nextId++, at: new Date().toISOString(), ...partial } as VeloraEvent;
}
const finding = (level: 'warn' | 'crit'): VeloraEvent =>
  event({ type: 'finding', level, data: { id: 'f', rule: 'short_calls', level, subject: '+90532', reason_en: 'r', reason_tr: 'r' } });
const retryable = (retryAfterMs?: number): DeliveryError =>
  new DeliveryError('webhook', 'the receiver answered 503', { retryable: true, retryAfterMs });
const permanent = (): DeliveryError => new DeliveryError('webhook', 'the receiver answered 410', { retryable: false });

function setup(
  env: Record<string, string> = {},
  channels: ScriptedChannel[] = [new ScriptedChannel('webhook')],
  privacy: PrivacySettings = DEFAULT_PRIVACY_SETTINGS,
) {
  const listeners: PublishedListener[] = [];
  const events = { onPublished: (listener: PublishedListener) => (listeners.push(listener), () => undefined) } as unknown as EventsService;
  const registry = { list: () => channels } as unknown as NotificationChannels;
  const config = AppConfig.fromEnv({ NOTIFY_RETRY_BASE_MS: '0', ...env });
  const masking = new NumberMaskingService({ snapshot: () => privacy } as unknown as PrivacySettingsService);
  const dispatcher = new OutboundDispatcher(events, registry, config, masking);
  dispatcher.onModuleInit();
  const publish = (e: VeloraEvent): void => {
    for (const listener of listeners) listener({ event: e, audience: 'all', userId: null, notification: true });
  };
  return { dispatcher, publish, channels };
}

describe('OutboundDispatcher', () => {
  it('sends findings, integration changes and sync errors at or above NOTIFY_MIN_LEVEL; recoveries go where their alert went', async () => {
    const { dispatcher, publish, channels } = setup();
    const [channel] = channels;
    publish(finding('crit'));
    publish(finding('warn'));
    publish(event({ type: 'integration', level: 'crit', data: { integration: 'sippy', up: false, cause: 'timeout', message: 'm' } }));
    publish(event({ type: 'integration', level: 'info', data: { integration: 'sippy', up: true, cause: null, message: null } }));
    publish(event({ type: 'sync_error', level: 'warn', data: { message: 'm', consecutive_failures: 1 } }));
    publish(event({ type: 'sync_error', level: 'crit', data: { message: 'm', consecutive_failures: 3 } }));
    publish(event({ type: 'sync_recovered', level: 'info', data: { failed_runs: 3, outage_level: 'crit' } }));
    publish(event({ type: 'sync_recovered', level: 'info', data: { failed_runs: 1, outage_level: 'warn' } }));
    publish(event({ type: 'cdrs', level: 'info', data: { count: 5, newest_ids: ['1'], newest_start_time: null } }));
    await dispatcher.idle();
    expect(channel.sent.map((m) => [m.event?.type, m.event?.level])).toEqual([
      ['finding', 'crit'],
      ['integration', 'crit'],
      ['integration', 'info'],
      ['sync_error', 'crit'],
      ['sync_recovered', 'info'],
    ]);

    const warn = setup({ NOTIFY_MIN_LEVEL: 'warn' });
    warn.publish(finding('warn'));
    warn.publish(event({ type: 'sync_recovered', level: 'info', data: { failed_runs: 1, outage_level: 'warn' } }));
    await warn.dispatcher.idle();
    expect(warn.channels[0].sent).toHaveLength(2);
  });

  it('retries transient failures with the same delivery id, honours Retry-After, and gives up after NOTIFY_RETRY_ATTEMPTS', async () => {
    const { dispatcher, publish, channels } = setup({ NOTIFY_RETRY_ATTEMPTS: '3' });
    const [channel] = channels;
    channel.next(retryable(), retryable(150));
    publish(finding('crit'));
    await dispatcher.idle();
    expect(channel.attempts).toHaveLength(3);
    expect(new Set(channel.attempts.map((a) => a.message.deliveryId)).size).toBe(1);
    const [, second, third] = channel.attempts;
    expect(third.at - second.at).toBeGreaterThanOrEqual(140);
    expect(dispatcher.status().find((s) => s.channel === 'webhook')).toMatchObject({
      configured: true,
      delivered: 1,
      failed: 0,
      last_error: 'the receiver answered 503',
    });

    channel.next(retryable(), retryable(), retryable(), retryable());
    publish(finding('crit'));
    await dispatcher.idle();
    expect(channel.attempts).toHaveLength(6); // 3 more, then given up
    expect(dispatcher.status().find((s) => s.channel === 'webhook')).toMatchObject({ delivered: 1, failed: 1 });
  });

  it('does not retry a permanent failure', async () => {
    const { dispatcher, publish, channels } = setup();
    channels[0].next(permanent());
    publish(finding('crit'));
    await dispatcher.idle();
    expect(channels[0].attempts).toHaveLength(1);
    expect(dispatcher.status()[0]).toMatchObject({ channel: 'webhook', failed: 1, last_error: 'the receiver answered 410' });
  });

  it('keeps each queue bounded (the oldest waiting is dropped) and never makes the publisher wait', async () => {
    const { dispatcher, publish, channels } = setup({ NOTIFY_QUEUE_MAX: '2' });
    const [channel] = channels;
    let release!: () => void;
    channel.next(new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    const events = [1, 2, 3, 4, 5].map(() => finding('crit'));
    for (const e of events) publish(e); // the first is in flight, the queue holds two
    expect(Date.now() - started).toBeLessThan(50);
    expect(dispatcher.status()[0]).toMatchObject({ queued: 2, dropped: 2 });
    release();
    await dispatcher.idle();
    expect(channel.sent.map((m) => m.event?.id)).toEqual([events[0]?.id, events[3]?.id, events[4]?.id]);
  });

  it('lets a stuck channel delay only itself', async () => {
    const stuck = new ScriptedChannel('webhook');
    const healthy = new ScriptedChannel('telegram');
    stuck.next(new Promise<void>(() => undefined)); // never answers
    const { dispatcher, publish } = setup({}, [stuck, healthy]);
    publish(finding('crit'));
    publish(finding('crit'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(healthy.sent).toHaveLength(2);
    expect(stuck.sent).toHaveLength(0);
    expect(dispatcher.status().find((s) => s.channel === 'webhook')?.queued).toBe(1);
    expect(dispatcher.status().find((s) => s.channel === 'email')).toMatchObject({ configured: false, target: null });
  });

  it('cuts retry back-offs short on shutdown', async () => {
    const { dispatcher, publish, channels } = setup({ NOTIFY_RETRY_ATTEMPTS: '5' });
    channels[0].next(retryable(60_000));
    publish(finding('crit'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await dispatcher.onApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(channels[0].attempts).toHaveLength(1);
  });

  it('sends a test message through one channel once, without retrying', async () => {
    const { dispatcher, channels } = setup();
    await expect(dispatcher.test('email')).resolves.toBeUndefined(); // not configured
    const result = await dispatcher.test('webhook');
    expect(result?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(channels[0].sent[0]).toMatchObject({
      test: true,
      event: null,
      texts: { en: 'Velora test notification: the webhook channel works.' },
    });
    channels[0].next(retryable());
    await expect(dispatcher.test('webhook')).rejects.toThrow('the receiver answered 503');
    expect(channels[0].attempts).toHaveLength(2);
  });

  it('masks numbers in outbound findings per NOTIFY_MASK_NUMBERS (auto: when any non-admin role is masked)', async () => {
    const number: FindingEventData = {
      id: 'f-mask',
      rule: 'fan_out',
      level: 'crit',
      subject: '905321234567',
      reason_en: '905321234567 called 42 distinct numbers in 1 h',
      reason_tr: '905321234567 1 sa içinde 42 farklı numarayı aradı',
    };
    const masked = { ...DEFAULT_PRIVACY_SETTINGS, masking_enabled: true, masked_roles: ['agent'] } as PrivacySettings;
    const adminOnly = { ...DEFAULT_PRIVACY_SETTINGS, masking_enabled: true, masked_roles: ['admin'] } as PrivacySettings;
    const sent = async (env: Record<string, string>, privacy: PrivacySettings): Promise<OutboundMessage> => {
      const { dispatcher, publish, channels } = setup(env, [new ScriptedChannel('webhook')], privacy);
      publish(event({ type: 'finding', level: 'crit', data: number }));
      await dispatcher.onApplicationShutdown().catch(() => undefined);
      expect(channels[0].attempts).toHaveLength(1);
      return channels[0].attempts[0].message;
    };
    const auto = await sent({}, masked);
    expect(JSON.stringify(auto)).not.toContain('1234567');
    expect(auto.texts.en).toBe('[CRITICAL] Finding fan_out for +90 532 *** ** 67: +90 532 *** ** 67 called 42 distinct numbers in 1 h');
    expect((auto.event?.data as FindingEventData).subject).toBe('+90 532 *** ** 67');
    // auto with masking off, or only admins masked: full numbers
    expect(JSON.stringify(await sent({}, DEFAULT_PRIVACY_SETTINGS))).toContain('905321234567');
    expect(JSON.stringify(await sent({}, adminOnly))).toContain('905321234567');
    // forced either way
    expect(JSON.stringify(await sent({ NOTIFY_MASK_NUMBERS: 'true' }, DEFAULT_PRIVACY_SETTINGS))).not.toContain('1234567');
    expect(JSON.stringify(await sent({ NOTIFY_MASK_NUMBERS: 'false' }, masked))).toContain('905321234567');
  });

  it('backs off exponentially with full jitter, capped at 5 minutes', () => {
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
    expect(retryDelayMs(3, 1000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(20, 1000, () => 1)).toBe(300_000);
  });
});

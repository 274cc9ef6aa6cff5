import { isLevelAtLeast, type EventLevel, type NotificationChannelName, type VeloraEvent } from '@velora/contracts';

/** One outbound message: the same delivery id on every retry (receivers de-duplicate with it). */
export interface OutboundMessage {
  deliveryId: string;
  /** The event; null for a test message. */
  event: VeloraEvent | null;
  test: boolean;
  /** One line (email subject). */
  subject: string;
  /** The text in NOTIFY_LANGUAGE (both: Turkish, then English). */
  text: string;
  texts: { en: string; tr: string };
  /** The notifications page of the web app (NOTIFY_APP_URL), or null. */
  link: string | null;
}

const OUTBOUND_TYPES = new Set(['finding', 'insight', 'integration', 'sync_error', 'sync_recovered']);

const INTEGRATION_LABELS: Readonly<Record<string, string>> = { sippy: 'SippySoft', issabel: 'Issabel', elevenlabs: 'ElevenLabs' };
const LEVEL_LABELS: Readonly<Record<EventLevel, { en: string; tr: string }>> = {
  info: { en: 'INFO', tr: 'BİLGİ' },
  warn: { en: 'WARNING', tr: 'UYARI' },
  crit: { en: 'CRITICAL', tr: 'KRİTİK' },
};
const CHANNEL_LABELS: Readonly<Record<NotificationChannelName, { en: string; tr: string }>> = {
  webhook: { en: 'webhook', tr: 'webhook' },
  email: { en: 'email', tr: 'e-posta' },
  telegram: { en: 'Telegram', tr: 'Telegram' },
};

/**
 * The level an event is routed at: recoveries go wherever the alert they end went (an integration outage is always
 * crit; a sync recovery carries the level its failures reached).
 */
export function routingLevel(event: VeloraEvent): EventLevel {
  if (event.type === 'integration' && event.data.up) return 'crit';
  if (event.type === 'sync_recovered') return event.data.outage_level;
  return event.level;
}

/** Whether an event goes to the outbound channels: findings, insights, integration changes, sync errors/recoveries at or above `minLevel`. */
export function isOutbound(event: VeloraEvent, minLevel: EventLevel): boolean {
  return OUTBOUND_TYPES.has(event.type) && isLevelAtLeast(routingLevel(event), minLevel);
}

/** The event in both languages (one line each). */
export function describeEvent(event: VeloraEvent): { en: string; tr: string } {
  const level = LEVEL_LABELS[event.level];
  switch (event.type) {
    case 'finding': {
      const d = event.data;
      return {
        en: `[${level.en}] Finding ${d.rule} for ${d.subject}: ${d.reason_en}`,
        tr: `[${level.tr}] ${d.subject} için ${d.rule} bulgusu: ${d.reason_tr}`,
      };
    }
    case 'insight': {
      const d = event.data;
      return { en: `[${level.en}] Insight: ${d.message_en}`, tr: `[${level.tr}] Analiz: ${d.message_tr}` };
    }
    case 'integration': {
      const d = event.data;
      const name = INTEGRATION_LABELS[d.integration] ?? d.integration;
      if (d.up) return { en: `${name} is up again`, tr: `${name} yeniden çalışıyor` };
      const why = [d.cause, d.message].filter((part) => part !== null && part !== '').join(': ');
      return {
        en: `[${level.en}] ${name} is down${why ? ` (${why})` : ''}`,
        tr: `[${level.tr}] ${name} erişilemiyor${why ? ` (${why})` : ''}`,
      };
    }
    case 'sync_error': {
      const d = event.data;
      return {
        en: `[${level.en}] CDR sync failed (${String(d.consecutive_failures)} run(s) in a row): ${d.message}`,
        tr: `[${level.tr}] CDR eşitlemesi başarısız (art arda ${String(d.consecutive_failures)} çalışma): ${d.message}`,
      };
    }
    case 'sync_recovered': {
      const d = event.data;
      return {
        en: `CDR sync works again after ${String(d.failed_runs)} failed run(s)`,
        tr: `CDR eşitlemesi ${String(d.failed_runs)} başarısız çalışmadan sonra yeniden çalışıyor`,
      };
    }
    case 'cdrs':
      return { en: `${String(event.data.count)} new CDR(s)`, tr: `${String(event.data.count)} yeni CDR` };
    case 'notifications_read':
      return { en: 'Notifications read', tr: 'Bildirimler okundu' };
  }
}

export function testTexts(channel: NotificationChannelName): { en: string; tr: string } {
  const label = CHANNEL_LABELS[channel];
  return {
    en: `Velora test notification: the ${label.en} channel works.`,
    tr: `Velora deneme bildirimi: ${label.tr} kanalı çalışıyor.`,
  };
}

export interface MessageOptions {
  language: 'tr' | 'en' | 'both';
  appUrl?: string;
}

/** Builds the message of an event (or of a test, `event` null + `texts`). */
export function buildMessage(
  deliveryId: string,
  event: VeloraEvent | null,
  texts: { en: string; tr: string },
  options: MessageOptions,
): OutboundMessage {
  const link = options.appUrl === undefined ? null : `${options.appUrl}/notifications`;
  const body = options.language === 'en' ? texts.en : options.language === 'tr' ? texts.tr : `${texts.tr}\n\n${texts.en}`;
  const subjectLine = options.language === 'en' ? texts.en : texts.tr;
  return {
    deliveryId,
    event,
    test: event === null,
    subject: `[Velora] ${subjectLine}`.slice(0, 200),
    text: link === null ? body : `${body}\n\n${link}`,
    texts,
    link,
  };
}

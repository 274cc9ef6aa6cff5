import { INSIGHT_KINDS, type IntegrationName, type VeloraEvent } from '@velora/contracts';

/** Product names (not translated). */
export const INTEGRATION_DISPLAY_NAMES: Readonly<Record<IntegrationName, string>> = {
  sippy: 'SippySoft',
  issabel: 'Issabel',
  elevenlabs: 'ElevenLabs',
};

export interface NotificationText {
  /** Transloco key of the one-line title, with its parameters. */
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** A second line as the server wrote it (a finding's reason in the UI language, an error message), or null. */
  readonly detail: string | null;
  readonly icon: string;
}

/** What the bell, the page and the toasts show for a notification (pure; the templates translate `key`). */
export function notificationText(item: VeloraEvent, language: string): NotificationText {
  switch (item.type) {
    case 'finding': {
      const d = item.data;
      return {
        key: 'notifications.text.finding',
        params: { subject: d.subject, rule: d.rule },
        detail: language === 'tr' ? d.reason_tr : d.reason_en,
        icon: item.level === 'crit' ? 'error' : 'warning',
      };
    }
    case 'insight': {
      const d = item.data;
      return {
        // the insight panel's own label of the kind ("Trafik artışı"); the sentence with the numbers below it
        key: (INSIGHT_KINDS as readonly string[]).includes(d.kind) ? `insights.kind.${d.kind}` : 'notifications.text.other',
        params: { type: d.kind },
        detail: language === 'tr' ? d.message_tr : d.message_en,
        icon: item.level === 'crit' ? 'insights' : 'trending_up',
      };
    }
    case 'integration': {
      const d = item.data;
      const name = INTEGRATION_DISPLAY_NAMES[d.integration];
      return d.up
        ? { key: 'notifications.text.integrationUp', params: { name }, detail: null, icon: 'check_circle' }
        : { key: 'notifications.text.integrationDown', params: { name }, detail: d.message, icon: 'cancel' };
    }
    case 'sync_error':
      return {
        key: 'notifications.text.syncError',
        params: { count: item.data.consecutive_failures },
        detail: item.data.message,
        icon: 'sync_alt',
      };
    case 'sync_recovered':
      return { key: 'notifications.text.syncRecovered', params: { count: item.data.failed_runs }, detail: null, icon: 'check_circle' };
    default:
      return { key: 'notifications.text.other', params: { type: item.type }, detail: null, icon: 'notifications' };
  }
}

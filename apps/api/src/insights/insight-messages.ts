import { dateTimeFormat, numberFormat } from '../common/intl-formats';
import type { InsightKind, InsightMetric, InsightSubjectType, InsightText, NarrativeLang } from '@velora/contracts';

/** What a message needs to know about an insight. */
export interface InsightMessageInput {
  kind: InsightKind;
  subjectType: InsightSubjectType;
  countryCode: string | null;
  currency: string | null;
  hour: Date;
  metric: InsightMetric;
  observed: number;
  expected: number | null;
  band: { low: number; high: number } | null;
  calls: number;
  quietDays?: number;
}

const LOCALES: Readonly<Record<NarrativeLang, string>> = { en: 'en-GB', tr: 'tr-TR' };
const regionNames = new Map<NarrativeLang, Intl.DisplayNames>();

/** "Germany (DE)" / "Almanya (DE)": the name in the language from the ISO code (never from CDR text). */
export function countryLabel(code: string, lang: NarrativeLang): string {
  let names = regionNames.get(lang);
  if (names === undefined) {
    names = new Intl.DisplayNames([LOCALES[lang]], { type: 'region', fallback: 'code' });
    regionNames.set(lang, names);
  }
  let name: string | undefined;
  try {
    name = names.of(code);
  } catch {
    name = undefined;
  }
  return name !== undefined && name !== code ? `${name} (${code})` : code;
}

export function formatNumber(value: number, lang: NarrativeLang, digits = 0): string {
  return numberFormat(LOCALES[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** "Tue 24 Nov, 13:00" / "24 Kas Sal 13:00" in the insights' zone. */
export function formatHour(hour: Date, tz: string, lang: NarrativeLang): string {
  return dateTimeFormat(LOCALES[lang], {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(hour);
}

function amount(value: number, metric: InsightMetric, currency: string | null, lang: NarrativeLang): string {
  if (metric === 'asr') return lang === 'tr' ? `%${formatNumber(value, lang, 1)}` : `${formatNumber(value, lang, 1)}%`;
  if (metric === 'cost') return `${formatNumber(value, lang, 2)} ${currency ?? ''}`.trim();
  return formatNumber(value, lang);
}

/** The insight in one sentence per language. */
export function insightMessage(input: InsightMessageInput, tz: string): InsightText {
  return { en: sentence(input, tz, 'en'), tr: sentence(input, tz, 'tr') };
}

function sentence(i: InsightMessageInput, tz: string, lang: NarrativeLang): string {
  const when = formatHour(i.hour, tz, lang);
  const where = i.countryCode === null ? null : countryLabel(i.countryCode, lang);
  const observed = amount(i.observed, i.metric, i.currency, lang);
  const expected = i.expected === null ? '' : amount(i.expected, i.metric, i.currency, lang);
  const high = i.band === null ? '' : amount(i.band.high, i.metric, i.currency, lang);
  const low = i.band === null ? '' : amount(i.band.low, i.metric, i.currency, lang);
  const calls = formatNumber(i.calls, lang);
  if (lang === 'en') {
    const to = where === null ? ' across all destinations' : ` to ${where}`;
    switch (i.kind) {
      case 'traffic_spike':
        return `Traffic spike${to} at ${when}: ${observed} calls, usually ${expected} (normal up to ${high}).`;
      case 'asr_drop':
        return `ASR drop${to} at ${when}: ${observed} of ${calls} calls answered, usually ${expected} (normal from ${low}).`;
      case 'cost_jump':
        return `Cost jump${to} at ${when}: ${observed}, usually ${expected} (normal up to ${high}).`;
      case 'new_destination':
        return `New destination ${where ?? ''} at ${when}: ${calls} calls, none in the ${String(i.quietDays ?? 0)} days before.`;
    }
  }
  const subject = where === null ? 'Tüm hedeflerde' : `${where} yönünde`;
  switch (i.kind) {
    case 'traffic_spike':
      return `${subject} trafik artışı, ${when}: ${observed} çağrı, olağan ${expected} (normal üst sınır ${high}).`;
    case 'asr_drop':
      return `${subject} ASR düşüşü, ${when}: ${calls} çağrının ${observed} kadarı cevaplandı, olağan ${expected} (normal alt sınır ${low}).`;
    case 'cost_jump':
      return `${subject} maliyet sıçraması, ${when}: ${observed}, olağan ${expected} (normal üst sınır ${high}).`;
    case 'new_destination':
      return `Yeni hedef ${where ?? ''}, ${when}: ${calls} çağrı; önceki ${String(i.quietDays ?? 0)} günde hiç yoktu.`;
  }
}

import type { NarrativeFacts, NarrativeLang } from '@velora/contracts';
import { dateTimeFormat } from '../../common/intl-formats';
import { countryLabel, formatNumber } from '../insight-messages';

/**
 * The deterministic daily summary (no language model): the same facts always give the same text, in Turkish or
 * English. Shown when no model is configured, when the model fails (with a note), and for a day in progress.
 */
export function builtinNarrative(facts: NarrativeFacts, lang: NarrativeLang): string {
  return lang === 'tr' ? turkish(facts) : english(facts);
}

const LONG_DATE: Readonly<Record<NarrativeLang, string>> = { en: 'en-GB', tr: 'tr-TR' };

function longDate(date: string, lang: NarrativeLang): string {
  // the date is a calendar day: format it at noon UTC in UTC so no zone can move it
  return dateTimeFormat(LONG_DATE[lang], {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

const n = (value: number, lang: NarrativeLang, digits = 0): string => formatNumber(value, lang, digits);
const pct = (value: number, lang: NarrativeLang): string => (lang === 'tr' ? `%${n(value, lang, 1)}` : `${n(value, lang, 1)}%`);

function costText(cost: NarrativeFacts['day']['cost'], lang: NarrativeLang): string {
  return cost.map((c) => `${n(c.amount, lang, 2)} ${c.currency}`).join(', ');
}

function insightPhrase(i: NarrativeFacts['insights'][number], lang: NarrativeLang): string {
  const where = i.country_code === null ? (lang === 'tr' ? 'tüm hedefler' : 'all destinations') : countryLabel(i.country_code, lang);
  const time = i.hour_local.slice(11);
  const value = (v: number): string =>
    i.metric === 'asr' ? pct(v, lang) : i.metric === 'cost' ? `${n(v, lang, 2)} ${i.currency ?? ''}`.trim() : n(v, lang);
  const usual = i.expected === null ? '' : lang === 'tr' ? `, olağan ${value(i.expected)}` : `, usually ${value(i.expected)}`;
  const labels: Record<NarrativeFacts['insights'][number]['kind'], [string, string]> = {
    traffic_spike: ['traffic spike', 'trafik artışı'],
    asr_drop: ['ASR drop', 'ASR düşüşü'],
    cost_jump: ['cost jump', 'maliyet sıçraması'],
    new_destination: ['new destination', 'yeni hedef'],
  };
  const [en, tr] = labels[i.kind];
  return lang === 'tr'
    ? `${where} ${time} ${tr} (${value(i.observed)}${usual})`
    : `${en} ${where} at ${time} (${value(i.observed)}${usual})`;
}

function severityCounts(facts: NarrativeFacts, lang: NarrativeLang): string {
  const count = (s: string): number => facts.insights.filter((i) => i.severity === s).length;
  const parts: string[] = [];
  const words: Array<[string, string, string, string]> = [
    ['critical', 'critical', 'critical', 'kritik'],
    ['warning', 'warning', 'warnings', 'uyarı'],
    ['info', 'note', 'notes', 'bilgi'],
  ];
  for (const [severity, one, many, tr] of words) {
    const c = count(severity);
    if (c > 0) parts.push(lang === 'tr' ? `${String(c)} ${tr}` : `${String(c)} ${c === 1 ? one : many}`);
  }
  return parts.join(', ');
}

function english(f: NarrativeFacts): string {
  const d = f.day;
  const p = f.previous_day;
  const date = longDate(f.date, 'en');
  if (d.calls === 0) {
    return `No calls were recorded on ${date} (${f.tz}); the day before had ${n(p.calls, 'en')}.`;
  }
  const parts: string[] = [];
  const change = f.change_pct.calls;
  const versus =
    change === null
      ? ''
      : change === 0
        ? `, the same as the day before`
        : `, ${pct(Math.abs(change), 'en')} ${change > 0 ? 'more' : 'fewer'} than the day before (${n(p.calls, 'en')})`;
  parts.push(`${date} (${f.tz}): ${n(d.calls, 'en')} calls${versus}.`);
  const asr = d.asr === null ? '' : ` (ASR ${pct(d.asr, 'en')}${p.asr === null ? '' : `, the day before ${pct(p.asr, 'en')}`})`;
  const acd = d.acd === null ? '' : `; an answered call lasted ${n(d.acd, 'en', 0)} s on average`;
  parts.push(`${n(d.answered, 'en')} were answered${asr}${acd}; ${n(d.billed_minutes, 'en', 1)} billed minutes.`);
  if (d.cost.length > 0) parts.push(`Cost: ${costText(d.cost, 'en')}.`);
  if (f.busiest_hour !== null) parts.push(`The busiest hour was ${f.busiest_hour.local} with ${n(f.busiest_hour.calls, 'en')} calls.`);
  if (f.top_destinations.length > 0) {
    const list = f.top_destinations
      .map((t) => `${countryLabel(t.country_code, 'en')} ${n(t.calls, 'en')}${t.asr === null ? '' : ` (ASR ${pct(t.asr, 'en')})`}`)
      .join(', ');
    parts.push(`Top destinations: ${list}.`);
  }
  if (f.insights.length === 0) {
    parts.push('No anomalies were found.');
  } else {
    parts.push(`Insights (${severityCounts(f, 'en')}): ${f.insights.map((i) => insightPhrase(i, 'en')).join('; ')}.`);
  }
  return parts.join(' ');
}

function turkish(f: NarrativeFacts): string {
  const d = f.day;
  const p = f.previous_day;
  const date = longDate(f.date, 'tr');
  if (d.calls === 0) {
    return `${date} (${f.tz}) günü hiç çağrı kaydedilmedi; önceki gün ${n(p.calls, 'tr')} çağrı vardı.`;
  }
  const parts: string[] = [];
  const change = f.change_pct.calls;
  const versus =
    change === null
      ? ''
      : change === 0
        ? ', önceki günle aynı'
        : `, önceki güne (${n(p.calls, 'tr')}) göre ${pct(Math.abs(change), 'tr')} ${change > 0 ? 'daha fazla' : 'daha az'}`;
  parts.push(`${date} (${f.tz}): ${n(d.calls, 'tr')} çağrı${versus}.`);
  const asr = d.asr === null ? '' : ` (ASR ${pct(d.asr, 'tr')}${p.asr === null ? '' : `, önceki gün ${pct(p.asr, 'tr')}`})`;
  const acd = d.acd === null ? '' : `; cevaplanan bir çağrı ortalama ${n(d.acd, 'tr', 0)} sn sürdü`;
  parts.push(`${n(d.answered, 'tr')} çağrı cevaplandı${asr}${acd}; ${n(d.billed_minutes, 'tr', 1)} faturalanan dakika.`);
  if (d.cost.length > 0) parts.push(`Maliyet: ${costText(d.cost, 'tr')}.`);
  if (f.busiest_hour !== null) parts.push(`En yoğun saat ${f.busiest_hour.local} (${n(f.busiest_hour.calls, 'tr')} çağrı).`);
  if (f.top_destinations.length > 0) {
    const list = f.top_destinations
      .map((t) => `${countryLabel(t.country_code, 'tr')} ${n(t.calls, 'tr')}${t.asr === null ? '' : ` (ASR ${pct(t.asr, 'tr')})`}`)
      .join(', ');
    parts.push(`Başlıca hedefler: ${list}.`);
  }
  if (f.insights.length === 0) {
    parts.push('Olağan dışı bir durum bulunmadı.');
  } else {
    parts.push(`İçgörüler (${severityCounts(f, 'tr')}): ${f.insights.map((i) => insightPhrase(i, 'tr')).join('; ')}.`);
  }
  return parts.join(' ');
}

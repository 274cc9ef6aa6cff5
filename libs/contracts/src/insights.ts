// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.
// The API's answers of GET /api/insights and GET /api/insights/narrative (docs/insights.md).

/** What an insight says happened in one hour. */
export const INSIGHT_KINDS = ['traffic_spike', 'asr_drop', 'cost_jump', 'new_destination'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

/** Lowest first: `severity=warning` in a query means warning and critical. */
export const INSIGHT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type InsightSeverity = (typeof INSIGHT_SEVERITIES)[number];

/** `all` = every call of the installation; `country` = calls to one destination country (ISO 3166-1 code). */
export const INSIGHT_SUBJECT_TYPES = ['all', 'country'] as const;
export type InsightSubjectType = (typeof INSIGHT_SUBJECT_TYPES)[number];

/** The measure an insight is about: calls per hour, answer-seizure ratio (%) or cost per hour in one currency. */
export type InsightMetric = 'calls' | 'asr' | 'cost';

export const NARRATIVE_LANGS = ['tr', 'en'] as const;
export type NarrativeLang = (typeof NARRATIVE_LANGS)[number];

export interface InsightText {
  en: string;
  tr: string;
}

export interface Insight {
  id: number;
  kind: InsightKind;
  severity: InsightSeverity;
  subject: { type: InsightSubjectType; country_code: string | null };
  /** cost_jump only: the currency of the costs compared. */
  currency: string | null;
  /** The hour [from, to) as instants, and its local start in `tz` (`2026-11-24T13:00`). */
  hour: { from: string; to: string; local: string; tz: string };
  metric: InsightMetric;
  observed: number;
  /** Median of the same hour of the week in earlier weeks (null for new_destination). */
  expected: number | null;
  /** The values inside this band are normal (null for new_destination). */
  band: { low: number; high: number } | null;
  /** Robust z-score: (observed − expected) / spread; null for new_destination. */
  score: number | null;
  evidence: InsightEvidence;
  /** One sentence in each language. */
  message: InsightText;
  /** Query of GET /api/sippy/cdrs (and of the /voip-crm page) that selects the calls of this hour and subject. */
  filter: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface InsightEvidence {
  /** Calls of the subject in the hour (the CDR list with `filter` counts exactly these). */
  calls: number;
  answered: number;
  /** The same hour of the week in earlier weeks, oldest first; null = before the stored history starts. */
  history: Array<number | null>;
  /** Weeks of history the baseline used. */
  history_weeks: number;
  /** new_destination: days before the hour without a call to the destination. */
  quiet_days?: number;
}

export type NarrativeSource = 'llm' | 'builtin';

/**
 * Why the built-in summary is shown although a model is configured: it timed out, it failed (unreachable, refused,
 * malformed answer), or the day is not over yet (the model writes a day once, after it ends).
 */
export const NARRATIVE_NOTES = ['llm_timeout', 'llm_error', 'day_in_progress'] as const;
export type NarrativeNoteCode = (typeof NARRATIVE_NOTES)[number];

/** The aggregates a narrative is written from: counts, ratios, sums and country codes, never a phone number. */
export interface NarrativeFacts {
  date: string;
  tz: string;
  day: NarrativeDayTotals;
  previous_day: NarrativeDayTotals;
  /** Relative change against the previous day in percent (null when the previous value is 0 or unknown). */
  change_pct: { calls: number | null; answered: number | null; asr: number | null; billed_minutes: number | null };
  /** Local start of the hour with the most calls (`14:00`), or null without calls. */
  busiest_hour: { local: string; calls: number } | null;
  top_destinations: Array<{ country_code: string; calls: number; answered: number; asr: number | null }>;
  insights: Array<{
    kind: InsightKind;
    severity: InsightSeverity;
    country_code: string | null;
    hour_local: string;
    metric: InsightMetric;
    observed: number;
    expected: number | null;
    currency: string | null;
  }>;
}

export interface NarrativeDayTotals {
  calls: number;
  answered: number;
  /** answered / calls × 100, 2 decimals; null without calls. */
  asr: number | null;
  /** Mean talk time of answered calls in seconds, 1 decimal. */
  acd: number | null;
  billed_minutes: number;
  cost: Array<{ currency: string; amount: number }>;
}

export interface InsightNarrative {
  date: string;
  tz: string;
  lang: NarrativeLang;
  text: string;
  source: NarrativeSource;
  /** The model that wrote it (source llm). */
  model: string | null;
  /** Why the built-in summary is shown although a model is configured; null otherwise. */
  note: { code: NarrativeNoteCode; en: string; tr: string } | null;
  generated_at: string;
  facts: NarrativeFacts;
}

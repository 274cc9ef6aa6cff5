import type { DetectionLevel, DetectionMode, DetectionRuleThresholds } from '@velora/contracts';

/** The part of a CDR the rules read (times in epoch ms, durations in seconds). */
export interface DetectionCdr {
  id: string;
  caller: string | null;
  callee: string | null;
  /** When the call happened: start_time, else setup_time, else end_time (epoch ms). */
  at: number;
  /** Talk time in seconds (0 when unknown). */
  duration: number;
  /** status = completed (the reports' definition of answered). */
  answered: boolean;
  /** Sippy result: 0 answered, > 0 a SIP code, < 0 an internal reject of the switch. */
  result: number | null;
  direction: string;
  account: string | null;
  /** The caller's signalling IP (Sippy remote_ip), null when unknown. */
  remoteIp: string | null;
  /** The caller's SIP User-Agent (Sippy user_agent, kept in the raw CDR), null or absent when unknown. */
  userAgent?: string | null;
  cost: number;
  currency: string | null;
  /** Ring time of an unanswered call (end − setup) in seconds, null when unknown. */
  ringSeconds: number | null;
}

export type RuleSettings = DetectionRuleThresholds;

/** A CDR count and a share measured before the window (the subject's own baseline). */
export interface SubjectBaseline {
  /** Attempts in the baseline period. */
  attempts: number;
  answered: number;
  cost: number;
  /** Length of the baseline period in hours (for per-hour averages). */
  hours: number;
  /** Attempts during night hours in the baseline period, and the night hours it spans. */
  nightAttempts: number;
  nightHours: number;
}

export interface RiskPrefix {
  prefix: string;
  label: string | null;
  /** block_prefix: an admin's block-list entry (any call is critical); high_risk_prefix: the IRSF list. */
  kind: 'block_prefix' | 'high_risk_prefix';
}

/** A number that rang in with the Wangiri pattern (a finding of the `wangiri` rule). */
export interface WangiriSource {
  findingId: string;
  /** Distinct numbers of ours it rang. */
  callees: number;
  firstSeen: number;
}

/** An account's sources over the baseline period before the window (source_change). */
export interface SourceHistory {
  /** Outgoing calls in the baseline period. */
  calls: number;
  /** Calls per source country (ISO alpha-2, by GeoIP of remote_ip; empty without a GeoIP database). */
  countries: ReadonlyMap<string, number>;
  /** Calls per user agent. */
  userAgents: ReadonlyMap<string, number>;
  /** Length of the baseline period in days (for the reason). */
  days: number;
}

/** Settings of source_change besides its thresholds (DETECTION_SOURCE_*). */
export interface SourceSettings {
  /** Countries that never raise a finding (upper-case ISO alpha-2). */
  excludedCountries: ReadonlySet<string>;
  /** Below this many baseline calls an account is too new to judge. */
  minBaselineCalls: number;
}

/** Everything a rule may look up besides the CDRs of its subject. */
export interface RuleContext {
  allowNumbers: ReadonlySet<string>;
  spamNumbers: ReadonlySet<string>;
  /** High-risk and block-listed prefixes. */
  riskPrefixes: readonly RiskPrefix[];
  /** Per subject, measured over the days before the window (asr_collapse, cost_spike, night_burst). */
  baselines: ReadonlyMap<string, SubjectBaseline>;
  /**
   * Hours the baselines really cover: the 7 days before the window, or less when the store's oldest CDR is younger
   * (a fresh install). The same for every subject: an account without CDRs in a covered span is new, not unknown.
   */
  baselineHours: number;
  /** Numbers with a Wangiri finding in the last 72 h (wangiri_callback). */
  wangiriSources: ReadonlyMap<string, WangiriSource>;
  /** IANA time zone of "night" (night_burst). */
  timeZone: string;
  /** Per account, its sources before the window (source_change). */
  sourceHistory: ReadonlyMap<string, SourceHistory>;
  /** GeoIP: the country of an IP address, null when unknown or without a database (source_change). */
  countryOf: (ip: string | null) => string | null;
  sourceSettings: SourceSettings;
}

export function emptyContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    allowNumbers: new Set(),
    spamNumbers: new Set(),
    riskPrefixes: [],
    baselines: new Map(),
    baselineHours: 7 * 24,
    wangiriSources: new Map(),
    timeZone: 'UTC',
    sourceHistory: new Map(),
    countryOf: () => null,
    sourceSettings: { excludedCountries: new Set(), minBaselineCalls: 20 },
    ...overrides,
  };
}

/** What a rule found for one subject in one window. */
export interface Evaluation {
  level: DetectionLevel;
  score: number;
  reason_en: string;
  reason_tr: string;
  evidence: Record<string, unknown>;
  /** The CDRs behind it, oldest first (all of them; the store keeps the first MAX_FINDING_CDRS). */
  cdrIds: string[];
  firstSeen: number;
  lastSeen: number;
}

/** The CDR ids kept with a finding. */
export const MAX_FINDING_CDRS = 100;

export type { DetectionLevel, DetectionMode };

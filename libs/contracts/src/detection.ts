// A contract shared by the API and the web app (@velora/contracts): plain TypeScript, no imports.
// Spam and fraud detection (/api/detection, docs/detection.md).

/** Rule ids (stable strings: stored with each finding and in the rule settings). */
export const DETECTION_RULES = [
  'short_calls',
  'fan_out',
  'cpm_caller',
  'cpm_account',
  'asr_collapse',
  'sequential',
  'premium',
  'night_burst',
  'wangiri',
  'wangiri_callback',
  'cost_spike',
  'switch_rejects',
  'marked_number',
  'cli_validity',
  'neighbour_spoofing',
  'cli_rotation',
] as const;
export type DetectionRuleId = (typeof DETECTION_RULES)[number];

export const DETECTION_SUBJECT_TYPES = ['number', 'prefix', 'account'] as const;
export type DetectionSubjectType = (typeof DETECTION_SUBJECT_TYPES)[number];

/** `report_only`: findings are recorded but never published as events (the recommended first week). */
export const DETECTION_MODES = ['active', 'report_only'] as const;
export type DetectionMode = (typeof DETECTION_MODES)[number];

export const DETECTION_LEVELS = ['warn', 'crit'] as const;
export type DetectionLevel = (typeof DETECTION_LEVELS)[number];

/** What an operator made of a finding. */
export const FINDING_STATUSES = ['open', 'spam', 'dismissed', 'allowed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The operator lists: allow-listed and spam-marked numbers, block-listed and high-risk (IRSF) prefixes. */
export const DETECTION_LIST_KINDS = ['allow_number', 'spam_number', 'block_prefix', 'high_risk_prefix'] as const;
export type DetectionListKind = (typeof DETECTION_LIST_KINDS)[number];

/** A phone number as the CDRs carry it: an optional '+', then 3 to 20 digits. */
export const DETECTION_NUMBER_PATTERN = /^\+?[0-9]{3,20}$/;
/** A destination prefix: 1 to 15 digits. */
export const DETECTION_PREFIX_PATTERN = /^[0-9]{1,15}$/;

export interface DetectionFinding {
  id: string;
  rule: DetectionRuleId;
  subject_type: DetectionSubjectType;
  subject: string;
  window_start: string;
  window_end: string;
  level: DetectionLevel;
  /** The measured value compared with the thresholds (its unit is the rule's `unit`). */
  score: number;
  reason_en: string;
  reason_tr: string;
  evidence: Record<string, unknown>;
  /** CDRs behind the finding (all of them up to 100; `cdr_count` tells the total). */
  cdr_count: number;
  first_seen: string;
  last_seen: string;
  status: FindingStatus;
  mode: DetectionMode;
}

export interface DetectionFindingDetail extends DetectionFinding {
  cdr_ids: string[];
}

export interface DetectionFindingPage {
  items: DetectionFinding[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** The tunable settings of a rule. */
export interface DetectionRuleThresholds {
  enabled: boolean;
  mode: DetectionMode;
  window_seconds: number;
  warn: number;
  crit: number;
  min_sample: number;
  /**
   * After a finding's last call, how long (seconds) the same subject stays on that finding: a new hit within it
   * updates the finding (last seen, evidence, CDR ids, count) and is not announced again, unless it escalates.
   */
  cooldown_seconds: number;
}

export interface DetectionRule extends DetectionRuleThresholds {
  rule: DetectionRuleId;
  subject_type: DetectionSubjectType;
  /** What `warn`/`crit`/`score` measure, e.g. `ratio`, `distinct_callees`, `attempts_per_minute`. */
  unit: string;
  description_en: string;
  description_tr: string;
  defaults: DetectionRuleThresholds;
  /** Accepted ranges of the numeric settings. */
  limits: {
    window_seconds: { min: number; max: number };
    warn: { min: number; max: number };
    crit: { min: number; max: number };
    min_sample: { min: number; max: number };
    cooldown_seconds: { min: number; max: number };
  };
  /** Saved by an admin (false: the defaults from code). */
  customized: boolean;
}

/** What a rule with changed thresholds would have raised over a stored date range (nothing saved). */
export interface DetectionBacktestResult {
  rule: DetectionRuleId;
  from: string;
  to: string;
  settings: DetectionRuleThresholds;
  /** CDRs read. */
  cdrs: number;
  /** True when the range held more CDRs than one backtest reads (the result covers the oldest ones). */
  truncated: boolean;
  findings: Array<
    Pick<
      DetectionFinding,
      'subject_type' | 'subject' | 'window_start' | 'window_end' | 'level' | 'score' | 'reason_en' | 'reason_tr' | 'cdr_count'
    >
  >;
  counts: { warn: number; crit: number; subjects: number };
}

/** Findings on one CDR (the CDR list badges its rows with these). */
export interface DetectionCdrFlag {
  cdr_id: string;
  /** The highest level among its findings. */
  level: DetectionLevel;
  findings: Array<Pick<DetectionFinding, 'id' | 'rule' | 'level' | 'subject' | 'reason_en' | 'reason_tr' | 'status'>>;
}

export interface DetectionListEntry {
  kind: DetectionListKind;
  value: string;
  note: string | null;
  source: 'user' | 'seed';
  created_by_email: string | null;
  created_at: string;
}

/** Everything known about one number (the number page). */
export interface DetectionNumberSummary {
  number: string;
  allow_listed: boolean;
  spam_marked: boolean;
  /** Block-listed or high-risk prefixes that match the number. */
  matching_prefixes: DetectionListEntry[];
  findings: DetectionFinding[];
}

import type { DetectionLevel, DetectionRuleId, DetectionSubjectType } from '@velora/contracts';
import type { DetectionCdr, Evaluation, RiskPrefix, RuleContext, RuleSettings, SourceHistory } from './detection-cdr';
import { CLI_PROBLEM_TEXT, CLI_PROBLEMS, cliProblem, EXTENSION_MAX_DIGITS, isNeighbour, type CliProblem } from './cli-check';
import { describeBaseline, describeWindow, money, minutes, pct, pctTr } from './reason-format';
import { dateTimeFormat } from '../../common/intl-formats';

/**
 * The detection rules (docs/detection.md): pure functions over the CDRs of one subject in one sliding window. Each
 * rule has its own window, a warn and a crit threshold on its score (higher is worse for every rule), a minimum
 * sample below which it stays silent and a cooldown. The runner and the backtest both call `slidingHits` /
 * `evaluateRule`.
 */

/** Answered calls shorter than this are short calls (features.md §3b). */
export const SHORT_CALL_SECONDS = 6;
/** A one-ring call rang for less than this many seconds. */
export const ONE_RING_SECONDS = 6;
/** Wangiri: share of a number's inbound calls that must be unanswered. */
export const WANGIRI_UNANSWERED_SHARE = 0.9;
/** Sequential dialling: share of steps that must go up by 1 to SEQUENTIAL_MAX_STEP. */
export const SEQUENTIAL_MONOTONIC_SHARE = 0.7;
export const SEQUENTIAL_MAX_STEP = 10;
/** Night burst: night volume must also be this many times the account's own night average. */
export const NIGHT_BASELINE_FACTOR = 3;
/** Night hours [start, end) in DETECTION_TIME_ZONE. */
export const NIGHT_HOURS = { start: 0, end: 6 } as const;
/** Cost spike: the hourly baseline never counts as less than this (a new account's first spend). */
export const COST_BASELINE_FLOOR = 1;
/**
 * Cost spike: judged only once the baselines cover a whole day. A fresh install's first hours (24 h of backfill, or
 * less) would divide a few hours of spend by the 7 days of the baseline and flag every account as a spike.
 */
export const COST_BASELINE_MIN_HOURS = 24;
/** Sippy's internal rejects that mean limits, credit, forbidden or unrated destinations (sippy-xmlrpc.md §4.6). */
export const SWITCH_REJECT_CODES: Readonly<Partial<Record<number, { en: string; tr: string }>>> = {
  [-14]: { en: 'no rate', tr: 'tarife yok' },
  [-16]: { en: 'rate limit', tr: 'hız sınırı' },
  [-18]: { en: 'CPS limit', tr: 'CPS sınırı' },
  [-19]: { en: 'session limit', tr: 'oturum sınırı' },
  [-20]: { en: 'insufficient balance', tr: 'yetersiz bakiye' },
  [-21]: { en: 'forbidden destination', tr: 'yasak hedef' },
  [-26]: { en: 'call limit', tr: 'çağrı sınırı' },
  [-28]: { en: 'do-not-call list', tr: 'aranmayacaklar listesi' },
};

/** Neighbour spoofing: distinct callees the matching calls must reach before the share is trusted. */
export const NEIGHBOUR_MIN_CALLEES = 10;
/** Examples of offending numbers kept in a finding's evidence. */
const EXAMPLES = 5;

/** Which CDRs the runner loads for a touched subject. */
export type RuleLoad = 'caller' | 'callee' | 'account' | 'account_rejects' | 'account_sources' | 'callee_prefix' | 'number';
/** Which baseline the runner measures for the rule's subjects. */
export type RuleBaseline = 'caller' | 'account' | null;

export interface NumericLimit {
  min: number;
  max: number;
}

export interface RuleDefinition {
  id: DetectionRuleId;
  subjectType: DetectionSubjectType;
  unit: string;
  load: RuleLoad;
  baseline: RuleBaseline;
  description_en: string;
  description_tr: string;
  defaults: RuleSettings;
  limits: {
    window_seconds: NumericLimit;
    warn: NumericLimit;
    crit: NumericLimit;
    min_sample: NumericLimit;
    cooldown_seconds: NumericLimit;
  };
  /** The subject a CDR counts for under this rule, or null when the CDR is not this rule's business. */
  subjectOf(cdr: DetectionCdr, ctx: RuleContext): string | null;
  /** The CDRs of one subject in one window (already filtered by subjectOf) → a finding or nothing. */
  evaluate(subject: string, cdrs: readonly DetectionCdr[], settings: RuleSettings, ctx: RuleContext): Evaluation | null;
}

function levelFor(score: number, settings: RuleSettings): DetectionLevel | null {
  if (score >= settings.crit) return 'crit';
  if (score >= settings.warn) return 'warn';
  return null;
}

function span(cdrs: readonly DetectionCdr[]): { firstSeen: number; lastSeen: number; cdrIds: string[] } {
  const sorted = [...cdrs].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { firstSeen: sorted[0]?.at ?? 0, lastSeen: sorted[sorted.length - 1]?.at ?? 0, cdrIds: sorted.map((c) => c.id) };
}

function finding(
  level: DetectionLevel,
  score: number,
  cdrs: readonly DetectionCdr[],
  reason: { en: string; tr: string },
  evidence: Record<string, unknown>,
): Evaluation {
  return { level, score, reason_en: reason.en, reason_tr: reason.tr, evidence, ...span(cdrs) };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function distinct(values: ReadonlyArray<string | null>): number {
  return new Set(values.filter((v): v is string => v !== null && v !== '')).size;
}

function shortShare(cdrs: readonly DetectionCdr[]): { answered: number; short: number } {
  const answered = cdrs.filter((c) => c.answered);
  return { answered: answered.length, short: answered.filter((c) => c.duration < SHORT_CALL_SECONDS).length };
}

/** The longest risk prefix that `number` starts with. */
export function matchRiskPrefix(number: string | null, prefixes: readonly RiskPrefix[]): RiskPrefix | null {
  if (number === null) return null;
  const digits = number.startsWith('+') ? number.slice(1) : number;
  let best: RiskPrefix | null = null;
  for (const p of prefixes) {
    if (digits.startsWith(p.prefix) && (best === null || p.prefix.length > best.prefix.length)) best = p;
  }
  return best;
}

function localHour(at: number, timeZone: string): number {
  // one shared formatter per zone: a new one per CDR cost ~25 KB of C heap each (common/intl-formats.ts)
  return Number(dateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

/** True when the call happened during night hours in `timeZone`. */
export function isNight(at: number, timeZone: string): boolean {
  const h = localHour(at, timeZone);
  return h >= NIGHT_HOURS.start && h < NIGHT_HOURS.end;
}

const windowLimit = (min: number, max: number): NumericLimit => ({ min, max });
const RATIO: NumericLimit = { min: 0.01, max: 1 };
const SAMPLE: NumericLimit = { min: 1, max: 100_000 };
const COUNT: NumericLimit = { min: 1, max: 1_000_000 };
const DAY = 86_400;
/** Cooldown: 0 (a gap of one second after the last call starts a new finding) to 7 days. */
const COOLDOWN: NumericLimit = { min: 0, max: 7 * DAY };

const shortCalls: RuleDefinition = {
  id: 'short_calls',
  subjectType: 'number',
  unit: 'ratio',
  load: 'caller',
  baseline: null,
  description_en: 'Share of a caller’s answered calls shorter than 6 s (robocalls, call-centre abuse).',
  description_tr: 'Bir arayanın cevaplanan çağrılarından 6 sn’den kısa olanların oranı (robot aramalar, çağrı merkezi kötüye kullanımı).',
  defaults: { enabled: true, mode: 'active', window_seconds: 6 * 3600, warn: 0.5, crit: 0.8, min_sample: 20, cooldown_seconds: 6 * 3600 },
  limits: { window_seconds: windowLimit(300, 7 * DAY), warn: RATIO, crit: RATIO, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => cdr.caller,
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const { answered, short } = shortShare(cdrs);
    if (answered === 0) return null;
    const score = round2(short / answered);
    const level = levelFor(score, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${String(short)} of ${String(answered)} answered calls from ${subject} under ${String(SHORT_CALL_SECONDS)} s (${pct(score)}) in ${w.en}, ${String(cdrs.length)} attempts`,
        tr: `${subject} numarasının ${w.tr} içindeki ${String(answered)} cevaplanan çağrısından ${String(short)} tanesi ${String(SHORT_CALL_SECONDS)} sn’den kısa (${pctTr(score)}), ${String(cdrs.length)} deneme`,
      },
      { attempts: cdrs.length, answered, short_calls: short, short_ratio: score, short_call_seconds: SHORT_CALL_SECONDS },
    );
  },
};

const fanOut: RuleDefinition = {
  id: 'fan_out',
  subjectType: 'number',
  unit: 'distinct_callees',
  load: 'caller',
  baseline: null,
  description_en: 'Distinct numbers one caller dialled in the window (robocalling, list harvesting).',
  description_tr: 'Bir arayanın pencere içinde aradığı farklı numara sayısı (robot arama, liste toplama).',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 30, crit: 100, min_sample: 20, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(60, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => cdr.caller,
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const score = distinct(cdrs.map((c) => c.callee));
    const level = levelFor(score, settings);
    if (level === null) return null;
    const { answered, short } = shortShare(cdrs);
    const shortRatio = answered === 0 ? null : short / answered;
    const w = describeWindow(settings.window_seconds);
    const tailEn = shortRatio === null ? 'none answered' : `${pct(shortRatio)} of answered under ${String(SHORT_CALL_SECONDS)} s`;
    const tailTr =
      shortRatio === null
        ? 'hiçbiri cevaplanmadı'
        : `cevaplananların ${pctTr(shortRatio)} kadarı ${String(SHORT_CALL_SECONDS)} sn’den kısa`;
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${subject} called ${String(score)} distinct numbers in ${w.en} (${String(cdrs.length)} attempts), ${tailEn}`,
        tr: `${subject} ${w.tr} içinde ${String(score)} farklı numarayı aradı (${String(cdrs.length)} deneme), ${tailTr}`,
      },
      {
        attempts: cdrs.length,
        distinct_callees: score,
        answered,
        short_calls: short,
        short_ratio: shortRatio === null ? null : round2(shortRatio),
      },
    );
  },
};

function velocityRule(id: 'cpm_caller' | 'cpm_account'): RuleDefinition {
  const byAccount = id === 'cpm_account';
  return {
    id,
    subjectType: byAccount ? 'account' : 'number',
    unit: 'attempts_per_minute',
    load: byAccount ? 'account' : 'caller',
    baseline: null,
    description_en: byAccount
      ? 'Call attempts per minute of one account (floods, hacked PBXs).'
      : 'Call attempts per minute from one number (dialers, floods).',
    description_tr: byAccount
      ? 'Bir hesabın dakikadaki çağrı denemesi (çağrı seli, ele geçirilmiş santraller).'
      : 'Bir numaranın dakikadaki çağrı denemesi (otomatik arayıcılar, çağrı seli).',
    defaults: byAccount
      ? { enabled: true, mode: 'active', window_seconds: 60, warn: 60, crit: 200, min_sample: 10, cooldown_seconds: 3600 }
      : { enabled: true, mode: 'active', window_seconds: 60, warn: 20, crit: 60, min_sample: 5, cooldown_seconds: 3600 },
    limits: { window_seconds: windowLimit(60, 3600), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
    subjectOf: (cdr) => (byAccount ? cdr.account : cdr.caller),
    evaluate(subject, cdrs, settings) {
      if (cdrs.length < settings.min_sample) return null;
      const perMinute = round2(cdrs.length / (settings.window_seconds / 60));
      const level = levelFor(perMinute, settings);
      if (level === null) return null;
      const w = describeWindow(settings.window_seconds);
      const who = byAccount ? { en: `Account ${subject}`, tr: `${subject} hesabı` } : { en: subject, tr: subject };
      return finding(
        level,
        perMinute,
        cdrs,
        {
          en: `${who.en} made ${String(cdrs.length)} attempts in ${w.en} (${String(perMinute)} per minute)`,
          tr: `${who.tr} ${w.tr} içinde ${String(cdrs.length)} deneme yaptı (dakikada ${String(perMinute)})`,
        },
        { attempts: cdrs.length, per_minute: perMinute, distinct_callees: distinct(cdrs.map((c) => c.callee)) },
      );
    },
  };
}

const asrCollapse: RuleDefinition = {
  id: 'asr_collapse',
  subjectType: 'number',
  unit: 'asr_drop_points',
  load: 'caller',
  baseline: 'caller',
  description_en: 'Fall of a caller’s answer ratio (ASR) against its own last 7 days, in percentage points.',
  description_tr: 'Bir arayanın cevaplanma oranının (ASR) kendi son 7 gününe göre düşüşü, yüzde puan olarak.',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 30, crit: 50, min_sample: 20, cooldown_seconds: 3600 },
  limits: {
    window_seconds: windowLimit(600, DAY),
    warn: { min: 1, max: 100 },
    crit: { min: 1, max: 100 },
    min_sample: SAMPLE,
    cooldown_seconds: COOLDOWN,
  },
  subjectOf: (cdr) => cdr.caller,
  evaluate(subject, cdrs, settings, ctx) {
    if (cdrs.length < settings.min_sample) return null;
    const base = ctx.baselines.get(subject);
    if (base === undefined || base.attempts < settings.min_sample) return null;
    const answered = cdrs.filter((c) => c.answered).length;
    const asr = (answered / cdrs.length) * 100;
    const baseAsr = (base.answered / base.attempts) * 100;
    const drop = Math.round((baseAsr - asr) * 10) / 10;
    const level = levelFor(drop, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    const b = describeBaseline(ctx.baselineHours);
    return finding(
      level,
      drop,
      cdrs,
      {
        en: `ASR of ${subject} fell to ${asr.toFixed(0)}% in ${w.en} (${String(answered)}/${String(cdrs.length)}) from ${baseAsr.toFixed(0)}% over the previous ${b.en} (${String(base.attempts)} attempts)`,
        tr: `${subject} numarasının ASR’si ${w.tr} içinde %${asr.toFixed(0)} oldu (${String(answered)}/${String(cdrs.length)}); önceki ${b.trIn} %${baseAsr.toFixed(0)} idi (${String(base.attempts)} deneme)`,
      },
      {
        attempts: cdrs.length,
        answered,
        asr: round2(asr),
        baseline_asr: round2(baseAsr),
        baseline_attempts: base.attempts,
        drop_points: drop,
      },
    );
  },
};

/** The largest block of consecutive-looking callees (same number without its last 4 digits). */
export function sequentialRun(cdrs: readonly DetectionCdr[]): { block: string; numbers: number; monotonicShare: number } | null {
  const blocks = new Map<string, Array<{ at: number; tail: number; callee: string }>>();
  for (const c of cdrs) {
    if (c.callee === null || !/^\+?[0-9]{5,}$/.test(c.callee)) continue;
    const block = c.callee.slice(0, -4);
    const list = blocks.get(block) ?? [];
    list.push({ at: c.at, tail: Number(c.callee.slice(-4)), callee: c.callee });
    blocks.set(block, list);
  }
  let best: { block: string; numbers: number; monotonicShare: number } | null = null;
  for (const [block, calls] of blocks) {
    calls.sort((a, b) => a.at - b.at || a.tail - b.tail);
    const numbers = new Set(calls.map((c) => c.callee)).size;
    let steps = 0;
    let monotonic = 0;
    for (let i = 1; i < calls.length; i += 1) {
      steps += 1;
      const diff = calls[i].tail - calls[i - 1].tail;
      if (diff >= 1 && diff <= SEQUENTIAL_MAX_STEP) monotonic += 1;
    }
    const share = steps === 0 ? 0 : monotonic / steps;
    if (best === null || numbers > best.numbers) best = { block, numbers, monotonicShare: share };
  }
  return best;
}

const sequential: RuleDefinition = {
  id: 'sequential',
  subjectType: 'number',
  unit: 'sequential_numbers',
  load: 'caller',
  baseline: null,
  description_en: 'Callees of one caller in one 10 000-number block, dialled in ascending order (war dialling).',
  description_tr: 'Bir arayanın aynı 10 000’lik numara bloğunda artan sırayla aradığı numaralar (sıralı tarama).',
  defaults: { enabled: true, mode: 'active', window_seconds: 600, warn: 10, crit: 30, min_sample: 10, cooldown_seconds: 3600 },
  limits: {
    window_seconds: windowLimit(60, DAY),
    warn: { min: 3, max: 10_000 },
    crit: { min: 3, max: 10_000 },
    min_sample: SAMPLE,
    cooldown_seconds: COOLDOWN,
  },
  subjectOf: (cdr) => cdr.caller,
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const run = sequentialRun(cdrs);
    if (run === null || run.monotonicShare < SEQUENTIAL_MONOTONIC_SHARE) return null;
    const level = levelFor(run.numbers, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      run.numbers,
      cdrs,
      {
        en: `${subject} dialled ${String(run.numbers)} numbers of block ${run.block}xxxx in ${w.en}, ${pct(run.monotonicShare)} of them in ascending order`,
        tr: `${subject} ${w.tr} içinde ${run.block}xxxx bloğundan ${String(run.numbers)} numarayı aradı, ${pctTr(run.monotonicShare)} kadarı artan sırada`,
      },
      { attempts: cdrs.length, block: run.block, numbers: run.numbers, monotonic_share: round2(run.monotonicShare) },
    );
  },
};

const premium: RuleDefinition = {
  id: 'premium',
  subjectType: 'prefix',
  unit: 'attempts',
  load: 'callee_prefix',
  baseline: null,
  description_en: 'Calls to high-risk or premium destinations (IRSF list in the repository, and block-listed prefixes).',
  description_tr: 'Yüksek riskli veya özel ücretli hedeflere çağrılar (depodaki IRSF listesi ve engellenen önekler).',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 3, crit: 10, min_sample: 1, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(300, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr, ctx) => (cdr.direction === 'inbound' ? null : (matchRiskPrefix(cdr.callee, ctx.riskPrefixes)?.prefix ?? null)),
  evaluate(subject, cdrs, settings, ctx) {
    if (cdrs.length < settings.min_sample) return null;
    const prefix = ctx.riskPrefixes.find((p) => p.prefix === subject);
    const blocked = ctx.riskPrefixes.some((p) => p.prefix === subject && p.kind === 'block_prefix');
    const score = cdrs.length;
    const level = blocked ? 'crit' : levelFor(score, settings);
    if (level === null) return null;
    const answered = cdrs.filter((c) => c.answered);
    const talk = answered.reduce((s, c) => s + c.duration, 0);
    const cost = cdrs.reduce((s, c) => s + c.cost, 0);
    const currency = cdrs.find((c) => c.currency !== null)?.currency ?? null;
    const label = prefix?.label ?? null;
    const w = describeWindow(settings.window_seconds);
    const what = { en: blocked ? 'block-listed prefix' : 'high-risk prefix', tr: blocked ? 'engellenen önek' : 'yüksek riskli önek' };
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${String(score)} calls to ${what.en} ${subject}${label === null ? '' : ` (${label})`} in ${w.en} from ${String(distinct(cdrs.map((c) => c.caller)))} callers: ${String(answered.length)} answered, ${minutes(talk)} min, cost ${money(cost, currency)}`,
        tr: `${w.tr} içinde ${what.tr} ${subject}${label === null ? '' : ` (${label})`} için ${String(distinct(cdrs.map((c) => c.caller)))} arayandan ${String(score)} çağrı: ${String(answered.length)} cevaplandı, ${minutes(talk)} dk, maliyet ${money(cost, currency)}`,
      },
      {
        attempts: score,
        answered: answered.length,
        talk_seconds: talk,
        cost: round2(cost),
        currency,
        label,
        block_listed: blocked,
        callers: distinct(cdrs.map((c) => c.caller)),
        callees: distinct(cdrs.map((c) => c.callee)),
      },
    );
  },
};

const nightBurst: RuleDefinition = {
  id: 'night_burst',
  subjectType: 'account',
  unit: 'night_attempts',
  load: 'account',
  baseline: 'account',
  description_en: `Calls of one account between ${String(NIGHT_HOURS.start).padStart(2, '0')}:00 and ${String(NIGHT_HOURS.end).padStart(2, '0')}:00, also above ${String(NIGHT_BASELINE_FACTOR)}× its own night average.`,
  description_tr: `Bir hesabın ${String(NIGHT_HOURS.start).padStart(2, '0')}:00–${String(NIGHT_HOURS.end).padStart(2, '0')}:00 arasındaki çağrıları; ayrıca kendi gece ortalamasının ${String(NIGHT_BASELINE_FACTOR)} katından fazla.`,
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 30, crit: 100, min_sample: 20, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(600, 6 * 3600), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr, ctx) => (cdr.account !== null && isNight(cdr.at, ctx.timeZone) ? cdr.account : null),
  evaluate(subject, cdrs, settings, ctx) {
    if (cdrs.length < settings.min_sample) return null;
    const base = ctx.baselines.get(subject);
    const perHour = base === undefined || base.nightHours === 0 ? 0 : base.nightAttempts / base.nightHours;
    const expected = perHour * (settings.window_seconds / 3600);
    const score = cdrs.length;
    if (score < NIGHT_BASELINE_FACTOR * expected) return null;
    const level = levelFor(score, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    const b = describeBaseline(ctx.baselineHours);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `Account ${subject} made ${String(score)} calls at night in ${w.en}; its night average is ${expected.toFixed(1)} (last ${b.en})`,
        tr: `${subject} hesabı gece ${w.tr} içinde ${String(score)} çağrı yaptı; gece ortalaması ${expected.toFixed(1)} (son ${b.tr})`,
      },
      {
        attempts: score,
        expected: round2(expected),
        factor: NIGHT_BASELINE_FACTOR,
        time_zone: ctx.timeZone,
        distinct_callees: distinct(cdrs.map((c) => c.callee)),
      },
    );
  },
};

const wangiri: RuleDefinition = {
  id: 'wangiri',
  subjectType: 'number',
  unit: 'distinct_callees',
  load: 'caller',
  baseline: null,
  description_en: 'Inbound one-ring calls from one number to many of our numbers, mostly unanswered (Wangiri bait).',
  description_tr: 'Bir numaradan birçok numaramıza gelen, çoğu cevapsız tek çalmalık çağrılar (Wangiri yemi).',
  defaults: { enabled: true, mode: 'active', window_seconds: 300, warn: 20, crit: 50, min_sample: 20, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(60, 3600), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => (cdr.direction === 'inbound' ? cdr.caller : null),
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const unanswered = cdrs.filter((c) => !c.answered);
    if (unanswered.length / cdrs.length < WANGIRI_UNANSWERED_SHARE) return null;
    const oneRing = unanswered.filter((c) => c.ringSeconds === null || c.ringSeconds < ONE_RING_SECONDS);
    const score = distinct(oneRing.map((c) => c.callee));
    const level = levelFor(score, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    const share = unanswered.length / cdrs.length;
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${subject} rang ${String(score)} of our numbers in ${w.en} with one-ring calls (${pct(share)} unanswered, ring under ${String(ONE_RING_SECONDS)} s): do not call it back`,
        tr: `${subject} ${w.tr} içinde ${String(score)} numaramızı tek çalmalık çağrılarla aradı (%${(share * 100).toFixed(0)} cevapsız, ${String(ONE_RING_SECONDS)} sn’den kısa çalma): geri aramayın`,
      },
      {
        attempts: cdrs.length,
        distinct_callees: score,
        unanswered: unanswered.length,
        one_ring: oneRing.length,
        unanswered_share: round2(share),
      },
    );
  },
};

const wangiriCallback: RuleDefinition = {
  id: 'wangiri_callback',
  subjectType: 'number',
  unit: 'callbacks',
  load: 'callee',
  baseline: null,
  description_en: 'Our users calling back a number that rang in with the Wangiri pattern in the last 72 h, and what it cost.',
  description_tr: 'Kullanıcılarımızın son 72 saatte Wangiri örüntüsüyle arayan bir numarayı geri araması ve maliyeti.',
  defaults: { enabled: true, mode: 'active', window_seconds: DAY, warn: 1, crit: 3, min_sample: 1, cooldown_seconds: DAY },
  limits: { window_seconds: windowLimit(3600, 3 * DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr, ctx) => {
    if (cdr.direction === 'inbound' || cdr.callee === null) return null;
    const source = ctx.wangiriSources.get(cdr.callee);
    return source !== undefined && cdr.at >= source.firstSeen ? cdr.callee : null;
  },
  evaluate(subject, cdrs, settings, ctx) {
    if (cdrs.length < settings.min_sample) return null;
    const source = ctx.wangiriSources.get(subject);
    const score = cdrs.length;
    const level = levelFor(score, settings);
    if (level === null || source === undefined) return null;
    const answered = cdrs.filter((c) => c.answered);
    const talk = answered.reduce((s, c) => s + c.duration, 0);
    const cost = cdrs.reduce((s, c) => s + c.cost, 0);
    const currency = cdrs.find((c) => c.currency !== null)?.currency ?? null;
    const callers = [...new Set(cdrs.map((c) => c.caller).filter((c): c is string => c !== null))].slice(0, 20);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${String(score)} callbacks to Wangiri number ${subject} (it rang ${String(source.callees)} of our numbers) from ${String(callers.length)} of our numbers: ${String(answered.length)} answered, ${minutes(talk)} min, cost ${money(cost, currency)}`,
        tr: `Wangiri numarası ${subject} (${String(source.callees)} numaramızı çaldırdı) ${String(callers.length)} numaramızdan ${String(score)} kez geri arandı: ${String(answered.length)} cevaplandı, ${minutes(talk)} dk, maliyet ${money(cost, currency)}`,
      },
      {
        callbacks: score,
        answered: answered.length,
        talk_seconds: talk,
        cost: round2(cost),
        currency,
        callers,
        wangiri_finding_id: source.findingId,
      },
    );
  },
};

const costSpike: RuleDefinition = {
  id: 'cost_spike',
  subjectType: 'account',
  unit: 'cost_ratio',
  load: 'account',
  baseline: 'account',
  description_en: 'Spend of one account in the window against its own hourly average of the last 7 days (a ratio; from one day of history on).',
  description_tr: 'Bir hesabın pencere içindeki harcamasının son 7 günlük saatlik ortalamasına oranı (en az bir günlük geçmiş olduğunda).',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 5, crit: 20, min_sample: 10, cooldown_seconds: 3600 },
  limits: {
    window_seconds: windowLimit(600, DAY),
    warn: { min: 1.1, max: 10_000 },
    crit: { min: 1.1, max: 10_000 },
    min_sample: SAMPLE,
    cooldown_seconds: COOLDOWN,
  },
  subjectOf: (cdr) => cdr.account,
  evaluate(subject, cdrs, settings, ctx) {
    if (cdrs.length < settings.min_sample) return null;
    // no usual spend to compare with yet (the store is younger than a day): silent, not "N× a made-up floor"
    if (ctx.baselineHours < COST_BASELINE_MIN_HOURS) return null;
    const cost = cdrs.reduce((s, c) => s + c.cost, 0);
    const base = ctx.baselines.get(subject);
    const hourly = base === undefined || base.hours === 0 ? 0 : base.cost / base.hours;
    const expected = Math.max(hourly * (settings.window_seconds / 3600), COST_BASELINE_FLOOR);
    const ratio = round2(cost / expected);
    const level = levelFor(ratio, settings);
    if (level === null) return null;
    const currency = cdrs.find((c) => c.currency !== null)?.currency ?? null;
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      ratio,
      cdrs,
      {
        en: `Account ${subject} spent ${money(cost, currency)} in ${w.en}, ${String(ratio)}× its usual ${money(expected, currency)} (${String(cdrs.length)} calls)`,
        tr: `${subject} hesabı ${w.tr} içinde ${money(cost, currency)} harcadı; olağan ${money(expected, currency)} tutarının ${String(ratio)} katı (${String(cdrs.length)} çağrı)`,
      },
      { calls: cdrs.length, cost: round2(cost), expected: round2(expected), ratio, currency },
    );
  },
};

const switchRejects: RuleDefinition = {
  id: 'switch_rejects',
  subjectType: 'account',
  unit: 'rejects',
  load: 'account_rejects',
  baseline: null,
  description_en: 'Sippy’s own rejects of one account (credit, limits, forbidden or unrated destinations): probing.',
  description_tr: 'Sippy’nin bir hesabın çağrılarını kendisinin reddetmesi (bakiye, sınırlar, yasak veya tarifesiz hedefler): yoklama.',
  defaults: { enabled: true, mode: 'active', window_seconds: 300, warn: 10, crit: 30, min_sample: 10, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(60, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => (cdr.result !== null && cdr.result in SWITCH_REJECT_CODES ? cdr.account : null),
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const score = cdrs.length;
    const level = levelFor(score, settings);
    if (level === null) return null;
    const byCode = new Map<number, number>();
    for (const c of cdrs) if (c.result !== null) byCode.set(c.result, (byCode.get(c.result) ?? 0) + 1);
    const codes = [...byCode.entries()].sort((a, b) => b[1] - a[1]);
    const label = (code: number, lang: 'en' | 'tr'): string => SWITCH_REJECT_CODES[code]?.[lang] ?? String(code);
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `The switch rejected ${String(score)} calls of account ${subject} in ${w.en}: ${codes.map(([c, n]) => `${String(n)}× ${label(c, 'en')} (${String(c)})`).join(', ')}`,
        tr: `Santral ${subject} hesabının ${String(score)} çağrısını ${w.tr} içinde reddetti: ${codes.map(([c, n]) => `${String(n)}× ${label(c, 'tr')} (${String(c)})`).join(', ')}`,
      },
      { rejects: score, by_code: Object.fromEntries(codes.map(([c, n]) => [String(c), n])) },
    );
  },
};

const markedNumber: RuleDefinition = {
  id: 'marked_number',
  subjectType: 'number',
  unit: 'calls',
  load: 'number',
  baseline: null,
  description_en: 'Calls from or to a number an operator marked as spam.',
  description_tr: 'Bir operatörün spam olarak işaretlediği numaradan gelen veya ona giden çağrılar.',
  defaults: { enabled: true, mode: 'active', window_seconds: DAY, warn: 1, crit: 5, min_sample: 1, cooldown_seconds: DAY },
  limits: { window_seconds: windowLimit(3600, 7 * DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr, ctx) => {
    if (cdr.caller !== null && ctx.spamNumbers.has(cdr.caller)) return cdr.caller;
    if (cdr.callee !== null && ctx.spamNumbers.has(cdr.callee)) return cdr.callee;
    return null;
  },
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const score = cdrs.length;
    const level = levelFor(score, settings);
    if (level === null) return null;
    const w = describeWindow(settings.window_seconds);
    const answered = cdrs.filter((c) => c.answered).length;
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${String(score)} calls with spam-marked number ${subject} in ${w.en} (${String(answered)} answered)`,
        tr: `${w.tr} içinde spam olarak işaretli ${subject} numarasıyla ${String(score)} çağrı (${String(answered)} cevaplandı)`,
      },
      { calls: score, answered },
    );
  },
};

const cliValidity: RuleDefinition = {
  id: 'cli_validity',
  subjectType: 'account',
  unit: 'invalid_clis',
  load: 'account',
  baseline: null,
  description_en:
    'Calls of one account whose caller number no one can hold: not a number, impossible length, no such country code, outside the numbering plan, a reserved range, or the callee itself.',
  description_tr:
    'Bir hesabın, arayan numarası kimseye ait olamayacak çağrıları: numara değil, imkânsız uzunluk, olmayan ülke kodu, numaralandırma planı dışı, ayrılmış aralık veya aranan numaranın kendisi.',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 10, crit: 50, min_sample: 10, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(300, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => cdr.account,
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const byProblem = new Map<CliProblem, number>();
    const examples: string[] = [];
    let invalid = 0;
    for (const c of cdrs) {
      const problem = cliProblem(c.caller, c.callee);
      if (problem === null) continue;
      invalid += 1;
      byProblem.set(problem, (byProblem.get(problem) ?? 0) + 1);
      if (c.caller !== null && examples.length < EXAMPLES && !examples.includes(c.caller)) examples.push(c.caller);
    }
    const level = levelFor(invalid, settings);
    if (level === null) return null;
    const problems = CLI_PROBLEMS.filter((p) => byProblem.has(p)).map((p) => [p, byProblem.get(p) ?? 0] as const);
    const list = (lang: 'en' | 'tr'): string => problems.map(([p, n]) => `${String(n)} ${CLI_PROBLEM_TEXT[p][lang]}`).join(', ');
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      invalid,
      cdrs,
      {
        en: `Account ${subject} presented ${String(invalid)} invalid caller numbers in ${w.en} (of ${String(cdrs.length)} calls): ${list('en')}; e.g. ${examples.join(', ')}`,
        tr: `${subject} hesabı ${w.tr} içinde ${String(invalid)} geçersiz arayan numarası gösterdi (${String(cdrs.length)} çağrıdan): ${list('tr')}; örnek ${examples.join(', ')}`,
      },
      { attempts: cdrs.length, invalid, by_problem: Object.fromEntries(problems), examples },
    );
  },
};

const neighbourSpoofing: RuleDefinition = {
  id: 'neighbour_spoofing',
  subjectType: 'account',
  unit: 'ratio',
  load: 'account',
  baseline: null,
  description_en:
    'Share of an account’s calls whose caller number equals the callee’s up to the last 4 digits (same area and exchange): caller IDs forged to look local.',
  description_tr:
    'Bir hesabın, arayan numarası son 4 hane dışında arananınkiyle aynı (aynı alan ve santral) olan çağrılarının oranı: yerel görünsün diye sahte arayan numarası.',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 0.3, crit: 0.6, min_sample: 20, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(300, DAY), warn: RATIO, crit: RATIO, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => cdr.account,
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const matching = cdrs.filter((c) => isNeighbour(c.caller, c.callee));
    const callees = distinct(matching.map((c) => c.callee));
    if (callees < NEIGHBOUR_MIN_CALLEES) return null;
    const score = round2(matching.length / cdrs.length);
    const level = levelFor(score, settings);
    if (level === null) return null;
    const callers = distinct(matching.map((c) => c.caller));
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `${String(matching.length)} of ${String(cdrs.length)} calls of account ${subject} in ${w.en} (${pct(score)}) came from a number next to the callee’s (${String(callers)} caller numbers, ${String(callees)} callees)`,
        tr: `${subject} hesabının ${w.tr} içindeki ${String(cdrs.length)} çağrısından ${String(matching.length)} tanesi (${pctTr(score)}) arananın numarasına komşu bir numaradan geldi (${String(callers)} arayan numara, ${String(callees)} aranan)`,
      },
      { attempts: cdrs.length, neighbour_calls: matching.length, share: score, caller_numbers: callers, callees },
    );
  },
};

/** CLIs that look like subscriber numbers (extensions and withheld callers are not rotation). */
function externalCli(caller: string | null): string | null {
  if (caller === null) return null;
  const digits = caller.replace(/\D/g, '');
  return digits.length > EXTENSION_MAX_DIGITS ? digits : null;
}

const cliRotation: RuleDefinition = {
  id: 'cli_rotation',
  subjectType: 'account',
  unit: 'distinct_clis',
  load: 'account',
  baseline: null,
  description_en: 'Distinct caller numbers one account presents on its outgoing calls in the window (robocallers rotate number pools).',
  description_tr:
    'Bir hesabın giden çağrılarında pencere içinde gösterdiği farklı arayan numarası sayısı (robot aramalar numara havuzlarını döndürür).',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 50, crit: 200, min_sample: 50, cooldown_seconds: 3600 },
  limits: { window_seconds: windowLimit(300, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => (cdr.direction === 'inbound' ? null : cdr.account),
  evaluate(subject, cdrs, settings) {
    if (cdrs.length < settings.min_sample) return null;
    const clis = cdrs.map((c) => externalCli(c.caller));
    const score = distinct(clis);
    const level = levelFor(score, settings);
    if (level === null) return null;
    const perCli = round2(clis.filter((c) => c !== null).length / score);
    const ips = distinct(cdrs.map((c) => c.remoteIp));
    const w = describeWindow(settings.window_seconds);
    return finding(
      level,
      score,
      cdrs,
      {
        en: `Account ${subject} presented ${String(score)} distinct caller numbers in ${w.en} (${String(cdrs.length)} calls, ${String(perCli)} per number, from ${String(ips)} IP addresses)`,
        tr: `${subject} hesabı ${w.tr} içinde ${String(score)} farklı arayan numarası gösterdi (${String(cdrs.length)} çağrı, numara başına ${String(perCli)}, ${String(ips)} IP adresinden)`,
      },
      {
        attempts: cdrs.length,
        distinct_clis: score,
        calls_per_cli: perCli,
        remote_ips: ips,
        distinct_callees: distinct(cdrs.map((c) => c.callee)),
      },
    );
  },
};

/** source_change: a baseline with at most this many user agents is "stable" (a new one is then news). */
export const UA_STABLE_MAX = 3;

const REGION_EN = new Intl.DisplayNames(['en'], { type: 'region' });
const REGION_TR = new Intl.DisplayNames(['tr'], { type: 'region' });

/** "NG (Nigeria)" / "NG (Nijerya)". */
export function countryLabel(code: string): { en: string; tr: string } {
  const name = (names: Intl.DisplayNames): string => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
  return { en: `${code} (${name(REGION_EN)})`, tr: `${code} (${name(REGION_TR)})` };
}

/** The most frequent keys of a count map, most calls first. */
function usual(counts: ReadonlyMap<string, number>, max = 3): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([k]) => k);
}

const sourceChange: RuleDefinition = {
  id: 'source_change',
  subjectType: 'account',
  unit: 'new_countries',
  load: 'account_sources',
  baseline: null,
  description_en:
    'Outgoing calls of an account from a source country (GeoIP of remote_ip) not seen in its baseline period, or with a user agent it never used although its user agents are stable. Score: new countries in the window; a new user agent alone is a warning.',
  description_tr:
    'Bir hesabın, temel döneminde görülmemiş bir kaynak ülkeden (remote_ip’nin GeoIP ülkesi) ya da kullanıcı aracıları sabitken hiç kullanmadığı bir kullanıcı aracısıyla yaptığı giden çağrılar. Puan: penceredeki yeni ülke sayısı; tek başına yeni kullanıcı aracısı uyarıdır.',
  defaults: { enabled: true, mode: 'active', window_seconds: 3600, warn: 1, crit: 2, min_sample: 1, cooldown_seconds: DAY },
  limits: { window_seconds: windowLimit(300, DAY), warn: COUNT, crit: COUNT, min_sample: SAMPLE, cooldown_seconds: COOLDOWN },
  subjectOf: (cdr) => (cdr.direction === 'inbound' ? null : cdr.account),
  evaluate(subject, cdrs, settings, ctx) {
    const history: SourceHistory | undefined = ctx.sourceHistory.get(subject);
    if (history === undefined || history.calls < ctx.sourceSettings.minBaselineCalls) return null;
    const newCountries = new Map<string, DetectionCdr[]>();
    if (history.countries.size > 0) {
      for (const c of cdrs) {
        const country = ctx.countryOf(c.remoteIp);
        if (country === null || history.countries.has(country) || ctx.sourceSettings.excludedCountries.has(country)) continue;
        const list = newCountries.get(country) ?? [];
        list.push(c);
        newCountries.set(country, list);
      }
    }
    const stableUas = history.userAgents.size > 0 && history.userAgents.size <= UA_STABLE_MAX;
    const newUaCdrs = stableUas
      ? cdrs.filter((c) => c.userAgent !== undefined && c.userAgent !== null && c.userAgent !== '' && !history.userAgents.has(c.userAgent))
      : [];
    const score = newCountries.size;
    const level = levelFor(score, settings) ?? (newUaCdrs.length > 0 ? 'warn' : null);
    if (level === null) return null;
    const offending = [...new Set([...[...newCountries.values()].flat(), ...(score >= settings.warn ? [] : newUaCdrs)])];
    const example = offending[0] ?? cdrs[0];
    const usualCountries = usual(history.countries);
    const usualUas = usual(history.userAgents);
    const newUas = [...new Set(newUaCdrs.map((c) => c.userAgent as string))];
    const ips = [...new Set(offending.map((c) => c.remoteIp).filter((ip): ip is string => ip !== null))];
    const days = String(history.days);
    const ipText = ips.length > 0 ? `; IP ${ips.slice(0, EXAMPLES).join(', ')}` : '';
    const uaText = example.userAgent ? `; UA ${example.userAgent}` : '';
    let reason: { en: string; tr: string };
    if (score >= settings.warn) {
      const labels = [...newCountries.keys()].map(countryLabel);
      const usualText = usualCountries.length > 0 ? usualCountries.join(', ') : '-';
      reason = {
        en: `First call${score > 1 ? 's' : ''} from ${labels.map((l) => l.en).join(', ')} for account ${subject} in ${days} days; usual: ${usualText}${ipText}${uaText}`,
        tr: `${subject} hesabı için ${days} gün içinde ${labels.map((l) => l.tr).join(', ')} kaynaklı ilk çağrı; olağan: ${usualText}${ipText}${uaText}`,
      };
    } else {
      reason = {
        en: `New user agent ${newUas.join(', ')} for account ${subject} (usual in ${days} days: ${usualUas.join(', ')})${ipText}`,
        tr: `${subject} hesabı için yeni kullanıcı aracısı ${newUas.join(', ')} (${days} gün içinde olağan: ${usualUas.join(', ')})${ipText}`,
      };
    }
    return finding(level, score, offending, reason, {
      attempts: cdrs.length,
      new_countries: [...newCountries.entries()].map(([country, list]) => ({ country, calls: list.length })),
      usual_countries: usualCountries,
      new_user_agents: newUas,
      usual_user_agents: usualUas,
      remote_ips: ips.slice(0, EXAMPLES),
      baseline_calls: history.calls,
      baseline_days: history.days,
    });
  },
};

/** Every rule, in the order the runner evaluates them (wangiri before wangiri_callback). */
export const RULES: readonly RuleDefinition[] = [
  shortCalls,
  fanOut,
  velocityRule('cpm_caller'),
  velocityRule('cpm_account'),
  asrCollapse,
  sequential,
  premium,
  nightBurst,
  wangiri,
  wangiriCallback,
  costSpike,
  switchRejects,
  markedNumber,
  cliValidity,
  neighbourSpoofing,
  cliRotation,
  sourceChange,
];

const BY_ID = new Map<string, RuleDefinition>(RULES.map((r) => [r.id, r]));

export function findRule(id: string): RuleDefinition | undefined {
  return BY_ID.get(id);
}

/** True when the number is on the allow-list (with or without a leading '+'). */
export function isAllowListed(number: string | null, ctx: RuleContext): boolean {
  if (number === null) return false;
  return ctx.allowNumbers.has(number) || ctx.allowNumbers.has(number.startsWith('+') ? number.slice(1) : `+${number}`);
}

/**
 * Evaluates one rule for one subject in one window: silent for an allow-listed subject, and CDRs with an
 * allow-listed caller or callee never count.
 */
export function evaluateRule(
  rule: RuleDefinition,
  subject: string,
  cdrs: readonly DetectionCdr[],
  settings: RuleSettings,
  ctx: RuleContext,
): Evaluation | null {
  if (rule.subjectType === 'number' && isAllowListed(subject, ctx)) return null;
  const counted = cdrs.filter((c) => !isAllowListed(c.caller, ctx) && !isAllowListed(c.callee, ctx));
  if (counted.length === 0) return null;
  return rule.evaluate(subject, counted, settings, ctx);
}

/** Sliding windows are evaluated at most once per window ÷ SLIDING_HOPS within a run of calls (see `slidingHits`). */
export const SLIDING_HOPS = 8;

const LEVEL_RANK: Readonly<Record<DetectionLevel, number>> = { warn: 1, crit: 2 };

/** A rule's verdict on one sliding window (windowStart, windowEnd] of one subject, or an incident of several. */
export interface WindowHit {
  subject: string;
  /** Exclusive start (windowEnd − window) of the first window of the hit. */
  windowStart: number;
  /** End of the last window of the hit (a call time). */
  windowEnd: number;
  evaluation: Evaluation;
}

/**
 * Sliding windows (docs/detection.md#windows): evaluates the window (end − window, end] that ends at each call time
 * in `ends` (ascending), over `cdrs` (one subject's calls sorted by `at`, covering a window before the first end).
 * A burst is therefore seen whole whatever the clock says, instead of being split by a fixed block boundary. To stay
 * cheap on a busy subject the end points are thinned: an end is evaluated when the call after it is more than a hop
 * (window ÷ SLIDING_HOPS, at least 1 s) later — the last call of a run, where every count is highest — or when the
 * last evaluated end is a hop or more behind; ends whose window holds fewer calls than the minimum sample are
 * skipped without evaluating. A burst shorter than 3/4 of the window is always inside one evaluated window.
 */
export function slidingHits(
  rule: RuleDefinition,
  subject: string,
  cdrs: readonly DetectionCdr[],
  ends: readonly number[],
  settings: RuleSettings,
  ctx: RuleContext,
): WindowHit[] {
  const size = settings.window_seconds * 1000;
  const hop = Math.max(1000, Math.floor(size / SLIDING_HOPS));
  const hits: WindowHit[] = [];
  let lo = 0;
  let hi = 0;
  let lastEvaluated = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ends.length; i += 1) {
    const end = ends[i];
    while (hi < cdrs.length && cdrs[hi].at <= end) hi += 1;
    while (lo < hi && cdrs[lo].at <= end - size) lo += 1;
    if (hi - lo < settings.min_sample) continue;
    const lastOfRun = i + 1 === ends.length || ends[i + 1] - end > hop;
    if (!lastOfRun && end - lastEvaluated < hop) continue;
    lastEvaluated = end;
    const evaluation = evaluateRule(rule, subject, cdrs.slice(lo, hi), settings, ctx);
    if (evaluation !== null) hits.push({ subject, windowStart: end - size, windowEnd: end, evaluation });
  }
  return hits;
}

/** True when `b` is the same or a higher level than `a`. */
export function atLeast(b: DetectionLevel, a: DetectionLevel): boolean {
  return LEVEL_RANK[b] >= LEVEL_RANK[a];
}

/**
 * Folds a newer hit into a finding of the same subject (the cooldown): the level is the higher one; score, reason
 * and evidence are the newer hit's unless it is of a lower level (a critical finding keeps its critical reason);
 * the CDR ids are the union (oldest first), first/last seen the outer ones.
 */
export function mergeHit(finding: WindowHit, hit: WindowHit): WindowHit {
  const a = finding.evaluation;
  const b = hit.evaluation;
  const adopt = atLeast(b.level, a.level);
  const known = new Set(a.cdrIds);
  return {
    subject: finding.subject,
    windowStart: Math.min(finding.windowStart, hit.windowStart),
    windowEnd: Math.max(finding.windowEnd, hit.windowEnd),
    evaluation: {
      ...(adopt ? b : a),
      level: adopt ? b.level : a.level,
      cdrIds: [...a.cdrIds, ...b.cdrIds.filter((id) => !known.has(id))],
      firstSeen: Math.min(a.firstSeen, b.firstSeen),
      lastSeen: Math.max(a.lastSeen, b.lastSeen),
    },
  };
}

/** True when a hit whose first call is at `firstSeen` belongs to a finding last seen at `lastSeen` (cooldown). */
export function withinCooldown(lastSeen: number, firstSeen: number, cooldownSeconds: number): boolean {
  return firstSeen <= lastSeen + cooldownSeconds * 1000;
}

/**
 * Per-subject cooldown over hits in time order: a hit whose first call is within `cooldown_seconds` of the current
 * finding's last call is folded into it (`mergeHit`); otherwise it starts a new finding.
 */
export function mergeIncidents(hits: readonly WindowHit[], cooldownSeconds: number): WindowHit[] {
  const current = new Map<string, number>();
  const out: WindowHit[] = [];
  for (const hit of [...hits].sort((a, b) => a.windowEnd - b.windowEnd)) {
    const index = current.get(hit.subject);
    const open = index === undefined ? undefined : out[index];
    if (open !== undefined && index !== undefined && withinCooldown(open.evaluation.lastSeen, hit.evaluation.firstSeen, cooldownSeconds)) {
      out[index] = mergeHit(open, hit);
    } else {
      current.set(hit.subject, out.length);
      out.push(hit);
    }
  }
  return out;
}

/** One subject's CDRs, sorted by time then id. */
export function groupBySubject(rule: RuleDefinition, cdrs: readonly DetectionCdr[], ctx: RuleContext): Map<string, DetectionCdr[]> {
  const groups = new Map<string, DetectionCdr[]>();
  for (const cdr of cdrs) {
    const subject = rule.subjectOf(cdr, ctx);
    if (subject === null || subject === '') continue;
    const list = groups.get(subject) ?? [];
    list.push(cdr);
    groups.set(subject, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return groups;
}

/**
 * The whole pipeline over CDRs held in memory (the backtest and the unit tests; the runner loads what it needs from
 * the database and merges into stored findings): sliding windows at every call of every subject, then the
 * per-subject cooldown. One result per finding the rule would have raised.
 */
export function evaluateAll(rule: RuleDefinition, cdrs: readonly DetectionCdr[], settings: RuleSettings, ctx: RuleContext): WindowHit[] {
  const hits: WindowHit[] = [];
  for (const [subject, list] of groupBySubject(rule, cdrs, ctx)) {
    const ends = [...new Set(list.map((c) => c.at))];
    hits.push(...slidingHits(rule, subject, list, ends, settings, ctx));
  }
  return mergeIncidents(hits, settings.cooldown_seconds).sort((a, b) => a.windowStart - b.windowStart || (a.subject < b.subject ? -1 : 1));
}

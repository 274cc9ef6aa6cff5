import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { DetectionLevel, DetectionRuleId } from '@velora/contracts';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { filter, type Subscription } from 'rxjs';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { DetectionFindingRow } from '../database/database.types';
import { EventsService } from '../events/events.service';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { DetectionSettingsService } from './detection-settings.service';
import { DetectionRepository, type DetectionCursor } from './detection.repository';
import { DetectionListsService } from './detection-lists.service';
import { GeoIpService } from './geoip.service';
import type { AccountSourceCount } from './detection.repository';
import type { DetectionCdr, RuleContext, RuleSettings, SubjectBaseline, WangiriSource } from './rules/detection-cdr';
import { groupBySubject, mergeIncidents, NIGHT_HOURS, slidingHits, type RuleDefinition, type WindowHit } from './rules/detection-rules';

const TIMER_NAME = 'detection-runner';
/** The lease a run holds (renewed after every batch), so two replicas never detect at the same time. */
export const DETECTION_LEASE_KEY = 'detection.runner.lease';
const DETECTION_LEASE_MS = 2 * 60_000;
/** Batches read per run before it yields (the next trigger goes on from the cursor). */
const MAX_BATCHES_PER_RUN = 20;
/** CDRs loaded per rule and batch for the touched windows. */
const LOAD_CAP = 200_000;
const DAY_MS = 86_400_000;
/** Baselines (asr_collapse, cost_spike, night_burst) cover the 7 days before the window. */
export const BASELINE_DAYS = 7;
/** wangiri_callback: callbacks within this long of the Wangiri calls. */
export const WANGIRI_CALLBACK_HOURS = 72;

export interface DetectionRunResult {
  /** CDRs read past the cursor. */
  cdrs: number;
  batches: number;
  /** Findings stored or updated. */
  findings: number;
  /** Findings published as events (new or escalated, active rules only). */
  published: number;
  /** standby: another replica holds the sync lease or the detection lease. */
  skipped?: 'standby' | 'disabled';
}

/** A finding just stored, and whether it went out as an event. */
export interface StoredFinding {
  row: DetectionFindingRow;
  published: boolean;
}

/**
 * The incremental detection runner (docs/detection.md). After every sync run that stored CDRs (and every
 * DETECTION_INTERVAL_SECONDS), it reads the CDRs stored since its cursor (first_seen_at, id), works out which
 * subjects of each rule they touch, loads those subjects' CDRs for one window around the new calls through the
 * indexes, evaluates the sliding windows ending at the new calls and folds each hit into the subject's finding
 * within the rule's cooldown, or stores a new one (idempotent: a re-run updates the same row). The cursor is saved
 * after each batch, so a restart goes on where it stopped and re-reads at most one batch. It never blocks the sync:
 * it listens to `CdrSyncService.runs$` and runs on its own; a failure is logged and retried at the next trigger.
 */
@Injectable()
export class DetectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DetectionRunner.name);
  private current: Promise<DetectionRunResult> | null = null;
  private again = false;
  private stopped = false;
  private syncSubscription: Subscription | null = null;
  /** A run asked for after a sync run, waiting DETECTION_DELAY_SECONDS. */
  private delayed: ReturnType<typeof setTimeout> | null = null;
  private readonly leaseOwner = `${hostname()}:${String(process.pid)}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly repository: DetectionRepository,
    private readonly settings: DetectionSettingsService,
    private readonly lists: DetectionListsService,
    private readonly sync: CdrSyncService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    private readonly states: SyncStateRepository,
    private readonly geoip: GeoIpService,
  ) {}

  /** The last UTC day the source counts were pruned (once a day). */
  private prunedDay: string | null = null;

  onApplicationBootstrap(): void {
    if (!this.config.detection.enabled) {
      this.logger.log('the detection runner is off (DETECTION_ENABLED=false)');
      return;
    }
    this.syncSubscription = this.sync.runs$.pipe(filter((run) => run.inserted > 0)).subscribe(() => {
      this.requestRunSoon();
    });
    const interval = setInterval(() => {
      this.requestRun();
    }, this.config.detection.intervalMs);
    interval.unref();
    this.scheduler.addInterval(TIMER_NAME, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.delayed !== null) clearTimeout(this.delayed);
    this.syncSubscription?.unsubscribe();
    if (this.scheduler.doesExist('interval', TIMER_NAME)) this.scheduler.deleteInterval(TIMER_NAME);
    await this.current?.catch(() => undefined);
  }

  /** Runs now, or joins the run in progress. */
  runNow(): Promise<DetectionRunResult> {
    this.current ??= this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** After a sync run: a run in DETECTION_DELAY_SECONDS, shared by the sync runs until then. */
  private requestRunSoon(): void {
    if (this.delayed !== null || this.stopped) return;
    this.delayed = setTimeout(() => {
      this.delayed = null;
      this.requestRun();
    }, this.config.detection.delayMs);
    this.delayed.unref();
  }

  /** A trigger: starts a run, or one more after the run in progress. Never throws. */
  requestRun(): void {
    if (this.stopped) return;
    if (this.current !== null) {
      this.again = true;
      return;
    }
    this.runNow().then(
      (result) => {
        if (this.again || result.batches >= MAX_BATCHES_PER_RUN) {
          this.again = false;
          this.requestRun();
        }
      },
      (error: unknown) => {
        this.logger.warn(`detection run failed (retried at the next trigger): ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  private async run(): Promise<DetectionRunResult> {
    const result: DetectionRunResult = { cdrs: 0, batches: 0, findings: 0, published: 0 };
    // one replica detects: not one on sync standby, and only while it holds the detection lease (any replica may
    // hold it between runs, e.g. when the sync is off everywhere, but never two at once: the cooldown's look-up
    // then insert must not race)
    if (this.sync.status().standby) return { ...result, skipped: 'standby' };
    if (!(await this.takeLease())) return { ...result, skipped: 'standby' };
    try {
      return await this.detect(result);
    } finally {
      await this.states.releaseLease(DETECTION_LEASE_KEY, this.leaseOwner).catch(() => undefined);
    }
  }

  private takeLease(): Promise<boolean> {
    return this.states.tryLease(DETECTION_LEASE_KEY, this.leaseOwner, new Date(this.clock.now()), DETECTION_LEASE_MS);
  }

  private async detect(result: DetectionRunResult): Promise<DetectionRunResult> {
    const c = this.config.detection;
    let cursor: DetectionCursor = (await this.repository.cursor()) ?? {
      seenUntil: new Date(this.clock.now() - c.backfillHours * 3_600_000).toISOString(),
      lastId: '',
    };
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopped; batch += 1) {
      const rows = await this.repository.newCdrs(cursor, c.batchSize);
      if (rows.length === 0) break;
      const cdrs = rows.map((r) => r.cdr).filter((cdr): cdr is DetectionCdr => cdr !== null);
      const stored = await this.processBatch(cdrs);
      await this.repository.addAccountSources(this.sourceCounts(cdrs));
      const last = rows[rows.length - 1];
      cursor = { seenUntil: last.firstSeenAt, lastId: last.id };
      await this.repository.saveCursor(cursor);
      result.cdrs += rows.length;
      result.batches += 1;
      result.findings += stored.length;
      result.published += stored.filter((s) => s.published).length;
      if (rows.length < c.batchSize) break;
      if (!(await this.takeLease())) break; // renewed; lost (a stall past its time): another replica goes on
    }
    await this.pruneSources();
    if (result.findings > 0) {
      this.logger.log(
        `detection: ${String(result.cdrs)} new CDRs, ${String(result.findings)} findings, ${String(result.published)} published`,
      );
    }
    return result;
  }

  /**
   * Evaluates every enabled rule on the windows these new CDRs touch; stores and publishes the findings. The rules
   * that load the same way (by caller, callee, account…) share one read of the store per batch: the union of their
   * touched subjects over the union of their touched windows. Load types go in the rules' order, so `wangiri` (by
   * caller) is stored before `wangiri_callback` (by callee) looks its numbers up.
   */
  async processBatch(batch: readonly DetectionCdr[]): Promise<StoredFinding[]> {
    if (batch.length === 0) return [];
    const all = await this.settings.all();
    const base = await this.lists.context(this.config.detection.timeZone);
    const enabled = [...all.values()].filter(({ settings }) => settings.enabled);
    const loads = [...new Set(enabled.map(({ rule }) => rule.load))];
    // how far back the store goes: read once per batch, and only when a rule needs a baseline
    let oldest: Promise<Date | null> | undefined;
    const oldestStart = (): Promise<Date | null> => (oldest ??= this.repository.oldestStart());
    const stored: StoredFinding[] = [];
    for (const load of loads) {
      const plans: TouchPlan[] = [];
      for (const { rule, settings } of enabled.filter((e) => e.rule.load === load)) {
        const ctx = rule.id === 'wangiri_callback' ? { ...base, wangiriSources: await this.wangiriSources(batch) } : base;
        const plan = touchPlan(rule, settings, batch, ctx);
        if (plan !== null) plans.push(plan);
      }
      if (plans.length === 0) continue;
      const subjects = [...new Set(plans.flatMap((p) => [...p.touched.keys()]))];
      // every window ending at a new call: from a window before the oldest new call to a window after the newest
      // (a late CDR changes the windows of the calls after it)
      const from = Math.min(...plans.map((p) => p.from));
      const to = Math.max(...plans.map((p) => p.to));
      const loaded = await this.repository.loadCdrs(load, subjects, new Date(from), new Date(to), LOAD_CAP);
      const atOf = new Map(loaded.map((c) => [c.id, c.at]));
      for (const plan of plans) {
        const baselines = await this.baselines(plan.rule, [...plan.touched.keys()], plan.from, oldestStart);
        let ctx: RuleContext = baselines === null ? plan.ctx : { ...plan.ctx, ...baselines };
        if (plan.rule.load === 'account_sources') ctx = { ...ctx, ...(await this.sourceContext([...plan.touched.keys()], plan.from)) };
        for (const hit of evaluatePlan(plan, loaded, ctx)) {
          stored.push(await this.store(plan.rule, plan.settings, hit, atOf));
        }
      }
    }
    return stored;
  }

  private async wangiriSources(batch: readonly DetectionCdr[]): Promise<Map<string, WangiriSource>> {
    const callees = [...new Set(batch.filter((c) => c.direction !== 'inbound' && c.callee !== null).map((c) => c.callee as string))];
    if (callees.length === 0) return new Map();
    const oldest = batch.reduce((min, c) => Math.min(min, c.at), Number.POSITIVE_INFINITY);
    return this.repository.wangiriSources(callees, new Date(oldest - WANGIRI_CALLBACK_HOURS * 3_600_000));
  }

  /**
   * The rule's baselines over the BASELINE_DAYS before the earliest touched window, cut to the store's history (a
   * fresh install holds hours, not days: averaging them over 7 days would make every account look 7× busier than
   * usual), and the hours they really cover; null when the rule needs none. `oldestStart` lets a batch share one read
   * of the store's oldest CDR across its rules.
   */
  async baselines(
    rule: RuleDefinition,
    subjects: readonly string[],
    before: number,
    oldestStart: () => Promise<Date | null> = () => this.repository.oldestStart(),
  ): Promise<Pick<RuleContext, 'baselines' | 'baselineHours'> | null> {
    if (rule.baseline === null) return null;
    const oldest = (await oldestStart())?.getTime() ?? before;
    const from = new Date(Math.min(before, Math.max(before - BASELINE_DAYS * DAY_MS, oldest)));
    const to = new Date(before);
    const baselineHours = (to.getTime() - from.getTime()) / 3_600_000;
    const baselines: Map<string, SubjectBaseline> =
      rule.baseline === 'caller'
        ? await this.repository.callerBaselines(subjects, from, to)
        : await this.repository.accountBaselines(subjects, from, to, { timeZone: this.config.detection.timeZone, ...NIGHT_HOURS });
    return { baselines, baselineHours };
  }

  /**
   * source_change: each account's sources on the DETECTION_SOURCE_BASELINE_DAYS whole UTC days before the day of
   * `before` (from detection_account_sources, kept by the runner), the GeoIP look-up and the rule's other settings.
   */
  async sourceContext(
    accounts: readonly string[],
    before: number,
  ): Promise<Pick<RuleContext, 'sourceHistory' | 'countryOf' | 'sourceSettings'>> {
    const c = this.config.detection;
    const toDay = utcDay(before);
    const fromDay = utcDay(Date.parse(`${toDay}T00:00:00Z`) - c.sourceBaselineDays * DAY_MS);
    const rows = accounts.length === 0 ? [] : await this.repository.accountSources(accounts, fromDay, toDay);
    const history = new Map<string, { calls: number; countries: Map<string, number>; userAgents: Map<string, number>; days: number }>();
    for (const row of rows) {
      const h = history.get(row.account) ?? { calls: 0, countries: new Map(), userAgents: new Map(), days: c.sourceBaselineDays };
      if (row.kind === 'calls') h.calls += row.calls;
      else if (row.kind === 'country') h.countries.set(row.value, row.calls);
      else h.userAgents.set(row.value, row.calls);
      history.set(row.account, h);
    }
    return {
      sourceHistory: history,
      countryOf: (ip) => this.geoip.country(ip),
      sourceSettings: { excludedCountries: new Set(c.sourceExcludedCountries), minBaselineCalls: c.sourceBaselineMinCalls },
    };
  }

  /** Per account and UTC day: outgoing calls, calls per GeoIP country and per user agent of these new CDRs. */
  sourceCounts(cdrs: readonly DetectionCdr[]): AccountSourceCount[] {
    const counts = new Map<string, AccountSourceCount>();
    const add = (account: string, day: string, kind: AccountSourceCount['kind'], value: string): void => {
      const key = JSON.stringify([account, day, kind, value]);
      const known = counts.get(key);
      if (known === undefined) counts.set(key, { account, day, kind, value, calls: 1 });
      else known.calls += 1;
    };
    for (const cdr of cdrs) {
      if (cdr.direction === 'inbound' || cdr.account === null || cdr.account === '') continue;
      const day = utcDay(cdr.at);
      add(cdr.account, day, 'calls', '');
      const country = this.geoip.country(cdr.remoteIp);
      if (country !== null) add(cdr.account, day, 'country', country);
      if (cdr.userAgent !== undefined && cdr.userAgent !== null && cdr.userAgent !== '')
        add(cdr.account, day, 'user_agent', cdr.userAgent.slice(0, 200));
    }
    return [...counts.values()];
  }

  /** Once a UTC day: drops source counts older than any baseline. */
  private async pruneSources(): Promise<void> {
    const today = utcDay(this.clock.now());
    if (this.prunedDay === today) return;
    this.prunedDay = today;
    await this.repository.pruneAccountSources(utcDay(this.clock.now() - (this.config.detection.sourceBaselineDays + 2) * DAY_MS));
  }

  /**
   * The cooldown: a hit of a subject whose finding of this rule was last seen within `cooldown_seconds` before the
   * hit's first call updates that finding (it is announced again only when it escalates to crit); otherwise it is a
   * new finding.
   */
  private async store(
    rule: RuleDefinition,
    settings: RuleSettings,
    hit: WindowHit,
    atOf: ReadonlyMap<string, number>,
  ): Promise<StoredFinding> {
    const since = new Date(hit.evaluation.firstSeen - settings.cooldown_seconds * 1000);
    const recent = await this.repository.recentFinding(rule.id, rule.subjectType, hit.subject, since);
    const row =
      recent === null
        ? await this.repository.upsertFinding({
            rule: rule.id,
            subjectType: rule.subjectType,
            subject: hit.subject,
            windowStart: new Date(hit.windowStart),
            windowEnd: new Date(hit.windowEnd),
            mode: settings.mode,
            evaluation: hit.evaluation,
          })
        : await this.repository.mergeIntoFinding(
            recent,
            { windowEnd: new Date(hit.windowEnd), mode: settings.mode, evaluation: hit.evaluation },
            atOf,
          );
    const published = await this.publishIfDue(rule.id, settings, row);
    return { row, published };
  }

  /**
   * Publishes a new or escalated finding (warn → crit) once: never for a rule in report-only mode, nor for a
   * finding an operator already handled (status other than open).
   */
  private async publishIfDue(rule: DetectionRuleId, settings: RuleSettings, row: DetectionFindingRow): Promise<boolean> {
    if (settings.mode !== 'active' || row.status !== 'open') return false;
    const level = row.level as DetectionLevel;
    if (row.published_level !== null && !(row.published_level === 'warn' && level === 'crit')) return false;
    const event = await this.events.publish({
      type: 'finding',
      level,
      data: { id: String(row.id), rule, level, subject: row.subject, reason_en: row.reason_en, reason_tr: row.reason_tr },
    });
    if (event === null) return false;
    await this.repository.markPublished(row.id, level);
    return true;
  }
}

/** 'YYYY-MM-DD' of an epoch-ms time in UTC. */
function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The subjects of one rule that a batch touches, with the time of their oldest and newest new call. */
interface TouchPlan {
  rule: RuleDefinition;
  settings: RuleSettings;
  ctx: RuleContext;
  touched: Map<string, { first: number; last: number }>;
  /** One window before the oldest new call. */
  from: number;
  /** One window after the newest new call. */
  to: number;
}

function touchPlan(rule: RuleDefinition, settings: RuleSettings, batch: readonly DetectionCdr[], ctx: RuleContext): TouchPlan | null {
  const touched = new Map<string, { first: number; last: number }>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const cdr of batch) {
    const subject = rule.subjectOf(cdr, ctx);
    if (subject === null || subject === '') continue;
    const span = touched.get(subject);
    touched.set(
      subject,
      span === undefined ? { first: cdr.at, last: cdr.at } : { first: Math.min(span.first, cdr.at), last: Math.max(span.last, cdr.at) },
    );
    first = Math.min(first, cdr.at);
    last = Math.max(last, cdr.at);
  }
  if (touched.size === 0) return null;
  const size = settings.window_seconds * 1000;
  return { rule, settings, ctx, touched, from: first - size, to: last + size + 1 };
}

/**
 * Sliding windows of the touched subjects: the windows ending at each call from the subject's oldest new call to a
 * window after its newest (thinned, see `slidingHits`), then the cooldown within the batch.
 */
function evaluatePlan(plan: TouchPlan, loaded: readonly DetectionCdr[], ctx: RuleContext): WindowHit[] {
  const { rule, settings, touched } = plan;
  const size = settings.window_seconds * 1000;
  const hits: WindowHit[] = [];
  for (const [subject, cdrs] of groupBySubject(rule, loaded, ctx)) {
    const span = touched.get(subject);
    if (span === undefined) continue;
    const ends = [...new Set(cdrs.filter((c) => c.at >= span.first && c.at <= span.last + size).map((c) => c.at))];
    hits.push(...slidingHits(rule, subject, cdrs, ends, settings, ctx));
  }
  return mergeIncidents(hits, settings.cooldown_seconds);
}

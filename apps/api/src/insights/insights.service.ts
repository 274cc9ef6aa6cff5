import { BadRequestException, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Insight, InsightKind, InsightMetric, InsightSeverity, InsightSubjectType } from '@velora/contracts';
import { filter, Observable, Subject, type Subscription } from 'rxjs';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { InsightRow } from '../database/database.types';
import { CdrSyncService } from '../sync/cdr-sync.service';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { DAY_MS, floorHour, HOUR_MS, localDateTime, sameHourInEarlierWeeks, WEEK_MS } from './hour-of-week';
import { analyzeSubjectHour, type AnalysisSettings, type Finding, type HourMeasures, type SubjectHour } from './insight-analysis';
import { insightMessage } from './insight-messages';
import { InsightsRepository, type RollupCell } from './insights.repository';
import { NarrativeService } from './narrative/narrative.service';

/** sync_state key of the analysis cursor. */
export const INSIGHTS_STATE_KEY = 'insights.anomalies';
const TIMER_NAME = 'insights-analysis';
/** Hours analysed per batch (one rollup read each). */
const BATCH_HOURS = 24;
/** Default range of GET /api/insights. */
const DEFAULT_RANGE_MS = DAY_MS;
/** Longest range of GET /api/insights. */
export const MAX_LIST_RANGE_DAYS = 92;

interface AnalysisState {
  /** End (exclusive) of the last hour analysed. */
  analyzed_until: string;
}

export interface InsightRunResult {
  /** [from, to) of the hours analysed (null when there was nothing to do). */
  from: string | null;
  to: string | null;
  hours: number;
  /** Findings of this run (new and updated). */
  findings: number;
  /** Insights stored for the first time. */
  created: number;
  skipped?: 'standby' | 'no_history';
}

export interface InsightListQuery {
  from?: string;
  to?: string;
  severity?: InsightSeverity;
  kind?: InsightKind;
  limit: number;
}

export interface InsightList {
  from: string;
  to: string;
  tz: string;
  /** How much hourly history is stored: insights need `required_weeks`. */
  history: { since: string | null; weeks: number; required_weeks: number };
  items: Insight[];
}

/**
 * Anomaly insights on the hourly rollup (docs/insights.md). Runs after sync runs that stored calls when a new hour has
 * completed, every INSIGHTS_INTERVAL_MINUTES, and at start-up; each run analyses the complete hours since the last
 * one (re-analysing the last INSIGHTS_SETTLE_HOURS), so it is incremental; the cursor and the deduplicated insights are
 * stored, so it is restart-safe. New insights are pushed on `insights$`.
 */
@Injectable()
export class InsightsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InsightsService.name);
  private readonly created = new Subject<Insight>();
  /** Every insight the moment it is first stored by this process (for notifications). */
  readonly insights$: Observable<Insight> = this.created.asObservable();
  private current: Promise<InsightRunResult> | null = null;
  private again = false;
  private stopped = false;
  private analyzedUntil = Number.NEGATIVE_INFINITY;
  private syncSubscription: Subscription | null = null;

  constructor(
    private readonly repository: InsightsRepository,
    private readonly states: SyncStateRepository,
    private readonly narratives: NarrativeService,
    private readonly sync: CdrSyncService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  private get settings(): AnalysisSettings {
    const c = this.config.insights;
    return { thresholdWarn: c.thresholdWarn, thresholdCrit: c.thresholdCrit, minCalls: c.minCalls, minHistoryWeeks: c.minHistoryWeeks };
  }

  private get tz(): string {
    return this.config.insights.timeZone;
  }

  onApplicationBootstrap(): void {
    if (!this.config.insights.enabled) {
      this.logger.log('scheduled insights are off (INSIGHTS_ENABLED=false)');
      return;
    }
    // after a sync run that stored or changed calls, once an hour has completed since the last analysis
    this.syncSubscription = this.sync.runs$
      .pipe(filter((run) => run.inserted + run.updated > 0 && floorHour(this.clock.now()).getTime() > this.analyzedUntil))
      .subscribe(() => {
        this.requestRun();
      });
    const interval = setInterval(() => {
      this.requestRun();
    }, this.config.insights.intervalMs);
    interval.unref();
    this.scheduler.addInterval(TIMER_NAME, interval);
    const first = setTimeout(() => {
      this.requestRun();
    }, 0);
    first.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.syncSubscription?.unsubscribe();
    if (this.scheduler.doesExist('interval', TIMER_NAME)) this.scheduler.deleteInterval(TIMER_NAME);
    await this.current?.catch(() => undefined);
    this.created.complete();
  }

  /** Runs the analysis (and the daily narrative) now, or joins the run in progress. */
  runNow(): Promise<InsightRunResult> {
    this.current ??= this.run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** A scheduled trigger: starts a run, or one more after the run in progress. */
  private requestRun(): void {
    if (this.stopped) return;
    if (this.current !== null) {
      this.again = true;
      return;
    }
    this.runNow().then(
      () => {
        if (this.again) {
          this.again = false;
          this.requestRun();
        }
      },
      (error: unknown) => {
        this.logger.warn(`insights run failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  private async run(): Promise<InsightRunResult> {
    // one replica analyses: the one that holds the sync lease (or every one when the sync is off)
    if (this.sync.status().standby) {
      return { from: null, to: null, hours: 0, findings: 0, created: 0, skipped: 'standby' };
    }
    const result = await this.analyze();
    await this.narratives.ensureDaily().catch((error: unknown) => {
      this.logger.warn(`daily narrative failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return result;
  }

  /** Analyses the complete hours not analysed yet, plus the last INSIGHTS_SETTLE_HOURS again. */
  async analyze(): Promise<InsightRunResult> {
    const c = this.config.insights;
    const end = floorHour(this.clock.now()).getTime();
    const state = await this.states.get<AnalysisState>(INSIGHTS_STATE_KEY);
    const last = state === null ? Number.NaN : Date.parse(state.analyzed_until);
    const earliest = end - c.backfillHours * HOUR_MS;
    const start = Number.isNaN(last) ? earliest : Math.max(Math.min(last, end) - c.settleHours * HOUR_MS, earliest);
    const result: InsightRunResult = {
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      hours: 0,
      findings: 0,
      created: 0,
    };
    if (start >= end) return result;
    const historyStart = await this.repository.historyStart();
    if (historyStart === null) {
      result.skipped = 'no_history';
    } else {
      for (let batch = start; batch < end; batch += BATCH_HOURS * HOUR_MS) {
        const hours: Date[] = [];
        for (let t = batch; t < Math.min(batch + BATCH_HOURS * HOUR_MS, end); t += HOUR_MS) hours.push(new Date(t));
        const { findings, findingHours } = await this.analyzeHours(hours, historyStart);
        const createdRows = await this.repository.saveFindings(findings, findingHours);
        result.hours += hours.length;
        result.findings += findings.length;
        result.created += createdRows.length;
        for (const row of createdRows) this.created.next(this.toInsight(row));
      }
    }
    const saved: AnalysisState = { analyzed_until: new Date(end).toISOString() };
    await this.states.save(INSIGHTS_STATE_KEY, saved);
    this.analyzedUntil = end;
    if (result.created > 0) this.logger.log(`insights: ${String(result.created)} new over ${String(result.hours)} hour(s)`);
    return result;
  }

  /** The findings of some hours: one rollup read for the hours and their baselines, one for new destinations. */
  private async analyzeHours(hours: readonly Date[], historyStart: Date): Promise<{ findings: Finding[]; findingHours: Date[] }> {
    const c = this.config.insights;
    const baselines = new Map<number, Array<Date | null>>(
      hours.map((h) => [h.getTime(), sameHourInEarlierWeeks(h, this.tz, c.historyWeeks)]),
    );
    const buckets = [...hours, ...[...baselines.values()].flat().filter((b): b is Date => b !== null && b >= historyStart)];
    const byHour = indexCells(await this.repository.cellsAt(buckets));

    // new destinations: called in these hours, not in the INSIGHTS_NEW_DESTINATION_DAYS before the first of them
    const firstSeen = new Map<string, number>();
    for (const h of hours) {
      for (const code of byHour.get(h.getTime())?.keys() ?? []) {
        if (code !== '' && code !== ALL && !firstSeen.has(code)) firstSeen.set(code, h.getTime());
      }
    }
    const lookbackFrom = new Date(Math.max(hours[0].getTime() - c.newDestinationDays * DAY_MS, historyStart.getTime()));
    const known = await this.repository.destinationsWithCalls([...firstSeen.keys()], lookbackFrom, hours[0]);

    const findings: Finding[] = [];
    const findingHours: Date[] = [];
    for (const h of hours) {
      const observed = byHour.get(h.getTime());
      if (observed === undefined) continue;
      const history = baselines.get(h.getTime()) ?? [];
      for (const [code, measures] of observed) {
        if (code === '') continue; // unknown destination: only in the total
        const subject: SubjectHour = {
          subject: code === ALL ? { type: 'all', countryCode: null } : { type: 'country', countryCode: code },
          observed: measures,
          history: history.map((b) => (b === null || b < historyStart ? null : (byHour.get(b.getTime())?.get(code) ?? EMPTY))),
        };
        const isNew =
          code !== ALL && !known.has(code) && firstSeen.get(code) === h.getTime()
            ? { quietDays: Math.floor((h.getTime() - lookbackFrom.getTime()) / DAY_MS) }
            : null;
        for (const finding of analyzeSubjectHour(subject, this.settings, isNew)) {
          findings.push(finding);
          findingHours.push(h);
        }
      }
    }
    return { findings, findingHours };
  }

  /** GET /api/insights. */
  async list(query: InsightListQuery): Promise<InsightList> {
    const now = this.clock.now();
    const to = query.to !== undefined ? new Date(query.to) : new Date(now);
    const from = query.from !== undefined ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    if (to.getTime() <= from.getTime()) throw badRequest('to must be later than from');
    if (to.getTime() - from.getTime() > MAX_LIST_RANGE_DAYS * DAY_MS) {
      throw badRequest(`to: the range from → to must be at most ${String(MAX_LIST_RANGE_DAYS)} days`);
    }
    const [rows, since] = await Promise.all([
      this.repository.list({ from, to, minSeverity: query.severity, kind: query.kind, limit: query.limit }),
      this.repository.historyStart(),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      tz: this.tz,
      history: {
        since: since?.toISOString() ?? null,
        weeks: since === null ? 0 : Math.max(0, Math.floor((now - since.getTime()) / WEEK_MS)),
        required_weeks: this.config.insights.minHistoryWeeks,
      },
      items: rows.map((row) => this.toInsight(row)),
    };
  }

  toInsight(row: InsightRow): Insight {
    const evidence = row.evidence as unknown as Insight['evidence'];
    const countryCode = row.subject_type === 'country' ? row.subject : null;
    const currency = row.currency === '' ? null : row.currency;
    const hourEnd = new Date(row.hour.getTime() + HOUR_MS);
    const band = row.band_low !== null && row.band_high !== null ? { low: row.band_low, high: row.band_high } : null;
    const filter: Record<string, string> = { from: row.hour.toISOString(), to: hourEnd.toISOString() };
    if (countryCode !== null) filter['country'] = countryCode;
    return {
      id: row.id,
      kind: row.kind as InsightKind,
      severity: row.severity as InsightSeverity,
      subject: { type: row.subject_type as InsightSubjectType, country_code: countryCode },
      currency,
      hour: { from: row.hour.toISOString(), to: hourEnd.toISOString(), local: localDateTime(row.hour, this.tz), tz: this.tz },
      metric: row.metric as InsightMetric,
      observed: row.observed,
      expected: row.expected,
      band,
      score: row.score,
      evidence,
      message: insightMessage(
        {
          kind: row.kind as InsightKind,
          subjectType: row.subject_type as InsightSubjectType,
          countryCode,
          currency,
          hour: row.hour,
          metric: row.metric as InsightMetric,
          observed: row.observed,
          expected: row.expected,
          band,
          calls: evidence.calls,
          quietDays: evidence.quiet_days,
        },
        this.tz,
      ),
      filter,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }
}

/** The key of the whole traffic in an hour's cells (not a country code: those are two letters). */
const ALL = '*';
const EMPTY: HourMeasures = Object.freeze({ calls: 0, answered: 0, cost: Object.freeze({}) });

/** hour → subject ('*' for all, else the country code, '' unknown) → measures. */
function indexCells(cells: readonly RollupCell[]): Map<number, Map<string, HourMeasures>> {
  const byHour = new Map<number, Map<string, { calls: number; answered: number; cost: Record<string, number> }>>();
  for (const cell of cells) {
    const hour = cell.bucket.getTime();
    let subjects = byHour.get(hour);
    if (subjects === undefined) {
      subjects = new Map();
      byHour.set(hour, subjects);
    }
    for (const key of [ALL, cell.country_code]) {
      let m = subjects.get(key);
      if (m === undefined) {
        m = { calls: 0, answered: 0, cost: {} };
        subjects.set(key, m);
      }
      m.calls += cell.calls;
      m.answered += cell.answered;
      if (cell.cost_count > 0 && cell.currency !== '') m.cost[cell.currency] = (m.cost[cell.currency] ?? 0) + cell.cost_sum;
    }
  }
  return byHour;
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [message] });
}

import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Transaction } from 'kysely';
import { CdrNormalizationError, SippyError, type Cdr, type RawCdr, type SippyClient } from '@velora/sippy';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { CdrRepository } from '../cdrs/cdr.repository';
import { CdrNormalizerService } from '../cdrs/cdr-normalizer.service';
import { DatabaseService } from '../database/database.service';
import type { Database } from '../database/database.types';
import { SippyLiveClient } from '../sippy/sippy-live-client';
import { SyncStateRepository } from './sync-state.repository';
import { retryRead, type ReadRetryPolicy } from './read-retry';
import { NOOP_SYNC_RECORDER, SyncRecorder } from './sync-recorder';
import { SyncInterruptedError } from './sync-interrupted.error';
import { newestInserted, NOOP_SYNC_EVENT_SINK, SyncEventSink } from './sync-event-sink';
import { advanceState, initialSyncState, nextRunDelayMs, planSyncRun, splitWindows } from './sync-plan';
import type { SyncCursorState, SyncRunResult, SyncStatus } from './sync.types';

export const SYNC_STATE_KEY = 'sippy.cdr-sync';
/** Held by the replica that polls the switch; the others stand by. */
export const SYNC_LEASE_KEY = 'sippy.cdr-sync.lease';
const TIMER_NAME = 'sippy-cdr-sync';
/** Sippy's date filter has one-second resolution and undocumented inclusivity: every request reaches 1 s back. */
const BOUNDARY_OVERLAP_MS = 1000;
/** Below this a full window is paged with offset instead of being split further. */
const MIN_SPLIT_MS = 2000;
/** Sippy CDRs carry no currency: costs are in the account's base_currency (listAccounts), re-read this often. */
const ACCOUNT_CURRENCY_REFRESH_MS = 3_600_000;
const LIST_ACCOUNTS_PAGE = 1000;
/** Ceiling of one retry back-off inside a run. */
const MAX_RETRY_DELAY_MS = 30_000;

/** Another replica holds the sync lease: a task that must not overlap with the sync cannot run here now. */
export class SyncLeaseHeldError extends Error {
  constructor(readonly heldUntil: string | null) {
    super(
      `the CDR sync runs on another replica (it holds the sync lease${heldUntil === null ? '' : ` until ${heldUntil}`}): try again there or later`,
    );
    this.name = 'SyncLeaseHeldError';
  }
}

/** One window of the switch read like the sync reads it, for a check of the stored copy (reconciliation). */
export interface SwitchWindowRead {
  /** Normalized CDRs whose start lies in [from, to), de-duplicated by id. */
  rows: Array<{ cdr: Cdr; raw: RawCdr; source: string }>;
  /** Requests sent to the switch (a full page splits the window). */
  requests: number;
  /** Rows the switch sent without a usable id (not stored, as in the sync). */
  skipped: number;
}

/**
 * Pulls CDRs from the switch into the store: one poller per process, whatever the number of API clients.
 * Each window is upserted (idempotent, keyed by the source id) and the cursor is saved in the SAME transaction,
 * so the cursor is never ahead of committed rows and a restart at any point loses nothing.
 */
@Injectable()
export class CdrSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CdrSyncService.name);
  private current: Promise<SyncRunResult> | null = null;
  /** Sync runs and exclusive tasks (reconciliation windows) take turns here: they never overlap in this process. */
  private turns: Promise<void> = Promise.resolve();
  private stopped = false;
  private lastError: { message: string; at: number } | null = null;
  /** Runs failed in a row (health: degraded after SIPPY_HEALTH_DEGRADED_AFTER_FAILURES). */
  private consecutiveFailures = 0;
  /** Runs failed in a row without committing a window: only these back off. */
  private failuresWithoutProgress = 0;
  /** Windows committed by the run in progress (a failed run that committed some made progress). */
  private runProgress = 0;
  private lastRunRows = 0;
  private nextRunAt: number | null = null;
  private cached: SyncCursorState | null = null;
  private accountCurrency = new Map<string, string>();
  /** This process's identity for the sync lease. */
  private readonly leaseOwner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private standby = false;
  private accountCurrencyReadAt = Number.NEGATIVE_INFINITY;
  private readonly succeeded = new Subject<SyncRunResult>();
  /** Every successful run, after its rows are committed (the insights analyse after runs that stored calls). */
  readonly runs$: Observable<SyncRunResult> = this.succeeded.asObservable();
  /** The client of the run in progress (a run never mixes two switches) and its generation. */
  private runClient: { client: SippyClient; sourceKey: string; generation: number } | null = null;
  private linkChanges: Subscription | null = null;
  /** A restart after new settings, waiting for the run in progress to stop. */
  private restarting: Promise<void> | null = null;

  constructor(
    private readonly link: SippyLiveClient,
    private readonly cdrs: CdrRepository,
    private readonly states: SyncStateRepository,
    private readonly database: DatabaseService,
    private readonly normalizer: CdrNormalizerService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    private readonly recorder: SyncRecorder = NOOP_SYNC_RECORDER,
    private readonly events: SyncEventSink = NOOP_SYNC_EVENT_SINK,
  ) {}

  /** True once the application shuts down: exclusive tasks are refused, long loops should stop. */
  get stopping(): boolean {
    return this.stopped;
  }

  get enabled(): boolean {
    return this.config.sync.enabled && this.link.current.info.mode !== 'unconfigured';
  }

  async onApplicationBootstrap(): Promise<void> {
    this.cached = await this.states.get<SyncCursorState>(SYNC_STATE_KEY);
    // SippySettingsService reads the saved settings in its own bootstrap hook (maybe after this one): start then
    void this.link.ready.then(() => {
      if (this.stopped) return;
      this.linkChanges = this.link.changes.subscribe(() => {
        void this.restartOnNewSwitch();
      });
      this.start();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.linkChanges?.unsubscribe();
    this.clearTimer();
    await this.current?.catch(() => undefined); // ends after the window in progress
    await this.turns; // and an exclusive task (a reconciliation window) in progress
    await this.restarting;
    await this.states.releaseLease(SYNC_LEASE_KEY, this.leaseOwner).catch(() => undefined);
  }

  private start(): void {
    if (this.enabled) {
      const { client } = this.link.current;
      this.logger.log(`CDR sync every ${this.config.sync.intervalMs / 1000}s from ${client.endpoint} (${client.source} CDRs)`);
      this.schedule(0);
    } else {
      this.clearTimer();
      this.nextRunAt = null;
      this.logger.warn(
        this.config.sync.enabled
          ? 'CDR sync is off: SippySoft is not configured (Integrations page or SIPPY_RPC_URL)'
          : 'CDR sync is disabled (SIPPY_SYNC_ENABLED=false)',
      );
    }
  }

  /**
   * New switch settings are in force: the run in progress stops after its window, the failure counters of the old
   * switch are forgotten, and the sync starts at once on the new one (a new switch gets a fresh cursor, see sync()).
   */
  private restartOnNewSwitch(): Promise<void> {
    this.restarting ??= (async () => {
      try {
        this.clearTimer();
        await this.current?.catch(() => undefined);
        if (this.stopped) return;
        this.consecutiveFailures = 0;
        this.failuresWithoutProgress = 0;
        this.lastError = null;
        this.lastRunRows = 0;
        this.accountCurrency = new Map();
        this.accountCurrencyReadAt = Number.NEGATIVE_INFINITY;
        this.logger.log('the SippySoft settings changed: restarting the CDR sync');
        this.start();
      } finally {
        this.restarting = null;
      }
    })();
    return this.restarting;
  }

  /** Runs a sync now, or joins the run in progress (never two at once, never during an exclusive task). */
  runNow(): Promise<SyncRunResult> {
    this.current ??= this.takeTurn(() => this.run()).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /**
   * Runs `task` while no sync runs, here or on another replica: it waits for the run in progress in this process
   * (a run asked for meanwhile waits for the task), then takes the sync lease — which the sync itself holds while it
   * polls — for the task's duration.
   * @throws SyncLeaseHeldError when another replica holds the lease (this replica is on standby).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.takeTurn(async () => {
      if (this.stopped) throw new Error('the application is shutting down');
      const now = this.clock.now();
      if (!(await this.states.tryLease(SYNC_LEASE_KEY, this.leaseOwner, new Date(now), this.leaseTtlMs()))) {
        const lease = await this.states.get<{ until?: string }>(SYNC_LEASE_KEY);
        throw new SyncLeaseHeldError(lease?.until ?? null);
      }
      try {
        return await task();
      } finally {
        // a process that does not sync gives the lease back at once; a syncing one keeps it (its runs renew it)
        if (!this.enabled) await this.states.releaseLease(SYNC_LEASE_KEY, this.leaseOwner).catch(() => undefined);
      }
    });
  }

  /**
   * Reads [from, to) from the switch exactly like a sync window (same client, paging by splitting full windows,
   * retries of transient failures, account currencies, normalizer) and keeps the CDRs that started inside it.
   * Stores nothing. Call it inside `exclusive()`.
   * @throws SippyError when the switch cannot be read (after the retries).
   */
  async readSwitchWindow(from: number, to: number): Promise<SwitchWindowRead> {
    const result: SyncRunResult = { pass: 'full', from: '', to: '', requests: 0, fetched: 0, inserted: 0, updated: 0, skipped: 0, duration_ms: 0, retries: 0 };
    await this.refreshAccountCurrencies(this.clock.now());
    const rows = this.normalize(await this.fetchWindow(from, to, result), result).filter(({ cdr }) => {
      const start = cdr.start_time === null ? Number.NaN : Date.parse(cdr.start_time);
      return start >= from && start < to;
    });
    return { rows, requests: result.requests, skipped: result.skipped };
  }

  private takeTurn<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.turns.then(task);
    this.turns = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  status(): SyncStatus {
    const state = this.cached;
    const now = this.clock.now();
    return {
      enabled: this.enabled,
      running: this.current !== null,
      standby: this.standby,
      last_success_at: state?.last_success_at ?? null,
      last_error: this.lastError?.message ?? null,
      last_error_at: this.lastError ? new Date(this.lastError.at).toISOString() : null,
      lag_seconds: state?.last_success_at ? Math.max(0, Math.round((now - Date.parse(state.fast_until)) / 1000)) : null,
      rows_total: state?.rows_total ?? 0,
      last_run_rows: this.lastRunRows,
      consecutive_failures: this.consecutiveFailures,
      failures_without_progress: this.failuresWithoutProgress,
      next_run_at: this.nextRunAt ? new Date(this.nextRunAt).toISOString() : null,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.clearTimer();
    this.nextRunAt = this.clock.now() + delayMs;
    const timer = setTimeout(() => {
      this.scheduler.deleteTimeout(TIMER_NAME);
      this.nextRunAt = null;
      this.runNow().then(
        () => {
          this.schedule(this.config.sync.intervalMs);
        },
        (error: unknown) => {
          // an interrupted run is rescheduled by whoever interrupted it (shutdown: never); a replica that lost the
          // lease polls for it again at the normal interval, like any standby
          if (!(error instanceof SyncInterruptedError)) this.schedule(this.backoffMs());
          else if (error.reason === 'lease_lost') this.schedule(this.config.sync.intervalMs);
        },
      );
    }, delayMs);
    timer.unref();
    this.scheduler.addTimeout(TIMER_NAME, timer);
  }

  private clearTimer(): void {
    if (this.scheduler.doesExist('timeout', TIMER_NAME)) {
      this.scheduler.deleteTimeout(TIMER_NAME);
    }
  }

  /** Back-off after a failed run: none when the run committed something (it goes on at the normal interval). */
  private backoffMs(): number {
    const { intervalMs, maxBackoffMs } = this.config.sync;
    return nextRunDelayMs(this.failuresWithoutProgress, intervalMs, maxBackoffMs);
  }

  private get retryPolicy(): ReadRetryPolicy {
    return { attempts: this.config.sync.retryAttempts, baseDelayMs: this.config.sync.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS };
  }

  /** An idempotent read of the switch with retries of transient failures; counts retries in the run result. */
  private read<T>(what: string, call: () => Promise<T>, result?: SyncRunResult): Promise<T> {
    return retryRead(call, this.retryPolicy, {
      sleep: (ms) => sleep(ms, undefined, { ref: false }),
      random: Math.random,
      stopped: () => this.interrupted(),
      onRetry: (error, attempt, delayMs) => {
        if (result) result.retries += 1;
        this.logger.debug(`${what}: transient failure (try ${String(attempt)}), again in ${String(delayMs)} ms: ${describeError(error)}`);
      },
    });
  }

  private async run(): Promise<SyncRunResult> {
    const started = this.clock.now();
    this.runProgress = 0;
    const { client, info, generation } = this.link.current;
    this.runClient = { client, sourceKey: info.sourceKey, generation };
    try {
      const result = await this.sync(started);
      if (this.consecutiveFailures > 0 && result.pass !== 'standby') {
        this.events.runRecovered({ failedRuns: this.consecutiveFailures });
      }
      this.consecutiveFailures = 0;
      this.failuresWithoutProgress = 0;
      this.lastError = null;
      this.lastRunRows = result.inserted;
      const level = result.inserted > 0 || result.pass === 'full' ? 'log' : 'debug';
      this.logger[level](
        `sync ${result.pass} ${result.from}..${result.to}: fetched ${result.fetched}, new ${result.inserted}, ` +
          `changed ${result.updated}, skipped ${result.skipped} in ${result.duration_ms} ms (${result.requests} requests)`,
      );
      this.recorder.runSucceeded(result);
      this.succeeded.next(result);
      return result;
    } catch (caught) {
      // the old client is closed once new settings are in force: whatever its last call did, the run was interrupted
      const error =
        !(caught instanceof SyncInterruptedError) && !this.stopped && this.interrupted()
          ? new SyncInterruptedError('settings_changed')
          : caught;
      if (error instanceof SyncInterruptedError) {
        this.recorder.runFailed(error, this.clock.now() - started);
        this.logger.log(error.message);
        throw error;
      }
      this.consecutiveFailures += 1;
      // A run that committed windows before failing made progress: it does not back off (the next run goes on
      // from its cursor at the normal interval); only runs that committed nothing do.
      this.failuresWithoutProgress = this.runProgress > 0 ? 0 : this.failuresWithoutProgress + 1;
      const message = describeError(error);
      this.lastError = { message, at: this.clock.now() };
      this.recorder.runFailed(error, this.clock.now() - started);
      this.events.runFailed({ message, consecutiveFailures: this.consecutiveFailures });
      const progress = this.runProgress > 0 ? `after committing ${String(this.runProgress)} window(s)` : 'without progress';
      this.logger.warn(
        `sync failed ${progress} (${String(this.consecutiveFailures)} in a row, next run in ${String(this.backoffMs() / 1000)}s): ${message}`,
      );
      throw error;
    } finally {
      this.runClient = null;
    }
  }

  /** The client of the run in progress. */
  private get client(): SippyClient {
    return (this.runClient ?? this.link.current).client;
  }

  /** Shutting down, or new settings replaced the client this run started with. */
  private interrupted(): boolean {
    return this.stopped || (this.runClient !== null && this.runClient.generation !== this.link.current.generation);
  }

  /** Between windows: stop for a shutdown, or when new settings replaced the client this run started with. */
  private checkInterrupted(): void {
    if (this.stopped) throw new SyncInterruptedError('shutdown');
    if (this.interrupted()) throw new SyncInterruptedError('settings_changed');
  }

  /**
   * Renews the sync lease before a window is read and again inside the window's commit transaction (a fence: the
   * lease row stays locked until the commit). When the lease lapsed meanwhile (a read or commit slower than the
   * lease, a stalled process) and another replica took it, this run stops at once, before reading or committing
   * anything more: two replicas never store the same windows, and the one that lost the lease stands by.
   */
  private async holdLease(trx?: Transaction<Database>): Promise<void> {
    if (await this.states.tryLease(SYNC_LEASE_KEY, this.leaseOwner, new Date(this.clock.now()), this.leaseTtlMs(), trx)) return;
    this.standby = true;
    this.logger.warn('lost the sync lease to another replica during a run: standing by');
    throw new SyncInterruptedError('lease_lost');
  }

  /** Lease long enough for a slow run; renewed before every window and in its commit. */
  private leaseTtlMs(): number {
    if (this.config.sync.leaseMs !== undefined) return this.config.sync.leaseMs;
    return Math.max(3 * this.config.sync.intervalMs, 2 * this.config.sippy.connection.timeoutMs, 60_000);
  }

  private async sync(now: number): Promise<SyncRunResult> {
    const cfg = this.config.sync;
    if (!(await this.states.tryLease(SYNC_LEASE_KEY, this.leaseOwner, new Date(now), this.leaseTtlMs()))) {
      if (!this.standby) this.logger.log('another replica holds the sync lease: standing by');
      this.standby = true;
      this.cached = await this.states.get<SyncCursorState>(SYNC_STATE_KEY); // show the leader's progress
      const at = new Date(now).toISOString();
      return {
        pass: 'standby',
        from: at,
        to: at,
        requests: 0,
        fetched: 0,
        inserted: 0,
        updated: 0,
        skipped: 0,
        duration_ms: 0,
        retries: 0,
      };
    }
    if (this.standby) this.logger.log('took over the sync lease');
    this.standby = false;
    const source = this.runClient?.sourceKey ?? this.link.current.info.sourceKey;
    let state = (await this.states.get<SyncCursorState>(SYNC_STATE_KEY)) ?? { ...initialSyncState(now, cfg), source };
    if (state.source === undefined) {
      state = { ...state, source }; // a cursor from before switches were told apart: it belongs to this one
    } else if (state.source !== source) {
      // another switch: its CDRs are read from the initial look-back, not from where the old one stopped
      this.logger.log(
        `a new switch (${this.client.endpoint}): reading its CDRs of the last ${String(cfg.initialLookbackMs / 3_600_000)} h`,
      );
      state = { ...initialSyncState(now, cfg), source, rows_total: state.rows_total };
    }
    const plan = planSyncRun(state, now, cfg);
    const result: SyncRunResult = {
      pass: plan?.pass ?? 'fast',
      from: new Date(plan?.from ?? now).toISOString(),
      to: new Date(plan?.to ?? now).toISOString(),
      requests: 0,
      fetched: 0,
      inserted: 0,
      updated: 0,
      skipped: 0,
      duration_ms: 0,
      retries: 0,
    };
    if (plan) {
      await this.refreshAccountCurrencies(now);
      const windows = splitWindows(plan.from, plan.to, cfg.windowMs);
      if (cfg.newestFirst && plan.to - Date.parse(state.fast_until) > 2 * cfg.windowMs) {
        state = await this.readNewestFirst(state, windows[windows.length - 1], result);
      }
      for (const [a, b] of windows) {
        this.checkInterrupted();
        await this.holdLease();
        const raws = await this.fetchWindow(a, b, result);
        const rows = this.normalize(raws, result);
        const committed = state;
        const insertedIds = new Set<string>();
        state = await this.database.db.transaction().execute(async (trx) => {
          await this.holdLease(trx);
          const counts = rows.length > 0 ? await this.cdrs.upsertMany(rows, trx, { onInserted: (ids) => { for (const id of ids) insertedIds.add(id); } }) : { inserted: 0, updated: 0 };
          result.inserted += counts.inserted;
          result.updated += counts.updated;
          const next = advanceState(committed, plan.pass, b, counts.inserted);
          await this.states.save(SYNC_STATE_KEY, next, trx);
          return next;
        });
        this.cached = state;
        this.runProgress += 1;
        this.announce(rows, insertedIds);
      }
    }
    const finishedAt = this.clock.now();
    state = {
      ...state,
      last_success_at: new Date(finishedAt).toISOString(),
      last_full_pass_at: result.pass === 'full' && plan ? new Date(now).toISOString() : state.last_full_pass_at,
    };
    await this.states.save(SYNC_STATE_KEY, state);
    this.cached = state;
    result.duration_ms = finishedAt - now;
    return result;
  }

  /**
   * On a backlog (first start, after an outage), the newest window is read and stored before the oldest-first
   * loop, so a struggling switch still fills the live view while the backlog catches up. The cursors do not move:
   * they only ever advance over a contiguous run of committed windows, so the invariant of the full pass holds,
   * and the loop reads this window again when it gets there (the upsert is idempotent).
   */
  private async readNewestFirst(state: SyncCursorState, [a, b]: [number, number], result: SyncRunResult): Promise<SyncCursorState> {
    const rows = this.normalize(await this.fetchWindow(a, b, result), result);
    if (rows.length === 0) return state;
    const insertedIds = new Set<string>();
    const next = await this.database.db.transaction().execute(async (trx) => {
      await this.holdLease(trx);
      const counts = await this.cdrs.upsertMany(rows, trx, { onInserted: (ids) => { for (const id of ids) insertedIds.add(id); } });
      result.inserted += counts.inserted;
      result.updated += counts.updated;
      const saved: SyncCursorState = { ...state, rows_total: state.rows_total + counts.inserted };
      await this.states.save(SYNC_STATE_KEY, saved, trx);
      return saved;
    });
    this.cached = next;
    this.runProgress += 1;
    this.announce(rows, insertedIds);
    return next;
  }

  /** After a commit: tells the live events about the rows it inserted (returns at once). */
  private announce(rows: ReadonlyArray<{ cdr: Cdr }>, insertedIds: ReadonlySet<string>): void {
    if (insertedIds.size === 0) return;
    this.events.cdrsCommitted({ inserted: insertedIds.size, newest: newestInserted(rows, insertedIds) });
  }

  /**
   * All CDRs of [a, b). A request that comes back full is split in halves instead of paged with offsets,
   * because Sippy's result order is undocumented and offsets shift while calls are being written; only a
   * window narrower than MIN_SPLIT_MS that is still full is paged (and de-duplicated by id).
   */
  private async fetchWindow(a: number, b: number, result: SyncRunResult): Promise<RawCdr[]> {
    const limit = this.config.sync.pageSize;
    const page = async (offset: number): Promise<RawCdr[]> => {
      result.requests += 1;
      const rows = await this.read(
        'CDR page',
        () => this.client.getCdrs({ startDate: new Date(a - BOUNDARY_OVERLAP_MS), endDate: new Date(b), offset, limit }),
        result,
      );
      result.fetched += rows.length;
      return rows;
    };
    const first = await page(0);
    if (first.length < limit) {
      return first;
    }
    if (b - a >= MIN_SPLIT_MS) {
      const mid = a + Math.floor((b - a) / 2000) * 1000;
      return [...(await this.fetchWindow(a, mid, result)), ...(await this.fetchWindow(mid, b, result))];
    }
    const all = [...first];
    for (let offset = limit; ; offset += limit) {
      const rows = await page(offset);
      all.push(...rows);
      if (rows.length < limit) return all;
    }
  }

  /**
   * account → currency from listAccounts (getAccountCDRs only; getCustomerCDRs rows are in the sub-customer's
   * currency, which listAccounts does not tell). A failure only costs the currency column, never the sync.
   */
  private async refreshAccountCurrencies(now: number): Promise<void> {
    if (this.client.source !== 'account' || now - this.accountCurrencyReadAt < ACCOUNT_CURRENCY_REFRESH_MS) {
      return;
    }
    this.accountCurrencyReadAt = now;
    try {
      const currencies = new Map<string, string>();
      for (let offset = 0; offset < 50 * LIST_ACCOUNTS_PAGE; offset += LIST_ACCOUNTS_PAGE) {
        const accounts = await this.read('listAccounts', () => this.client.listAccounts(offset, LIST_ACCOUNTS_PAGE));
        for (const account of accounts) {
          const id = account['i_account'];
          const currency = account['base_currency'];
          if ((typeof id === 'number' || typeof id === 'string') && typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency)) {
            currencies.set(String(id), currency.toUpperCase());
          }
        }
        if (accounts.length < LIST_ACCOUNTS_PAGE) break;
      }
      this.accountCurrency = currencies;
    } catch (error) {
      this.logger.warn(`could not read account currencies with listAccounts (costs keep the default currency): ${describeError(error)}`);
    }
  }

  private normalize(raws: RawCdr[], result: SyncRunResult): Array<{ cdr: Cdr; raw: RawCdr; source: string }> {
    const simulator = this.link.current.info.mode === 'simulator';
    const byId = new Map<string, { cdr: Cdr; raw: RawCdr; source: string }>();
    for (const raw of raws) {
      try {
        const cdr = this.normalizer.normalize(raw, { accountCurrency: this.accountCurrency.get(String(raw['i_account'])), simulator });
        byId.set(cdr.id, { cdr, raw, source: 'sippy' });
      } catch (error) {
        if (!(error instanceof CdrNormalizationError)) throw error;
        result.skipped += 1;
        this.logger.warn(`skipped a CDR the switch sent without a usable id: ${error.message}`);
      }
    }
    return [...byId.values()];
  }
}

function describeError(error: unknown): string {
  if (error instanceof SippyError) return `${error.kind}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

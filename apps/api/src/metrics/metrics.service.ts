import { Injectable } from '@nestjs/common';
import { SippyError, type XmlRpcCallEvent, type XmlRpcCallObserver } from '@velora/sippy';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DatabaseService } from '../database/database.service';
import { SyncInterruptedError } from '../sync/sync-interrupted.error';
import { SyncRecorder } from '../sync/sync-recorder';
import type { SyncRunResult, SyncStatus } from '../sync/sync.types';
import { METRIC } from './metric-names';

/** Label of requests that matched no API route (404s, catch-alls such as the web app's files): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SIPPY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SYNC_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Velora's Prometheus registry: one per application (never prom-client's global one, so several apps in one
 * test process do not collide), with Node's process metrics. Labels are low-cardinality by construction:
 * route *templates* (never URLs: query strings hold phone numbers), Sippy method names from our own code and
 * error kinds from a closed list.
 */
@Injectable()
export class MetricsService implements SyncRecorder, XmlRpcCallObserver {
  readonly registry = new Registry();
  private syncStatus: (() => SyncStatus) | null = null;

  private readonly httpDuration = new Histogram({
    name: METRIC.httpDuration,
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly httpInFlight = new Gauge({
    name: METRIC.httpInFlight,
    help: 'HTTP requests being served',
    registers: [this.registry],
  });
  private readonly syncRunDuration = new Histogram({
    name: METRIC.syncRunDuration,
    help: 'Duration of CDR sync runs by outcome (full, fast, standby, failed)',
    labelNames: ['outcome'] as const,
    buckets: SYNC_BUCKETS,
    registers: [this.registry],
  });
  private readonly syncFailures = new Counter({
    name: METRIC.syncFailures,
    help: 'Failed CDR sync runs by cause (a Sippy error kind, shutdown, or internal)',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  private readonly cdrsIngested = new Counter({
    name: METRIC.cdrsIngested,
    help: 'CDRs written by completed sync runs: inserted (new), updated (changed), skipped (unusable)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly sippyCallDuration = new Histogram({
    name: METRIC.sippyCallDuration,
    help: 'Latency of XML-RPC calls to the SippySoft switch by method and outcome (ok or the error kind)',
    labelNames: ['method', 'outcome'] as const,
    buckets: SIPPY_BUCKETS,
    registers: [this.registry],
  });
  private readonly sippyCallErrors = new Counter({
    name: METRIC.sippyCallErrors,
    help: 'Failed XML-RPC calls to the SippySoft switch by method and cause',
    labelNames: ['method', 'cause'] as const,
    registers: [this.registry],
  });

  constructor(database: DatabaseService) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: METRIC.buildInfo,
      help: 'Always 1; labels carry the version and the database kind',
      labelNames: ['version', 'node', 'database'] as const,
      registers: [this.registry],
    }).set({ version: process.env['npm_package_version'] ?? '0.1.0', node: process.version, database: database.kind }, 1);
    const status = (): SyncStatus | null => this.syncStatus?.() ?? null;
    new Gauge({
      name: METRIC.syncLag,
      help: 'Seconds between now and the newest CDR time fully read by the sync (NaN before the first success)',
      registers: [this.registry],
      collect() {
        this.set(status()?.lag_seconds ?? Number.NaN);
      },
    });
    new Gauge({
      name: METRIC.syncLastSuccess,
      help: 'Unix time of the last successful sync run (0 = never)',
      registers: [this.registry],
      collect() {
        const at = status()?.last_success_at;
        this.set(at ? Date.parse(at) / 1000 : 0);
      },
    });
    new Gauge({
      name: METRIC.syncStandby,
      help: '1 while another replica holds the sync lease and this one only serves reads',
      registers: [this.registry],
      collect() {
        this.set(status()?.standby === true ? 1 : 0);
      },
    });
    // Live events (server-sent events) do not exist yet: the gauge is registered at 0 so that dashboards and
    // alerts can be written now; the event stream will set it.
    new Gauge({
      name: METRIC.eventSubscribers,
      help: 'Open live event streams (0 until live events exist)',
      registers: [this.registry],
    }).set(0);
    const poolStats = database.poolStats;
    if (poolStats !== undefined) {
      // PostgreSQL only: PGlite runs in-process and has no pool
      new Gauge({
        name: METRIC.dbPoolConnections,
        help: 'PostgreSQL pool connections: total (open), idle, waiting (queued requests for a connection)',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const stats = poolStats();
          this.set({ state: 'total' }, stats.total);
          this.set({ state: 'idle' }, stats.idle);
          this.set({ state: 'waiting' }, stats.waiting);
        },
      });
      new Gauge({ name: METRIC.dbPoolMax, help: 'PostgreSQL pool size limit', registers: [this.registry] }).set(poolStats().max);
    }
  }

  /** The sync's state, read at every scrape (so the lag grows while the sync is stuck). */
  watchSync(status: () => SyncStatus): void {
    this.syncStatus = status;
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Express middleware: times every request and labels it with the matched route template. */
  httpMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer();
      this.httpInFlight.inc();
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        this.httpInFlight.dec();
        stop({ method: req.method, route: routeTemplate(req), status_code: String(res.statusCode) });
      };
      res.once('finish', finish);
      res.once('close', finish);
      next();
    };
  }

  // --- SyncRecorder ---
  runSucceeded(result: SyncRunResult): void {
    this.syncRunDuration.observe({ outcome: result.pass }, result.duration_ms / 1000);
    this.cdrsIngested.inc({ result: 'inserted' }, result.inserted);
    this.cdrsIngested.inc({ result: 'updated' }, result.updated);
    this.cdrsIngested.inc({ result: 'skipped' }, result.skipped);
  }

  runFailed(error: unknown, durationMs: number): void {
    this.syncRunDuration.observe({ outcome: 'failed' }, Math.max(0, durationMs) / 1000);
    this.syncFailures.inc({ cause: failureCause(error) });
  }

  // --- XmlRpcCallObserver (the configured Sippy client) ---
  onCall(event: XmlRpcCallEvent): void {
    this.sippyCallDuration.observe({ method: event.method, outcome: event.outcome }, event.durationSeconds);
    if (event.outcome !== 'ok') {
      this.sippyCallErrors.inc({ method: event.method, cause: event.outcome });
    }
  }
}

/** `/api/sippy/cdrs`, `/api/users/:id`: Express's matched route path, never the request URL. */
export function routeTemplate(req: Request): string {
  const route: unknown = (req as { route?: unknown }).route; // typed any by Express
  const path: unknown = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return `${req.baseUrl}${path}`;
}

function failureCause(error: unknown): string {
  if (error instanceof SippyError) return error.kind;
  if (error instanceof SyncInterruptedError) return error.reason;
  return 'internal';
}

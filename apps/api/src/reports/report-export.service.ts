import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ExportableReport } from '@velora/contracts';
import { AuditService } from '../auth/audit.service';
import type { ExportCaller } from '../exports/cdr-export.service';
import { exportFileName, setDownloadHeaders } from '../exports/export-file';
import { createExportSink, type ExportCell, type ExportColumn, type ExportFileOptions } from '../exports/export-sink';
import { ZonedTime } from '../exports/zoned-time';
import type { ReportMetrics } from './report-metrics';
import type { BreakdownQueryDto, ReportQueryDto, TimeseriesQueryDto, TopQueryDto } from './dto/report-query.dto';
import { ReportsService, type ReportPeriod, type ReportRow } from './reports.service';
import type { ExactNumberFilter } from '../cdrs/cdr.repository';
import type { UserMasker } from '../privacy/number-masking.service';

/** Metric columns of every report export, in the order of the screen's tables. */
const METRIC_COLUMNS = ['calls', 'answered', 'failed', 'asr', 'acd', 'ner', 'billed_minutes', 'talk_minutes', 'avg_pdd', 'peak_concurrent'] as const;

/** A report as a table: columns and rows of cells. */
interface ReportTable {
  columns: ExportColumn[];
  rows: ExportCell[][];
  period: ReportPeriod;
}

/**
 * GET /api/reports/<report>/export: the report the screen shows, as CSV or XLSX (the same query and numbers as the
 * JSON endpoint; one row per table row, every metric, cost one column per currency). Audited as `reports.export`.
 */
@Injectable()
export class ReportExportService {
  readonly #logger = new Logger('ReportExport');

  constructor(
    private readonly reports: ReportsService,
    private readonly audit: AuditService,
  ) {}

  async timeseries(query: TimeseriesQueryDto & ExportFileOptions, res: Response, caller: ExportCaller): Promise<void> {
    const report = await this.reports.timeseries(query, exactNumbers(caller.masker, query));
    const time = new ZonedTime(query.tz);
    const costs = currencies(report.points.map((p) => p.metrics));
    const table: ReportTable = {
      period: report.period,
      columns: [{ header: 'bucket' }, { header: 'from', time: true }, { header: 'to', time: true }, ...metricColumns(costs)],
      rows: report.points.map((p) => [
        p.bucket.replace('T', ' '),
        time.wallClock(new Date(p.from)),
        time.wallClock(new Date(p.to)),
        ...metricCells(p.metrics, costs),
      ]),
    };
    await this.#send('timeseries', query, table, res, caller, { bucket: query.bucket });
  }

  async breakdown(query: BreakdownQueryDto & ExportFileOptions, res: Response, caller: ExportCaller): Promise<void> {
    const report = await this.reports.breakdown(query, exactNumbers(caller.masker, query));
    const costs = currencies(report.rows.map((r) => r.metrics));
    const cause = query.by === 'cause';
    const table: ReportTable = {
      period: report.period,
      columns: [{ header: query.by }, ...(cause ? [{ header: 'name_tr' }, { header: 'name_en' }] : []), ...metricColumns(costs)],
      rows: report.rows.map((r: ReportRow) => [
        r.key,
        ...(cause ? [r.name?.tr ?? null, r.name?.en ?? null] : []),
        ...metricCells(r.metrics, costs),
      ]),
    };
    await this.#send('breakdown', query, table, res, caller, { by: query.by, limit: query.limit });
  }

  async top(query: TopQueryDto & ExportFileOptions, res: Response, caller: ExportCaller): Promise<void> {
    const report = await this.reports.top(query, exactNumbers(caller.masker, query));
    const costs = currencies(report.rows.map((r) => r.metrics));
    const table: ReportTable = {
      period: report.period,
      columns: [{ header: 'rank' }, { header: query.by }, ...metricColumns(costs)],
      // top callers/callees of a masked role: the numbers masked like GET /api/reports/top (destinations hold none)
      rows: report.rows.map((r, i) => [i + 1, query.by === 'destination' ? r.key : caller.masker.number(r.key), ...metricCells(r.metrics, costs)]),
    };
    await this.#send('top', query, table, res, caller, { by: query.by, metric: query.metric, limit: query.limit });
  }

  async compare(query: ReportQueryDto & ExportFileOptions, res: Response, caller: ExportCaller): Promise<void> {
    const report = await this.reports.compare(query, exactNumbers(caller.masker, query));
    const costs = currencies([report.current, report.previous_metrics]);
    const rows: ExportCell[][] = METRIC_COLUMNS.map((m) => [m, report.current[m], report.previous_metrics[m], report.delta_pct[m] ?? null]);
    for (const c of costs) {
      rows.push([`cost_${c ?? 'none'}`, costOf(report.current, c), costOf(report.previous_metrics, c), null]);
    }
    const table: ReportTable = {
      period: report.period,
      columns: [{ header: 'metric' }, { header: 'current' }, { header: 'previous' }, { header: 'delta_pct' }],
      rows,
    };
    await this.#send('compare', query, table, res, caller, { previous_from: report.previous.from, previous_to: report.previous.to });
  }

  async #send(
    report: ExportableReport,
    query: ReportQueryDto & ExportFileOptions,
    table: ReportTable,
    res: Response,
    caller: ExportCaller,
    settings: Record<string, string | number>,
  ): Promise<void> {
    const file = exportFileName(`report-${report}`, new Date(table.period.from), new Date(table.period.to), query.tz, query.format);
    setDownloadHeaders(res, file, query.format);
    const sink = createExportSink(res, table.columns, query, report);
    let failure: string | null = null;
    try {
      for (const row of table.rows) sink.write(row);
      await sink.drained();
      await sink.end();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      this.#logger.error(`export ${file} failed: ${failure}`);
      res.destroy();
    }
    await this.audit.record({
      action: 'reports.export',
      actor: caller.actor,
      target: file,
      ip: caller.ip,
      details: {
        report,
        format: query.format,
        filter: filterOf(query),
        ...settings,
        tz: query.tz,
        rows: table.rows.length,
        masked: caller.masker.masked,
        complete: failure === null && !sink.isClosed(),
        ...(failure === null ? {} : { error: failure }),
      },
    });
  }
}

/** A masked role's caller/callee filter matches full numbers exactly (400 naming the field otherwise), as on screen. */
function exactNumbers(masker: UserMasker, query: { caller?: string; callee?: string }): ExactNumberFilter {
  return { caller_exact: masker.exactNumbers('caller', query.caller), callee_exact: masker.exactNumbers('callee', query.callee) };
}

/** Currencies found in the metrics, in order of first appearance (null = cost without a currency). */
function currencies(metrics: readonly ReportMetrics[]): (string | null)[] {
  const seen = new Set<string | null>();
  for (const m of metrics) for (const c of m.cost) seen.add(c.currency);
  return [...seen];
}

function metricColumns(costs: readonly (string | null)[]): ExportColumn[] {
  return [...METRIC_COLUMNS.map((header) => ({ header })), ...costs.map((c) => ({ header: `cost_${c ?? 'none'}` }))];
}

function metricCells(m: ReportMetrics, costs: readonly (string | null)[]): ExportCell[] {
  return [...METRIC_COLUMNS.map((k) => m[k]), ...costs.map((c) => costOf(m, c))];
}

function costOf(m: ReportMetrics, currency: string | null): number | null {
  return m.cost.find((c) => c.currency === currency)?.amount ?? null;
}

function filterOf(query: ReportQueryDto): Record<string, string | number | boolean> {
  const keys = ['from', 'to', 'caller', 'callee', 'status', 'direction', 'country', 'city', 'account', 'trunk', 'result', 'answered'] as const;
  const out: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    const value = query[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

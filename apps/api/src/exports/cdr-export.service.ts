import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Cdr } from '@velora/sippy';
import { AuditService } from '../auth/audit.service';
import type { AuthContext } from '../auth/auth.types';
import { CdrRepository } from '../cdrs/cdr.repository';
import type { UserMasker } from '../privacy/number-masking.service';
import { AppConfig } from '../config/app-config';
import { listFilter } from '../cdrs/cdrs.service';
import type { CdrExportQueryDto } from './dto/cdr-export-query.dto';
import { exportFileName, setDownloadHeaders } from './export-file';
import { createExportSink, type ExportCell, type ExportColumn } from './export-sink';
import { ZonedTime } from './zoned-time';

const TIME_COLUMNS: ReadonlySet<string> = new Set(['start_time', 'end_time', 'setup_time']);

/** Who asked for an export (audited), and the masker of their role (docs/security.md#privacy). */
export interface ExportCaller {
  actor: AuthContext;
  ip: string | null;
  /** `NumberMaskingService.forUser(actor)`: numbers leave masked when the actor's role is masked. */
  masker: UserMasker;
}

/** What an export did: rows written and whether the file is whole (false: the client left, or the read failed). */
export interface CdrExportResult {
  rows: number;
  complete: boolean;
  file: string;
}

/**
 * GET /api/sippy/cdrs/export: every CDR the list's filter selects (not a page), streamed as CSV or XLSX in the
 * chosen columns, order and time zone, read in keyset batches with the list's WHERE. A client that goes away stops
 * the reads before the next batch. Each export is audited as `cdrs.export` (filter, columns, format, rows, masked).
 * A masked role gets every row through the list's masker (caller, callee, digit runs in call_id), and its
 * caller/callee filter matches full numbers exactly, like the list.
 */
@Injectable()
export class CdrExportService {
  readonly #logger = new Logger('CdrExport');

  constructor(
    private readonly cdrs: CdrRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Validates the filter (400 before any byte is sent), then streams the file to `res`. */
  async export(query: CdrExportQueryDto, res: Response, caller: ExportCaller): Promise<CdrExportResult> {
    const { masker } = caller;
    // a masked role filters by full numbers only (400 naming the field, before any byte is sent)
    const filter = { ...listFilter(query), caller_exact: masker.exactNumbers('caller', query.caller), callee_exact: masker.exactNumbers('callee', query.callee) };
    const file = exportFileName('cdrs', filter.from, filter.to, query.tz, query.format);
    const columns = query.columns as (keyof Cdr)[];
    const time = new ZonedTime(query.tz);
    const header: ExportColumn[] = columns.map((c) => ({ header: c, time: TIME_COLUMNS.has(c) }));
    setDownloadHeaders(res, file, query.format);
    const sink = createExportSink(res, header, query, 'CDRs');
    const order = query.sort === 'start_time:asc' ? 'asc' : 'desc';
    let rows = 0;
    let failure: string | null = null;
    try {
      for await (const batch of this.cdrs.batches(filter, order, this.config.exports.batchRows)) {
        if (sink.isClosed()) break; // leaving the loop ends the generator: no further query
        for (const row of batch) {
          const cdr = masker.cdr(row); // the same row object when not masked
          sink.write(columns.map((c) => cell(cdr[c], TIME_COLUMNS.has(c), time)));
        }
        rows += batch.length;
        await sink.drained();
        if (sink.isClosed()) break;
      }
      if (!sink.isClosed()) await sink.end();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      this.#logger.error(`export ${file} failed after ${String(rows)} rows: ${failure}`);
      res.destroy();
    }
    const complete = failure === null && !sink.isClosed();
    if (!complete && failure === null) {
      this.#logger.log(`export ${file}: the client left after ${String(rows)} rows; reading stopped`);
    }
    await this.audit.record({
      action: 'cdrs.export',
      actor: caller.actor,
      target: file,
      ip: caller.ip,
      details: {
        format: query.format,
        filter: filterOf(query),
        columns,
        sort: query.sort,
        tz: query.tz,
        rows,
        complete,
        masked: masker.masked,
        ...(failure === null ? {} : { error: failure }),
      },
    });
    return { rows, complete, file };
  }
}

function cell(value: Cdr[keyof Cdr], isTime: boolean, time: ZonedTime): ExportCell {
  if (value === null) return null;
  if (isTime && typeof value === 'string') return time.wallClock(new Date(value));
  return value;
}

/** The filter as the caller gave it (set parameters only), for the audit entry. */
function filterOf(query: CdrExportQueryDto): Record<string, string | number | boolean> {
  const keys = ['from', 'to', 'caller', 'callee', 'status', 'direction', 'country', 'min_duration', 'city', 'account', 'trunk', 'result', 'answered'] as const;
  const out: Record<string, string | number | boolean> = {};
  for (const key of keys) {
    const value = query[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

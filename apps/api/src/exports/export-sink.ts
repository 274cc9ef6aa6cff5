import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportDelimiter, ExportFormat } from '@velora/contracts';

/**
 * A cell of an export. A `Date` is a wall-clock time (its UTC fields are the local fields, see `ZonedTime`): CSV
 * writes it as `2026-11-24 13:00:00`, XLSX as a date cell with that display.
 */
export type ExportCell = string | number | Date | null;

/** How a file is written: format, and for CSV the separator and the UTF-8 byte order mark. */
export interface ExportFileOptions {
  format: ExportFormat;
  delimiter: ExportDelimiter;
  bom: boolean;
}

/** A column: its header and whether its cells are times (XLSX date format). */
export interface ExportColumn {
  header: string;
  time?: boolean;
}

/**
 * Writes rows to an HTTP response (or any writable) as CSV (`csv-stringify`) or XLSX (`exceljs`' streaming
 * `WorkbookWriter`). Rows are written synchronously; call `drained()` after a batch to wait while the client is
 * slower than the database (flat memory). `closed` turns true when the client went away.
 */
export interface ExportSink {
  write(cells: readonly ExportCell[]): void;
  /** Resolves when the output can take more, or at once when the client has gone. */
  drained(): Promise<void>;
  /** Finishes the file and resolves when the last byte has been handed to the client. */
  end(): Promise<void>;
  /** True once the client disconnected before the end. */
  isClosed(): boolean;
}

/** Rows per XLSX worksheet (Excel's limit is 1,048,576 including the header); the next rows go to a new sheet. */
export const XLSX_ROWS_PER_SHEET = 1_000_000;

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function createExportSink(out: Writable, columns: readonly ExportColumn[], options: ExportFileOptions, sheetName: string): ExportSink {
  return options.format === 'csv' ? new CsvSink(out, columns, options) : new XlsxSink(out, columns, sheetName);
}

/** Wall-clock Date → `2026-11-24 13:00:00` (`.250` when it has milliseconds). */
export function formatWallClock(date: Date): string {
  const iso = date.toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}`}`;
}

/**
 * Text a spreadsheet would run as a formula (`=…`, `@…`, `+`/`-` not followed by a digit, a leading tab or CR) gets
 * a leading `'` (OWASP "CSV injection"); phone numbers such as `+905321234567` and negative numbers stay as they are.
 */
export function neutralizeFormula(text: string): string {
  return /^(?:[=@\t\r]|[+-](?![\d.]))/.test(text) ? `'${text}` : text;
}

abstract class OutputSink {
  #closed = false;

  protected constructor(protected readonly out: Writable) {
    out.once('close', () => {
      if (!out.writableFinished) this.#closed = true;
    });
  }

  isClosed(): boolean {
    return this.#closed || (this.out.destroyed && !this.out.writableFinished);
  }

  /** Waits for `emitter`'s drain, or for the client to go. */
  protected async waitFor(emitter: Writable): Promise<void> {
    if (this.isClosed()) return;
    const stop = new AbortController(); // removes the listener that lost the race
    try {
      await Promise.race([once(emitter, 'drain', { signal: stop.signal }), once(this.out, 'close', { signal: stop.signal })]);
    } finally {
      stop.abort();
    }
  }
}

class CsvSink extends OutputSink implements ExportSink {
  readonly #csv: Stringifier;

  constructor(out: Writable, columns: readonly ExportColumn[], options: ExportFileOptions) {
    super(out);
    this.#csv = stringify({
      bom: options.bom,
      delimiter: options.delimiter === 'tab' ? '\t' : options.delimiter,
      header: true,
      columns: columns.map((c) => c.header),
      record_delimiter: 'windows',
      cast: { date: formatWallClock, string: neutralizeFormula },
    });
    this.#csv.on('error', (error) => out.destroy(error));
    this.#csv.pipe(out);
  }

  write(cells: readonly ExportCell[]): void {
    this.#csv.write(cells);
  }

  async drained(): Promise<void> {
    if (this.#csv.writableNeedDrain) await this.waitFor(this.#csv);
  }

  async end(): Promise<void> {
    if (this.isClosed()) return;
    const done = Promise.race([once(this.out, 'finish'), once(this.out, 'close')]);
    this.#csv.end();
    await done;
  }
}

export class XlsxSink extends OutputSink implements ExportSink {
  readonly #workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #columns: readonly ExportColumn[];
  readonly #sheetName: string;
  #sheet: ExcelJS.Worksheet;
  #sheets = 1;
  #rowsInSheet = 0;

  constructor(out: Writable, columns: readonly ExportColumn[], sheetName: string) {
    super(out);
    this.#workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.#columns = columns;
    this.#sheetName = sheetName;
    this.#sheet = this.#addSheet(sheetName);
  }

  #addSheet(name: string): ExcelJS.Worksheet {
    const sheet = this.#workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = this.#columns.map((c) => ({
      header: c.header,
      width: c.time === true ? 20 : Math.max(10, Math.min(40, c.header.length + 2)),
      ...(c.time === true ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    return sheet;
  }

  write(cells: readonly ExportCell[]): void {
    if (this.#rowsInSheet === XLSX_ROWS_PER_SHEET) {
      this.#sheet.commit();
      this.#sheets += 1;
      this.#sheet = this.#addSheet(`${this.#sheetName} ${String(this.#sheets)}`);
      this.#rowsInSheet = 0;
    }
    this.#sheet.addRow(cells).commit();
    this.#rowsInSheet += 1;
  }

  /**
   * Waits until the zip has taken the rows written so far, then until the response drains. exceljs writes a sheet's
   * XML into its own buffer stream (`StreamBuf`), which hands each 64 KiB block to the zip entry with `write()`
   * ignoring the return value — the zip and the response apply back-pressure to each other, but nothing stops the
   * sheet's XML from piling up in front of the deflater (≈ +300 MB per 1M rows when the client is slower than the
   * database). So wait for the zip entry's own drain (set by those ignored `write()`s), and while the sheet stream is
   * not yet piped into the zip (a new sheet waits for the previous entry) for it to be.
   */
  async drained(): Promise<void> {
    for (;;) {
      if (this.isClosed()) return;
      const stream = sheetStream(this.#sheet);
      const full = stream?.pipes.find((p) => pipeState(p).needDrain);
      if (full !== undefined) {
        await this.waitFor(full);
      } else if (stream !== undefined && stream.pipes.length === 0 && stream.buffers.length > XLSX_UNPIPED_BUFFERS) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      } else {
        break;
      }
    }
    if (this.out.writableNeedDrain) await this.waitFor(this.out);
  }

  /** Bytes of the current sheet's XML written but not yet read by the zip (what `drained()` bounds). */
  backlogBytes(): number {
    const stream = sheetStream(this.#sheet);
    if (stream === undefined) return 0;
    return stream.pipes.length === 0 ? stream.buffers.length * 65_536 : Math.max(...stream.pipes.map((p) => pipeState(p).length));
  }

  async end(): Promise<void> {
    if (this.isClosed()) return;
    const done = Promise.race([once(this.out, 'finish'), once(this.out, 'close')]);
    this.#sheet.commit();
    await this.#workbook.commit();
    await done;
  }
}

/** 64 KiB blocks a sheet may hold before the zip reads it (a new sheet is piped only when the previous entry ends). */
const XLSX_UNPIPED_BUFFERS = 16;

/** The parts of exceljs' `StreamBuf` (its worksheet writer's `stream`) that show whether the zip keeps up. */
interface SheetStream {
  /** The zip entry's input: a `readable-stream` PassThrough, whose old Writable has no `writableLength` getters. */
  pipes: (Writable & { _writableState?: { length?: number; needDrain?: boolean } })[];
  buffers: unknown[];
}

function pipeState(pipe: SheetStream['pipes'][number]): { length: number; needDrain: boolean } {
  const state = pipe._writableState;
  return { length: state?.length ?? pipe.writableLength, needDrain: state?.needDrain ?? pipe.writableNeedDrain };
}

function sheetStream(sheet: ExcelJS.Worksheet): SheetStream | undefined {
  const stream = (sheet as unknown as { _stream?: Partial<SheetStream> })._stream;
  return stream !== undefined && Array.isArray(stream.pipes) && Array.isArray(stream.buffers) ? (stream as SheetStream) : undefined;
}

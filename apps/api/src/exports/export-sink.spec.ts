import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { XlsxSink, type ExportCell } from './export-sink';

/** A CDR-like row (~300 bytes of sheet XML). */
function row(i: number): ExportCell[] {
  return [
    new Date(Date.UTC(2026, 10, 24, 10, 0, i % 60)),
    `90532${String(1_000_000 + i)}`,
    `4420${String(7_000_000 + i)}`,
    'outbound',
    'completed',
    'Turkey',
    'İstanbul',
    i % 600,
    0.0123,
  ];
}

const columns = ['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'duration', 'cost'].map((header) => ({
  header,
  time: header === 'start_time',
}));

describe('XlsxSink back-pressure', () => {
  it('drained() returns only once the zip has taken the sheet XML written so far, and the file stays whole', async () => {
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const sink = new XlsxSink(out, columns, 'CDRs');
    const batch = 2000;
    const rows = 10 * batch;
    let written = 0;
    let peakBefore = 0;
    let peakAfter = 0;
    for (let i = 0; i < rows; i += batch) {
      for (let j = i; j < i + batch; j++) sink.write(row(j));
      written += batch;
      peakBefore = Math.max(peakBefore, sink.backlogBytes());
      await sink.drained();
      peakAfter = Math.max(peakAfter, sink.backlogBytes());
    }
    await sink.end();
    // A batch leaves hundreds of KB of XML in front of the deflater; drained() waits until the zip has read it.
    expect(peakBefore).toBeGreaterThan(4 * 65_536);
    expect(peakAfter).toBeLessThanOrEqual(65_536);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(PassThrough.from(Buffer.concat(chunks)));
    expect(workbook.worksheets[0]?.rowCount).toBe(written + 1);
    expect(workbook.worksheets[0]?.getRow(written + 1).getCell(2).value).toBe(`90532${String(1_000_000 + rows - 1)}`);
  });
});

import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { CDR_FIELDS, type Cdr, type RawCdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { DatabaseService } from '../../apps/api/src/database/database.service';
import { startTestApp, type TestAgent, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

/**
 * Exports = the view: the CSV/XLSX of GET /api/sippy/cdrs/export holds exactly the rows the list pages through for
 * the same filter, in the chosen columns, order and zone. EXPORT_BATCH_ROWS=7 makes every export many keyset
 * batches (ties on start_time and undated rows cross batch boundaries).
 */

const BASE = Date.UTC(2026, 10, 23, 20, 0, 0);
const STATUSES: Cdr['status'][] = ['completed', 'busy', 'no_answer', 'failed', 'rejected'];

function dataset(): { cdr: Cdr; raw: RawCdr; source: string }[] {
  const rows: { cdr: Cdr; raw: RawCdr; source: string }[] = [];
  for (let i = 0; i < 120; i += 1) {
    // pairs share a start time: the keyset must break ties by id
    const start = i < 116 ? new Date(BASE + Math.floor(i / 2) * 17 * 60_000 + (i % 5) * 250) : null;
    const status = STATUSES[i % STATUSES.length] ?? 'completed';
    const answered = status === 'completed';
    rows.push({
      cdr: makeCdr({
        id: `X${String(1000 + i)}`,
        caller: `90532${String(1_000_000 + i)}`,
        callee: i % 3 === 0 ? `+49301${String(100_000 + i)}` : `90212${String(2_000_000 + i)}`,
        start_time: start?.toISOString() ?? null,
        end_time: start === null ? null : new Date(start.getTime() + (answered ? 61_500 : 0)).toISOString(),
        setup_time: start === null ? null : new Date(start.getTime() - 2000).toISOString(),
        duration: answered ? 61.5 : 0,
        billed_duration: answered ? 62 : 0,
        status,
        result: answered ? 0 : 486,
        sip_code: answered ? 200 : 486,
        disconnect_reason: i === 7 ? '=HYPERLINK("http://evil.example")' : i === 8 ? 'Meşgul; "Busy Here"' : answered ? 'OK' : 'Busy Here',
        country: i % 3 === 0 ? 'Germany' : 'Turkey',
        country_code: i % 3 === 0 ? 'DE' : 'TR',
        city: i % 3 === 0 ? 'Berlin' : 'İstanbul',
        cost: answered ? 0.125 : null,
        currency: answered ? 'TRY' : null,
        trunk: i % 2 === 0 ? 'T1' : 'T2',
        codec: 'PCMA',
        account: String(1000 + (i % 4)),
        remote_ip: '203.0.113.45',
      }),
      raw: { i_cdr: 1000 + i, pdd1xx: i === 0 ? 1.5 : undefined, secret_looking: 'raw-only' },
      source: 'sippy',
    });
  }
  return rows;
}

const DATA = dataset();
const BY_ID = new Map(DATA.map((d) => [d.cdr.id, d.cdr]));

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text.charAt(i + 1) === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A time as the export writes it in `zone`: `2026-11-24 13:00:00` (`.250` when it has milliseconds). */
function wallClock(iso: string, zone: string): string {
  const date = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const ms = date.getUTCMilliseconds();
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}`;
}

function expectedCell(cdr: Cdr, column: keyof Cdr, zone: string): string {
  const value = cdr[column];
  if (value === null) return '';
  if (column === 'start_time' || column === 'end_time' || column === 'setup_time') return wallClock(String(value), zone);
  const text = String(value);
  return /^(?:[=@\t\r]|[+-](?![\d.]))/.test(text) ? `'${text}` : text;
}

async function download(agent: TestAgent, path: string, query: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const res = await agent
    .get(path)
    .query(query)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        done(null, Buffer.concat(chunks));
      });
    });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

interface AuditEntry {
  action: string;
  actor_email: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

describeEachDatabase('Exports API', ({ getUrl }) => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({
      DATABASE_URL: getUrl(),
      SIPPY_SIMULATOR: 'off',
      SIPPY_SYNC_ENABLED: 'false',
      EXPORT_BATCH_ROWS: '7',
      REPORT_MAX_RANGE_DAYS: '31',
    });
    await api.app.get(CdrRepository).upsertMany(DATA);
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  /** Every id the list returns for `filter`, paging with the cursor. */
  async function listIds(filter: Record<string, string>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await api
        .http()
        .get('/api/sippy/cdrs')
        .query({ ...filter, limit: '25', ...(cursor === undefined ? {} : { cursor }) })
        .expect(200);
      ids.push(...(res.body as Cdr[]).map((c) => c.id));
      const next = res.headers['x-next-cursor'] as string | undefined;
      if (next === undefined) return ids;
      cursor = next;
    }
  }

  async function lastAudit(action: string): Promise<AuditEntry> {
    const res = await api.http().get('/api/audit-log').query({ action, limit: '1' }).expect(200);
    const entry = (res.body as AuditEntry[]).at(0);
    if (entry === undefined) throw new Error(`no ${action} audit entry`);
    return entry;
  }

  const FILTERS: Record<string, string>[] = [
    {},
    { status: 'busy', country: 'TR', from: '2026-11-23T22:00:00Z', to: '2026-11-24T06:00:00.500Z' },
    { caller: '905321000', answered: 'true', trunk: 'T1' },
  ];

  it.each(FILTERS)('CSV holds exactly the list rows for the same filter, all pages, in the chosen columns (%o)', async (filter) => {
    const columns = ['callee', 'start_time', 'id', ...CDR_FIELDS.filter((f) => !['callee', 'start_time', 'id'].includes(f))] as (keyof Cdr)[];
    const res = await download(api.as('agent'), '/api/sippy/cdrs/export', { ...filter, columns: columns.join(','), tz: 'Europe/Istanbul' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1), ';');
    expect(header).toEqual(columns);
    const ids = await listIds(filter);
    expect(ids.length).toBeGreaterThan(0);
    expect(rows.map((r) => r[2])).toEqual(ids);
    for (const row of rows) {
      const cdr = BY_ID.get(row[2] ?? '');
      expect(cdr).toBeDefined();
      if (cdr !== undefined) expect(row).toEqual(columns.map((c) => expectedCell(cdr, c, 'Europe/Istanbul')));
    }
  });

  it('writes times in tz, honours sort, delimiter and bom, and names the range in the file name', async () => {
    const query = { from: '2026-11-23T21:00:00Z', to: '2026-11-24T21:00:00Z', columns: 'id,start_time', bom: 'false', delimiter: 'tab' };
    const ny = await download(api.http(), '/api/sippy/cdrs/export', { ...query, tz: 'America/New_York' });
    const text = ny.body.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(false);
    const rows = parseCsv(text, '\t');
    expect(rows[0]).toEqual(['id', 'start_time']);
    const first = BY_ID.get(rows[1]?.[0] ?? '');
    expect(rows[1]?.[1]).toBe(wallClock(first?.start_time ?? '', 'America/New_York'));
    // Istanbul is UTC+3: the range is the local day 2026-11-24; New York shows it as the 23rd 16:00 → 24th 15:59
    expect(ny.headers['content-disposition']).toBe('attachment; filename="velora-cdrs_2026-11-23_2026-11-24.csv"');
    const ist = await download(api.http(), '/api/sippy/cdrs/export', { ...query, tz: 'Europe/Istanbul', delimiter: ',' });
    expect(ist.headers['content-disposition']).toBe('attachment; filename="velora-cdrs_2026-11-24_2026-11-24.csv"');
    expect(parseCsv(ist.body.toString('utf8'), ',')[0]).toEqual(['id', 'start_time']);

    const asc = await download(api.http(), '/api/sippy/cdrs/export', { columns: 'id', sort: 'start_time:asc', delimiter: ',' });
    const desc = await download(api.http(), '/api/sippy/cdrs/export', { columns: 'id', delimiter: ',' });
    const ascIds = parseCsv(asc.body.toString('utf8').slice(1), ',').slice(1).map((r) => r[0]);
    const descIds = parseCsv(desc.body.toString('utf8').slice(1), ',').slice(1).map((r) => r[0]);
    expect(descIds).toHaveLength(DATA.length);
    expect(ascIds).toEqual([...descIds].reverse());
  });

  it('neutralizes formulas in CSV but keeps phone numbers, and quotes separators', async () => {
    const res = await download(api.http(), '/api/sippy/cdrs/export', { columns: 'id,callee,disconnect_reason', caller: '9053210000' });
    const rows = parseCsv(res.body.toString('utf8').slice(1), ';');
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.get('X1007')?.[2]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(byId.get('X1008')?.[2]).toBe('Meşgul; "Busy Here"');
    expect(byId.get('X1006')?.[1]).toBe('+49301100006');
  });

  it('XLSX parses back with exceljs: header, every row, times as dates in tz', async () => {
    const filter = { status: 'completed' };
    const res = await download(api.as('agent'), '/api/sippy/cdrs/export', { ...filter, format: 'xlsx', columns: 'id,start_time,cost,city', tz: 'Europe/Istanbul' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/filename="velora-cdrs_start_now\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('CDRs');
    expect(sheet).toBeDefined();
    const values = (sheet?.getSheetValues() ?? []).filter((r) => Array.isArray(r)).map((r) => (r as unknown[]).slice(1));
    expect(values[0]).toEqual(['id', 'start_time', 'cost', 'city']);
    const ids = await listIds(filter);
    expect(values.slice(1).map((r) => r[0])).toEqual(ids);
    for (const row of values.slice(1)) {
      const cdr = BY_ID.get(String(row[0]));
      if (cdr?.start_time === null || cdr === undefined) {
        expect(row[1]).toBeUndefined();
      } else {
        expect(row[1]).toBeInstanceOf(Date);
        expect(formatDate(row[1] as Date)).toBe(wallClock(cdr.start_time, 'Europe/Istanbul'));
      }
      expect(row[2]).toBe(cdr?.cost);
      expect(row[3]).toBe(cdr?.city);
    }
    const audit = await lastAudit('cdrs.export');
    expect(audit.actor_email).toBe('agent@velora.test');
    expect(audit.target).toBe('velora-cdrs_start_now.xlsx');
    expect(audit.details).toMatchObject({
      format: 'xlsx',
      filter,
      columns: ['id', 'start_time', 'cost', 'city'],
      sort: 'start_time:desc',
      tz: 'Europe/Istanbul',
      rows: ids.length,
      complete: true,
    });
  });

  it.each([
    [{ columns: 'start_time,nope' }, /columns must name CDR fields \(nope: unknown\)/],
    [{ columns: 'id,id' }, /columns must not repeat/],
    [{ tz: 'Mars/Olympus' }, /tz must be an IANA time zone/],
    [{ tz: '+03:00' }, /tz must be an IANA time zone/],
    [{ delimiter: '|' }, /delimiter must be one of/],
    [{ format: 'pdf' }, /format must be one of/],
    [{ bom: 'yes' }, /bom must be a boolean/],
    [{ sort: 'caller:asc' }, /sort must be one of/],
    [{ limit: '10' }, /property limit should not exist/],
    [{ from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' }, /from must be earlier than to/],
    [{ status: 'great' }, /status must be one of/],
  ])('refuses %o with a 400 naming the parameter', async (query, message) => {
    const res = await api.http().get('/api/sippy/cdrs/export').query(query).expect(400);
    expect(JSON.stringify(res.body)).toMatch(message);
  });

  it('exports each report as CSV and XLSX with the numbers of its JSON, audited', async () => {
    const period = { from: '2026-11-24T00:00:00+03:00', to: '2026-11-25T00:00:00+03:00', tz: 'Europe/Istanbul' };
    const series = await api.http().get('/api/reports/timeseries').query({ ...period, bucket: 'hour' }).expect(200);
    const points = (series.body as { points: { bucket: string; metrics: { calls: number; asr: number | null } }[] }).points;
    const csv = await download(api.http(), '/api/reports/timeseries/export', { ...period, bucket: 'hour', delimiter: ',' });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="velora-report-timeseries_2026-11-24_2026-11-24.csv"');
    const [header, ...rows] = parseCsv(csv.body.toString('utf8').slice(1), ',');
    expect(header.slice(0, 7)).toEqual(['bucket', 'from', 'to', 'calls', 'answered', 'failed', 'asr']);
    expect(rows).toHaveLength(points.length);
    expect(rows.map((r) => Number(r[3]))).toEqual(points.map((p) => p.metrics.calls));
    expect(rows[0]?.slice(0, 3)).toEqual(['2026-11-24 00:00:00', '2026-11-24 00:00:00', '2026-11-24 01:00:00']);

    const breakdown = await api.http().get('/api/reports/breakdown').query({ ...period, by: 'cause' }).expect(200);
    const causes = (breakdown.body as { rows: { key: string | null; metrics: { calls: number } }[] }).rows;
    const xlsx = await download(api.http(), '/api/reports/breakdown/export', { ...period, by: 'cause', format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('breakdown');
    const values = (sheet?.getSheetValues() ?? []).filter((r) => Array.isArray(r)).map((r) => (r as unknown[]).slice(1));
    expect(values[0]?.slice(0, 4)).toEqual(['cause', 'name_tr', 'name_en', 'calls']);
    expect(values.slice(1).map((r) => [String(r[0]), r[3]])).toEqual(causes.map((c) => [String(c.key), c.metrics.calls]));

    const top = await download(api.http(), '/api/reports/top/export', { ...period, by: 'caller', metric: 'calls', limit: '3' });
    const topRows = parseCsv(top.body.toString('utf8').slice(1), ';');
    expect(topRows[0]?.slice(0, 3)).toEqual(['rank', 'caller', 'calls']);
    expect(topRows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);

    const compareJson = await api.http().get('/api/reports/compare').query(period).expect(200);
    const compare = await download(api.as('agent'), '/api/reports/compare/export', { ...period, status: 'completed' });
    const compareRows = parseCsv(compare.body.toString('utf8').slice(1), ';');
    expect(compareRows[0]).toEqual(['metric', 'current', 'previous', 'delta_pct']);
    expect(compareRows.find((r) => r[0] === 'calls')?.[1]).toBe(String(
      (await api.http().get('/api/reports/compare').query({ ...period, status: 'completed' }).expect(200)).body.current.calls,
    ));
    expect(compareRows.some((r) => r[0] === 'cost_TRY')).toBe(true);
    expect((compareJson.body as { current: { calls: number } }).current.calls).toBeGreaterThan(0);
    const audit = await lastAudit('reports.export');
    expect(audit.actor_email).toBe('agent@velora.test');
    expect(audit.details).toMatchObject({ report: 'compare', format: 'csv', filter: { status: 'completed' }, tz: 'Europe/Istanbul', complete: true });

    await api.http().get('/api/reports/breakdown/export').query({ ...period, by: 'planet' }).expect(400);
    const badTz = await api.http().get('/api/reports/top/export').query({ ...period, by: 'caller', tz: 'Nowhere/Town' }).expect(400);
    expect(JSON.stringify(badTz.body)).toMatch(/tz must be/);
    const badFormat = await api.http().get('/api/reports/compare/export').query({ ...period, format: 'ods' }).expect(400);
    expect(JSON.stringify(badFormat.body)).toMatch(/format must be one of/);
  });

  it('GET /api/sippy/cdrs/:id has every stored field; the raw record only for admins; 404 unknown, 400 malformed', async () => {
    const admin = await api.http().get('/api/sippy/cdrs/X1000').expect(200);
    const expected = BY_ID.get('X1000');
    expect(admin.body).toMatchObject({ ...expected, pdd: 1.5, source: 'sippy' });
    for (const field of CDR_FIELDS) expect(admin.body).toHaveProperty(field);
    expect(typeof (admin.body as { first_seen_at: unknown }).first_seen_at).toBe('string');
    expect((admin.body as { raw: Record<string, unknown> }).raw).toEqual({ i_cdr: 1000, pdd1xx: 1.5, secret_looking: 'raw-only' });

    const agent = await api.as('agent').get('/api/sippy/cdrs/X1001').expect(200);
    expect(agent.body).toMatchObject({ id: 'X1001', pdd: null });
    expect(agent.body).not.toHaveProperty('raw');

    await api.http().get('/api/sippy/cdrs/X9999').expect(404);
    const bad = await api.http().get('/api/sippy/cdrs/has%20space').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/id must be a CDR id/);
    await api.anonymous().get('/api/sippy/cdrs/X1000').expect(401);
    // summary and export are still routed to their own handlers
    await api.http().get('/api/sippy/cdrs/summary').expect(200);
  });

  it('stops reading when the client disconnects (last: it adds a bulk of rows)', async () => {
    const db = api.app.get(DatabaseService).db;
    const bulk = 30_000;
    await sql`insert into cdrs (id, source, caller, callee, start_time, status, direction, disconnect_reason, trunk, raw)
      select 'B' || lpad(g::text, 7, '0'), 'bulk', '905320000000', '902120000000',
        timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second', 'completed', 'outbound',
        repeat('x', 300), 'BULK', '{}'::jsonb
      from generate_series(1, ${bulk}) as g`.execute(db);

    const server = api.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const token = api.users.admin?.token ?? '';
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/api/sippy/cdrs/export?trunk=BULK&columns=id,disconnect_reason', headers: { Authorization: `Bearer ${token}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      req.end();
    });
    let entry: AuditEntry | undefined;
    for (let i = 0; i < 100 && entry === undefined; i += 1) {
      const candidate = await lastAudit('cdrs.export');
      if ((candidate.details['filter'] as Record<string, unknown> | undefined)?.['trunk'] === 'BULK') entry = candidate;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(entry?.details['complete']).toBe(false);
    expect(Number(entry?.details['rows'])).toBeLessThan(bulk);
    server.close();
  });
});

function formatDate(date: Date): string {
  const iso = date.toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === '000' ? '' : `.${ms}`}`;
}

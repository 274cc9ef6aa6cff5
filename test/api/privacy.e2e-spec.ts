import type { NestExpressApplication } from '@nestjs/platform-express';
import ExcelJS from 'exceljs';
import type { FindingEventData, NotificationPage, PrivacySettings, VeloraEvent } from '@velora/contracts';
import type { Cdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { CdrRepository } from '../../apps/api/src/cdrs/cdr.repository';
import { EventsService } from '../../apps/api/src/events/events.service';
import { SseClient } from '../support/sse-client';
import { startTestApp, type TestAgent, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

/** Privacy (docs/security.md#privacy): role-based number masking and the audited reveal. */
const CALLER = '905321234567';
const CALLEE = '902122345678';
const OTHER = '905559876543';
const DAY = { from: '2026-11-24T00:00:00Z', to: '2026-11-25T00:00:00Z', tz: 'UTC' };

const row = (id: string, minute: number, caller: string, callee: string): { cdr: Cdr; raw: Record<string, unknown>; source: string } => ({
  cdr: makeCdr({
    id,
    caller,
    callee,
    call_id: `${caller}-${id}@10.0.0.1`,
    start_time: `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`,
    status: 'completed',
    duration: 30,
  }),
  raw: { i_cdr: id },
  source: 'test',
});
const ROWS = [row('p1', 1, CALLER, CALLEE), row('p2', 2, CALLER, OTHER), row('p3', 3, OTHER, '1001')];

const MASKING_ON: PrivacySettings = { masking_enabled: true, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] };
const MASKING_OFF: PrivacySettings = { masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] };

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join(' | ') : String(message);
}

/** A download's bytes (CSV or XLSX). */
async function download(agent: TestAgent, path: string, query: Record<string, string>): Promise<{ status: number; body: Buffer }> {
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
  return { status: res.status, body: res.body as Buffer };
}

/** Every cell of an XLSX file, as text. */
async function xlsxText(body: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const cells: string[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((r) => {
      r.eachCell((c) => cells.push(c.text));
    });
  }
  return cells.join('\n');
}

/** The full numbers of the seeded rows and their tell-tale parts: none may appear in a masked file. */
const FULL_NUMBERS = [CALLER, CALLEE, OTHER, '5321234567', '2122345678', '5559876543', '1234567', '9876543'];

describeEachDatabase('Privacy: number masking and reveal', ({ getUrl }) => {
  let api: TestApp;

  const setMasking = async (settings: PrivacySettings): Promise<void> => {
    await api.as('admin').put('/api/privacy/settings').send(settings).expect(200);
  };
  const cdrs = async (role: 'admin' | 'agent', query: Record<string, string> = {}): Promise<Cdr[]> => {
    const res = await api.as(role).get('/api/sippy/cdrs').query({ from: DAY.from, to: DAY.to, ...query }).expect(200);
    return res.body as Cdr[];
  };

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: getUrl(), SIPPY_SIMULATOR: 'off', SIPPY_SYNC_ENABLED: 'false' });
    await api.app.get(CdrRepository).upsertMany(ROWS);
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  afterEach(async () => {
    await setMasking(MASKING_OFF);
  });

  it('is off by default: everyone sees full numbers, and the settings say so', async () => {
    const settings = await api.as('admin').get('/api/privacy/settings').expect(200);
    expect(settings.body).toEqual({ masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] });
    expect((await cdrs('agent')).map((c) => c.caller)).toEqual([OTHER, CALLER, CALLER]);
    const me = await api.as('agent').get('/api/privacy/me').expect(200);
    expect(me.body).toEqual({ masked: false, can_reveal: true });
    // the substring search works as before
    expect(await cdrs('agent', { caller: '9053212' })).toHaveLength(2);
  });

  it('masks the CDR list for an agent and not for an admin', async () => {
    await setMasking(MASKING_ON);
    const agent = await cdrs('agent');
    expect(agent.map((c) => [c.id, c.caller, c.callee])).toEqual([
      ['p3', '+90 555 *** ** 43', '1001'],
      ['p2', '+90 532 *** ** 67', '+90 555 *** ** 43'],
      ['p1', '+90 532 *** ** 67', '+90 212 *** ** 78'],
    ]);
    expect(agent[2]?.call_id).toBe('+90 532 *** ** 67-p1@10.0.0.1');
    const body = JSON.stringify(agent);
    for (const number of [CALLER, CALLEE, OTHER, '5321234567', '1234567']) expect(body).not.toContain(number);

    const admin = await cdrs('admin');
    expect(admin.map((c) => c.caller)).toEqual([OTHER, CALLER, CALLER]);
    expect(await api.as('agent').get('/api/privacy/me').expect(200)).toHaveProperty('body', { masked: true, can_reveal: true });
    expect(await api.as('admin').get('/api/privacy/me').expect(200)).toHaveProperty('body', { masked: false, can_reveal: true });
  });

  it('lets a masked agent search by a full number only (exact), never by a part of the hidden digits', async () => {
    await setMasking(MASKING_ON);
    const exact = await cdrs('agent', { caller: '+90 532 123 45 67' });
    expect(exact.map((c) => c.id)).toEqual(['p2', 'p1']);
    expect((await cdrs('agent', { callee: '0212 234 56 78' })).map((c) => c.id)).toEqual(['p1']);
    // a full number that is a prefix of nothing stored matches nothing (no substring search)
    expect(await cdrs('agent', { caller: '9053212345' })).toEqual([]);

    const partial = await api.as('agent').get('/api/sippy/cdrs').query({ caller: '90532' }).expect(400);
    expect(messageOf(partial.body)).toMatch(/^caller: phone numbers are masked/);
    const wildcard = await api.as('agent').get('/api/sippy/cdrs').query({ callee: '9021223456*' }).expect(400);
    expect(messageOf(wildcard.body)).toMatch(/^callee: /);
    const report = await api.as('agent').get('/api/reports/compare').query({ ...DAY, caller: '532' }).expect(400);
    expect(messageOf(report.body)).toMatch(/^caller: /);
    // the admin keeps the substring search
    expect(await cdrs('admin', { caller: '90532' })).toHaveLength(2);
  });

  it('masks the top callers/callees report for an agent (no drill-down filter holding the number)', async () => {
    await setMasking(MASKING_ON);
    const agent = await api.as('agent').get('/api/reports/top').query({ ...DAY, by: 'caller' }).expect(200);
    const rows = (agent.body as { rows: { key: string | null; filter: unknown }[] }).rows;
    expect(rows.map((r) => [r.key, r.filter])).toEqual([
      ['+90 532 *** ** 67', null],
      ['+90 555 *** ** 43', null],
    ]);
    expect(JSON.stringify(agent.body)).not.toContain(CALLER);
    const admin = await api.as('admin').get('/api/reports/top').query({ ...DAY, by: 'callee' }).expect(200);
    const adminRows = (admin.body as { rows: { key: string | null; filter: Record<string, string> | null }[] }).rows;
    expect(adminRows.map((r) => r.key)).toEqual(expect.arrayContaining([CALLEE, OTHER, '1001']));
    expect(adminRows.every((r) => r.filter !== null)).toBe(true);
    // destinations carry no number: unchanged for the agent
    const destinations = await api.as('agent').get('/api/reports/top').query({ ...DAY, by: 'destination' }).expect(200);
    expect((destinations.body as { rows: { filter: unknown }[] }).rows.every((r) => r.filter !== null)).toBe(true);
  });

  it('masks findings in live events and notifications per subscriber', async () => {
    await setMasking(MASKING_ON);
    const app = api.app as NestExpressApplication;
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const open = (role: 'admin' | 'agent'): Promise<SseClient> =>
      SseClient.open(`${base}/api/events`, { headers: { Authorization: `Bearer ${api.users[role]?.token ?? ''}` } });
    const [agent, admin] = await Promise.all([open('agent'), open('admin')]);
    try {
      await Promise.all([agent.nextOf('ready'), admin.nextOf('ready')]);
      const data: FindingEventData = {
        id: 'f-privacy',
        rule: 'wangiri',
        level: 'crit',
        subject: '+905321234567',
        reason_en: 'One-ring calls from +905321234567; 3 callbacks to 905321234567',
        reason_tr: '+905321234567 numarasından tek çalan aramalar',
      };
      await api.app.get(EventsService).publish({ type: 'finding', level: 'crit', data });
      const agentEvent = JSON.parse((await agent.nextOf('finding')).data) as VeloraEvent & { data: FindingEventData };
      const adminEvent = JSON.parse((await admin.nextOf('finding')).data) as VeloraEvent & { data: FindingEventData };
      expect(agentEvent.data).toMatchObject({
        subject: '+90 532 *** ** 67',
        reason_en: 'One-ring calls from +90 532 *** ** 67; 3 callbacks to +90 532 *** ** 67',
        reason_tr: '+90 532 *** ** 67 numarasından tek çalan aramalar',
      });
      expect(adminEvent.data).toEqual(data);

      const agentBell = await api.as('agent').get('/api/notifications').expect(200);
      const item = (agentBell.body as NotificationPage).items.find((i) => i.type === 'finding' && i.data.id === 'f-privacy');
      expect(item?.data).toMatchObject({ subject: '+90 532 *** ** 67' });
      expect(JSON.stringify(agentBell.body)).not.toContain('5321234567');
      const adminBell = await api.as('admin').get('/api/notifications').expect(200);
      expect(JSON.stringify(adminBell.body)).toContain('+905321234567');
    } finally {
      agent.close();
      admin.close();
    }
  });

  it('streams CSV and XLSX CDR exports masked row by row for a masked agent (audited), full for the admin', async () => {
    await setMasking(MASKING_ON);
    const query = { ...DAY, columns: 'id,caller,callee,call_id', delimiter: ',', bom: 'false', sort: 'start_time:asc' };
    const agent = await download(api.as('agent'), '/api/sippy/cdrs/export', query);
    expect(agent.status).toBe(200);
    const agentCsv = agent.body.toString('utf8');
    expect(agentCsv.split('\r\n').filter((l) => l !== '')).toEqual([
      'id,caller,callee,call_id',
      'p1,+90 532 *** ** 67,+90 212 *** ** 78,+90 532 *** ** 67-p1@10.0.0.1',
      'p2,+90 532 *** ** 67,+90 555 *** ** 43,+90 532 *** ** 67-p2@10.0.0.1',
      'p3,+90 555 *** ** 43,1001,+90 555 *** ** 43-p3@10.0.0.1',
    ]);
    for (const number of FULL_NUMBERS) expect(agentCsv).not.toContain(number);
    const audit = await api.as('admin').get('/api/audit-log').query({ action: 'cdrs.export', limit: '1' }).expect(200);
    expect((audit.body as { actor_email: string; details: Record<string, unknown> }[])[0]).toMatchObject({
      actor_email: 'agent@velora.test',
      details: { rows: 3, complete: true, masked: true, format: 'csv' },
    });

    const xlsx = await download(api.as('agent'), '/api/sippy/cdrs/export', { ...query, format: 'xlsx' });
    expect(xlsx.status).toBe(200);
    const xlsxCells = await xlsxText(xlsx.body);
    expect(xlsxCells).toContain('+90 532 *** ** 67');
    for (const number of FULL_NUMBERS) expect(xlsxCells).not.toContain(number);

    const admin = await download(api.as('admin'), '/api/sippy/cdrs/export', query);
    const adminCsv = admin.body.toString('utf8');
    for (const number of [CALLER, CALLEE, OTHER]) expect(adminCsv).toContain(number);
    const adminXlsx = await xlsxText((await download(api.as('admin'), '/api/sippy/cdrs/export', { ...query, format: 'xlsx' })).body);
    for (const number of [CALLER, CALLEE, OTHER]) expect(adminXlsx).toContain(number);
    const adminAudit = await api.as('admin').get('/api/audit-log').query({ action: 'cdrs.export', limit: '1' }).expect(200);
    expect((adminAudit.body as { details: Record<string, unknown> }[])[0]?.details).toMatchObject({ masked: false });

    // the export's number filter is the list's: exact full numbers only for a masked role
    const exact = await download(api.as('agent'), '/api/sippy/cdrs/export', { ...query, caller: '+90 532 123 45 67' });
    expect(exact.body.toString('utf8').split('\r\n').filter((l) => l !== '').map((l) => l.split(',')[0])).toEqual(['id', 'p1', 'p2']);
    const partial = await api.as('agent').get('/api/sippy/cdrs/export').query({ ...query, caller: '90532' }).expect(400);
    expect(messageOf(partial.body)).toMatch(/^caller: phone numbers are masked/);
  });

  it('exports the top callers/callees masked for a masked agent (CSV and XLSX), full for the admin; report filters are exact', async () => {
    await setMasking(MASKING_ON);
    const query = { ...DAY, by: 'caller', metric: 'calls', delimiter: ',' };
    const agent = await download(api.as('agent'), '/api/reports/top/export', query);
    expect(agent.status).toBe(200);
    const agentCsv = agent.body.toString('utf8');
    expect(agentCsv).toContain('+90 532 *** ** 67');
    expect(agentCsv).toContain('+90 555 *** ** 43');
    for (const number of FULL_NUMBERS) expect(agentCsv).not.toContain(number);
    const callees = await xlsxText((await download(api.as('agent'), '/api/reports/top/export', { ...query, by: 'callee', format: 'xlsx' })).body);
    expect(callees).toContain('+90 212 *** ** 78');
    expect(callees).toContain('1001'); // an extension stays readable
    for (const number of FULL_NUMBERS) expect(callees).not.toContain(number);
    const audit = await api.as('admin').get('/api/audit-log').query({ action: 'reports.export', limit: '1' }).expect(200);
    expect((audit.body as { actor_email: string; details: Record<string, unknown> }[])[0]).toMatchObject({
      actor_email: 'agent@velora.test',
      details: { report: 'top', masked: true },
    });

    const admin = (await download(api.as('admin'), '/api/reports/top/export', query)).body.toString('utf8');
    expect(admin).toContain(CALLER);
    expect(admin).toContain(OTHER);
    // a part of a hidden number cannot filter a report export either
    const partial = await api.as('agent').get('/api/reports/timeseries/export').query({ ...DAY, bucket: 'hour', caller: '532' }).expect(400);
    expect(messageOf(partial.body)).toMatch(/^caller: /);
  });

  it('reveals a number to an allowed role, audited without the number; refuses (and audits) other roles', async () => {
    await setMasking(MASKING_ON);
    const revealed = await api.as('agent').post('/api/privacy/reveal').send({ cdr_id: 'p1', field: 'callee' }).expect(200);
    expect(revealed.body).toEqual({ cdr_id: 'p1', field: 'callee', value: CALLEE });
    const audit = await api.as('admin').get('/api/audit-log').query({ action: 'privacy.number_revealed' }).expect(200);
    const entries = audit.body as { actor_email: string; target: string; details: Record<string, unknown> }[];
    expect(entries[0]).toMatchObject({ actor_email: 'agent@velora.test', target: 'cdr:p1', details: { field: 'callee', role: 'agent' } });
    expect(JSON.stringify(audit.body)).not.toContain(CALLEE);

    await api.as('agent').post('/api/privacy/reveal').send({ cdr_id: 'nope', field: 'caller' }).expect(404);
    const badField = await api.as('agent').post('/api/privacy/reveal').send({ cdr_id: 'p1', field: 'account' }).expect(400);
    expect(messageOf(badField.body)).toMatch(/^field must be one of/);
    const badId = await api.as('agent').post('/api/privacy/reveal').send({ cdr_id: "p1'; --", field: 'caller' }).expect(400);
    expect(messageOf(badId.body)).toMatch(/^cdr_id /);

    await setMasking({ ...MASKING_ON, reveal_roles: ['admin'] });
    const refused = await api.as('agent').post('/api/privacy/reveal').send({ cdr_id: 'p1', field: 'caller' }).expect(403);
    expect(messageOf(refused.body)).toMatch(/may not reveal/);
    expect(await api.as('agent').get('/api/privacy/me').expect(200)).toHaveProperty('body', { masked: true, can_reveal: false });
    const refusals = await api.as('admin').get('/api/audit-log').query({ action: 'privacy.reveal_refused' }).expect(200);
    expect((refusals.body as { target: string }[])[0]).toMatchObject({ target: 'cdr:p1' });
    await api.as('admin').post('/api/privacy/reveal').send({ cdr_id: 'p1', field: 'caller' }).expect(200);
  });

  it('validates the settings (400 naming the field), keeps them for admins only, and audits changes', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...MASKING_ON, masking_enabled: 'yes' }, /^masking_enabled /],
      [{ ...MASKING_ON, masked_roles: ['agent', 'boss'] }, /^masked_roles must hold only/],
      [{ ...MASKING_ON, reveal_roles: 'admin' }, /reveal_roles must/],
      [{ ...MASKING_ON, masked_roles: ['agent', 'agent'] }, /^masked_roles must not repeat/],
      [{ masking_enabled: true, masked_roles: ['agent'] }, /reveal_roles/],
      [{ ...MASKING_ON, extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const res = await api.as('admin').put('/api/privacy/settings').send(body).expect(400);
      expect(messageOf(res.body)).toMatch(message);
    }
    await api.as('agent').put('/api/privacy/settings').send(MASKING_OFF).expect(403);
    await api.as('agent').get('/api/privacy/settings').expect(403);
    await api.anonymous().get('/api/privacy/me').expect(401);

    await setMasking(MASKING_ON);
    const audit = await api.as('admin').get('/api/audit-log').query({ action: 'privacy.settings_saved' }).expect(200);
    expect((audit.body as { details: { after: PrivacySettings } }[])[0]?.details.after).toEqual(MASKING_ON);
  });

  it("masks the numbers in an admin's shared view for an agent (the agent's own views stay as typed)", async () => {
    const shared = await api
      .as('admin')
      .post('/api/views')
      .send({ name: 'Calls of one customer', scope: 'cdrs', shared: true, filters: { caller: CALLER, status: 'completed' } })
      .expect(201);
    const own = await api.as('agent').post('/api/views').send({ name: 'My customer', scope: 'cdrs', filters: { callee: CALLEE } }).expect(201);
    await setMasking(MASKING_ON);
    const seen = await api.as('agent').get(`/api/views/${(shared.body as { id: string }).id}`).expect(200);
    expect((seen.body as { filters: Record<string, string> }).filters).toEqual({ caller: '+90 532 *** ** 67', status: 'completed' });
    const list = await api.as('agent').get('/api/views').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(CALLER);
    expect(JSON.stringify(list.body)).toContain(CALLEE); // the agent's own filter
    const mine = await api.as('agent').get(`/api/views/${(own.body as { id: string }).id}`).expect(200);
    expect((mine.body as { filters: Record<string, string> }).filters).toEqual({ callee: CALLEE });
    const admin = await api.as('admin').get(`/api/views/${(shared.body as { id: string }).id}`).expect(200);
    expect((admin.body as { filters: Record<string, string> }).filters).toEqual({ caller: CALLER, status: 'completed' });
  });

  it('masks the admin too when the admin role is listed, and unmasks everything when turned off', async () => {
    await setMasking({ masking_enabled: true, masked_roles: ['admin', 'agent'], reveal_roles: ['admin'] });
    expect((await cdrs('admin')).map((c) => c.caller)).toEqual(['+90 555 *** ** 43', '+90 532 *** ** 67', '+90 532 *** ** 67']);
    await setMasking(MASKING_OFF);
    expect((await cdrs('agent')).map((c) => c.caller)).toEqual([OTHER, CALLER, CALLER]);
  });
});

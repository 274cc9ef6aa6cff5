import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';
import { cleanUp } from '../support/clean-up';

interface ViewBody {
  id: string;
  name: string;
  scope: string;
  shared: boolean;
  mine: boolean;
  editable: boolean;
  owner: { id: string; email: string };
  filters: Record<string, string | number>;
  columns: string[];
  sort: string;
  time_zone: string;
  url: string;
}

const FAILED_DE = {
  name: 'Failed calls to Germany',
  scope: 'cdrs',
  filters: { status: 'failed', country: 'DE', from: '2026-11-01T00:00:00Z', min_duration: 0 },
  columns: ['start_time', 'caller', 'callee', 'status', 'country'],
  time_zone: 'Europe/Berlin',
};

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join(' | ') : String(message);
}

describeEachDatabase('Saved views API', ({ getUrl }) => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ DATABASE_URL: getUrl(), SIPPY_SYNC_ENABLED: 'false' });
  });

  afterAll(async () => {
    await cleanUp(api, (r) => r.close());
  });

  it('saves a view with its filters, columns, sort and time zone, and reads it back by id and in the list', async () => {
    const created = await api.as('agent').post('/api/views').send(FAILED_DE).expect(201);
    const view = created.body as ViewBody;
    expect(view).toMatchObject({
      name: FAILED_DE.name,
      scope: 'cdrs',
      shared: false,
      mine: true,
      editable: true,
      filters: FAILED_DE.filters,
      columns: FAILED_DE.columns,
      sort: 'start_time:desc',
      time_zone: 'Europe/Berlin',
      url: `/voip-crm?view=${view.id}`,
    });
    expect(view.owner.email).toBe('agent@velora.test');

    const one = await api.as('agent').get(`/api/views/${view.id}`).expect(200);
    expect(one.body).toEqual(view);
    const list = await api.as('agent').get('/api/views').query({ scope: 'cdrs' }).expect(200);
    expect((list.body as ViewBody[]).map((v) => v.id)).toContain(view.id);
    const reports = await api.as('agent').get('/api/views').query({ scope: 'reports' }).expect(200);
    expect((reports.body as ViewBody[]).map((v) => v.id)).not.toContain(view.id);
  });

  it('keeps private views private: another user gets 404 and does not see it listed', async () => {
    const created = await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'Mine only' })
      .expect(201);
    const id = (created.body as ViewBody).id;
    await api.as('admin').get(`/api/views/${id}`).expect(404);
    await api.as('admin').patch(`/api/views/${id}`).send({ name: 'taken over' }).expect(404);
    await api.as('admin').delete(`/api/views/${id}`).expect(404);
    const list = await api.as('admin').get('/api/views').expect(200);
    expect((list.body as ViewBody[]).map((v) => v.id)).not.toContain(id);
  });

  it('lets admins share a view with everyone; agents see it but cannot change it, and cannot share', async () => {
    const shared = await api
      .as('admin')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'Team: failed DE', shared: true })
      .expect(201);
    const view = shared.body as ViewBody;
    const seen = await api.as('agent').get(`/api/views/${view.id}`).expect(200);
    expect(seen.body).toMatchObject({ shared: true, mine: false, editable: false });
    await api.as('agent').patch(`/api/views/${view.id}`).send({ name: 'hijacked' }).expect(403);
    await api.as('agent').delete(`/api/views/${view.id}`).expect(403);

    const refused = await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'Agent share', shared: true })
      .expect(403);
    expect(messageOf(refused.body)).toMatch(/admins/i);
    const own = await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'Agent own' })
      .expect(201);
    await api
      .as('agent')
      .patch(`/api/views/${(own.body as ViewBody).id}`)
      .send({ shared: true })
      .expect(403);
  });

  it('updates and deletes the owner’s view', async () => {
    const created = await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'To change' })
      .expect(201);
    const id = (created.body as ViewBody).id;
    const changed = await api
      .as('agent')
      .patch(`/api/views/${id}`)
      .send({ name: 'Busy calls', filters: { status: 'busy' }, columns: ['caller', 'start_time'] })
      .expect(200);
    expect(changed.body).toMatchObject({
      name: 'Busy calls',
      filters: { status: 'busy' },
      columns: ['caller', 'start_time'],
      time_zone: 'Europe/Berlin',
    });
    await api.as('agent').delete(`/api/views/${id}`).expect(204);
    await api.as('agent').get(`/api/views/${id}`).expect(404);
  });

  it('saves a reports view with its range, bucket and tables, without columns, and a calendar-day cdrs view with default columns', async () => {
    const reports = await api
      .as('agent')
      .post('/api/views')
      .send({
        name: 'Weekly by trunk',
        scope: 'reports',
        filters: { from: '2026-11-18', to: '2026-11-24', bucket: 'week', breakdown: 'trunk', top: 'callee', metric: 'cost', country: 'TR' },
        time_zone: 'Asia/Kolkata',
      })
      .expect(201);
    const view = reports.body as ViewBody;
    expect(view).toMatchObject({ scope: 'reports', columns: [], time_zone: 'Asia/Kolkata', url: `/reports?view=${view.id}` });
    expect(view.filters).toEqual({
      from: '2026-11-18',
      to: '2026-11-24',
      bucket: 'week',
      breakdown: 'trunk',
      top: 'callee',
      metric: 'cost',
      country: 'TR',
    });

    const days = await api
      .as('agent')
      .post('/api/views')
      .send({ name: 'First week, failed', scope: 'cdrs', filters: { from: '2026-11-01', to: '2026-11-07', status: 'failed' } })
      .expect(201);
    expect(days.body).toMatchObject({
      columns: ['start_time', 'caller', 'callee', 'direction', 'status', 'country', 'city', 'duration'],
      time_zone: 'Europe/Istanbul',
    });
  });

  it('re-validates a view whose scope changes: the kept filters must suit the new scope', async () => {
    const created = await api
      .as('agent')
      .post('/api/views')
      .send({ name: 'Hourly', scope: 'reports', filters: { bucket: 'hour', status: 'failed' } })
      .expect(201);
    const id = (created.body as ViewBody).id;
    const refused = await api.as('agent').patch(`/api/views/${id}`).send({ scope: 'cdrs' }).expect(400);
    expect(messageOf(refused.body)).toMatch(/filters\.bucket is not a CDR filter/);
    const moved = await api
      .as('agent')
      .patch(`/api/views/${id}`)
      .send({ scope: 'cdrs', filters: { status: 'failed' } })
      .expect(200);
    expect(moved.body).toMatchObject({ scope: 'cdrs', filters: { status: 'failed' }, url: `/voip-crm?view=${id}` });
    expect((moved.body as ViewBody).columns).toContain('start_time');
    const back = await api.as('agent').patch(`/api/views/${id}`).send({ scope: 'reports' }).expect(200);
    expect(back.body).toMatchObject({ scope: 'reports', columns: [] });
  });

  it('refuses a second view with the same name (case-insensitive) for the same user and scope', async () => {
    await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'Duplicate me' })
      .expect(201);
    await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: 'DUPLICATE me' })
      .expect(409);
    await api
      .as('agent')
      .post('/api/views')
      .send({ name: 'Duplicate me', scope: 'reports', filters: { status: 'failed' } })
      .expect(201);
  });

  it.each([
    ['an unknown filter', { filters: { colour: 'red' } }, /filters\.colour is not a CDR filter/],
    ['a filter value the list refuses', { filters: { status: 'exploded' } }, /filters\.status/],
    ['a malformed date filter', { filters: { from: 'yesterday' } }, /filters\.from/],
    ['a paging parameter', { filters: { limit: 10 } }, /filters\.limit: paging/],
    ['a nested filter value', { filters: { caller: { $ne: '' } } }, /filters\.caller must be a string or a number/],
    ['an unknown column', { columns: ['start_time', 'password'] }, /columns must name CDR fields \(password/],
    ['a repeated column', { columns: ['caller', 'caller'] }, /columns/],
    ['no column', { columns: [] }, /columns/],
    ['an unknown time zone', { time_zone: 'Mars/Olympus' }, /time_zone/],
    ['a raw offset as time zone', { time_zone: '+03:00' }, /time_zone must be an IANA time zone/],
    ['a report setting in a cdrs view', { filters: { bucket: 'day' } }, /filters\.bucket is not a CDR filter/],
    ['an unknown report setting', { scope: 'reports', columns: [], filters: { bucket: 'fortnight' } }, /filters\.bucket/],
    ['a paging parameter in a reports view', { scope: 'reports', columns: [], filters: { offset: 10 } }, /filters\.offset: paging/],
    ['columns in a reports view', { scope: 'reports', filters: {} }, /columns: a reports view has no columns/],
    [
      'a filter the reports do not take',
      { scope: 'reports', columns: [], filters: { min_duration: 5 } },
      /filters\.min_duration is not a reports filter/,
    ],
    ['an unknown sort', { sort: 'password:asc' }, /sort/],
    ['an unknown scope', { scope: 'dashboard' }, /scope/],
    ['a blank name', { name: '   ' }, /name/],
    ['an unknown property', { owner_id: 'someone' }, /owner_id/],
  ])('400 naming the field for %s', async (_label, change, message) => {
    const res = await api
      .as('agent')
      .post('/api/views')
      .send({ ...FAILED_DE, name: `bad ${String(Math.random())}`, ...change })
      .expect(400);
    expect(messageOf(res.body)).toMatch(message);
  });

  it('400 for a malformed id and 401 without a session', async () => {
    await api.as('agent').get('/api/views/not-a-uuid').expect(400);
    await api.anonymous().get('/api/views').expect(401);
  });
});

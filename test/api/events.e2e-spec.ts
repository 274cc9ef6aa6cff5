import type { CdrsEventData, FindingEventData, NotificationPage, UnreadCount, VeloraEvent } from '@velora/contracts';
import { SippySimulator } from '@velora/sippy/simulator';
import { CdrSyncService } from '../../apps/api/src/sync/cdr-sync.service';
import { EventsRepository } from '../../apps/api/src/events/events.repository';
import { EventsService } from '../../apps/api/src/events/events.service';
import { IntegrationWatch } from '../../apps/api/src/events/integration-watch.service';
import { SyncEventsPublisher } from '../../apps/api/src/events/sync-events.publisher';
import { SseClient, type SseMessage } from '../support/sse-client';
import { listenOnLoopback, startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

const PASSWORD = 'events-e2e-Sippy-pass';

const finding = (id: string, level: 'warn' | 'crit' = 'crit'): { type: 'finding'; level: 'warn' | 'crit'; data: FindingEventData } => ({
  type: 'finding',
  level,
  data: { id, rule: 'short_calls', level, subject: '+905320000001', reason_en: '42 calls under 6 s', reason_tr: '6 sn altında 42 arama' },
});

const parse = (message: SseMessage): VeloraEvent => JSON.parse(message.data) as VeloraEvent;
const stored = (client: SseClient): VeloraEvent[] => client.messages.filter((m) => m.id !== undefined).map(parse);


describeEachDatabase('GET /api/events (live events)', ({ kind, getUrl }) => {
  let sim: SippySimulator;
  /** The simulator clock: real time unless a test freezes it. */
  let simFrozenAt: number | null = null;
  let api: TestApp;
  let base: string;
  const clients: SseClient[] = [];

  const open = async (role: 'admin' | 'agent' | null, options: { lastEventId?: number; query?: string } = {}): Promise<SseClient> => {
    const headers: Record<string, string> = {};
    if (role !== null) headers['Authorization'] = `Bearer ${api.users[role]?.token ?? ''}`;
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = String(options.lastEventId);
    const client = await SseClient.open(`${base}/api/events${options.query ?? ''}`, { headers });
    clients.push(client);
    return client;
  };
  const publish = (input: Parameters<EventsService['publish']>[0]): Promise<VeloraEvent | null> =>
    api.app.get(EventsService).publish(input);

  beforeAll(async () => {
    sim = new SippySimulator({ password: PASSWORD, seed: 11, historyHours: 1, callsPerMinute: 2, now: () => simFrozenAt ?? Date.now() });
    await sim.start();
    api = await startTestApp({
      DATABASE_URL: kind === 'pglite' ? 'memory://' : getUrl(),
      SIPPY_RPC_URL: sim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: PASSWORD,
      SIPPY_SYNC_ENABLED: 'true',
      SIPPY_SYNC_INTERVAL_SECONDS: '86400', // the test drives the runs
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2',
      SIPPY_HEALTH_DEGRADED_AFTER_FAILURES: '2',
      SIPPY_SYNC_RETRY_ATTEMPTS: '1',
      EVENTS_HEARTBEAT_SECONDS: '1',
    });
    await api.app.get(CdrSyncService).runNow(); // the start-up run (history) is done before any client connects
    base = await listenOnLoopback(api);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await api.close();
    await sim.stop();
  });

  it('needs authentication: 401 without credentials or with a bad token, and rejects a malformed Last-Event-ID naming it', async () => {
    const anonymous = await open(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.response.headers['content-type']).toMatch(/json/);
    expect(await anonymous.text()).toMatch(/Authentication required/);

    const badToken = await SseClient.open(`${base}/api/events`, { headers: { Authorization: 'Bearer vlr_not-a-real-token' } });
    clients.push(badToken);
    expect(badToken.status).toBe(401);

    const malformed = await SseClient.open(`${base}/api/events`, {
      headers: { Authorization: `Bearer ${api.users.admin?.token ?? ''}`, 'Last-Event-ID': 'abc' },
    });
    clients.push(malformed);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/Last-Event-ID must be the id of an event/);
    const malformedQuery = await open('admin', { query: '?last_event_id=-1' });
    expect(malformedQuery.status).toBe(400);
    expect(await malformedQuery.text()).toMatch(/last_event_id must be the id of an event/);
  });

  it('streams events to signed-in users (API token and session cookie), with heartbeats', async () => {
    const admin = await open('admin');
    expect(admin.status).toBe(200);
    expect(admin.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(admin.response.headers['cache-control']).toBe('no-cache, no-transform');
    expect((await admin.nextOf('retry')).retry).toBe(3000);
    await admin.nextOf('ready');

    const login = await api
      .anonymous()
      .post('/api/auth/login')
      .send({ email: api.users.agent?.email, password: api.users.agent?.password })
      .expect(200);
    const setCookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const agent = await SseClient.open(`${base}/api/events`, { headers: { Cookie: setCookie } });
    clients.push(agent);
    expect(agent.status).toBe(200);
    await agent.nextOf('ready');

    const published = await publish(finding('f-1'));
    expect(published).not.toBeNull();
    for (const client of [admin, agent]) {
      const message = await client.nextOf('finding');
      expect(message.id).toBe(String(published?.id));
      expect(parse(message)).toEqual({ id: published?.id, at: published?.at, type: 'finding', level: 'crit', data: finding('f-1').data });
    }
    const beat = await admin.nextOf('heartbeat', 5000);
    expect(beat.id).toBeUndefined();
  });

  it('filters by role: sync errors go to admins only', async () => {
    const admin = await open('admin');
    const agent = await open('agent');
    await Promise.all([admin.nextOf('ready'), agent.nextOf('ready')]);
    const error = await publish({
      type: 'sync_error',
      level: 'warn',
      data: { message: 'timeout: the switch did not answer', consecutive_failures: 1 },
    });
    const after = await publish(finding('f-2', 'warn'));
    await admin.nextOf('finding');
    await agent.nextOf('finding');
    expect(stored(admin).map((e) => e.id)).toEqual([error?.id, after?.id]);
    expect(stored(agent).map((e) => e.id)).toEqual([after?.id]);
  });

  it('resumes after Last-Event-ID (header or query) with exactly the missed events, in order, then goes live', async () => {
    const first = await open('admin');
    await first.nextOf('ready');
    const seen = await publish(finding('f-3'));
    await first.next((m) => m.id === String(seen?.id));
    first.close();

    const missed = [
      await publish(finding('f-4')),
      await publish({ type: 'sync_error', level: 'crit', data: { message: 'x', consecutive_failures: 2 } }),
      await publish(finding('f-5')),
    ];
    const resumed = await open('admin', { lastEventId: seen?.id });
    await resumed.nextOf('ready');
    expect(stored(resumed).map((e) => e.id)).toEqual(missed.map((e) => e?.id));
    const ready = JSON.parse((await resumed.nextOf('ready')).data) as { last_event_id: number };
    expect(ready.last_event_id).toBe(missed[2]?.id);
    const live = await publish(finding('f-6'));
    expect((await resumed.nextOf('finding')).id).toBeDefined();
    await resumed.next((m) => m.id === String(live?.id));

    // the agent resuming from the same id gets only what an agent may see; the query parameter works too
    const agent = await open('agent', { query: `?last_event_id=${String(seen?.id)}` });
    await agent.nextOf('ready');
    expect(stored(agent).map((e) => e.id)).toEqual([missed[0]?.id, missed[2]?.id, live?.id]);

    // the header wins over the query (EventSource reconnects with the original URL and the newer header)
    const both = await open('admin', { query: `?last_event_id=${String(seen?.id)}`, lastEventId: missed[2]?.id });
    await both.nextOf('ready');
    expect(stored(both).map((e) => e.id)).toEqual([live?.id]);
  });

  it('tells a client to reload (reset) when it cannot replay: an unknown id, or events pruned since', async () => {
    const future = await open('admin', { lastEventId: 999_999_999 });
    expect(JSON.parse((await future.nextOf('reset')).data)).toEqual({ reason: 'unknown_id' });
    await future.nextOf('ready');

    const old = await publish(finding('f-7'));
    await publish(finding('f-8'));
    // prune everything (as if the retention had passed)
    const repository = api.app.get(EventsRepository);
    await repository.prune({ eventsMaxAgeMs: 0, eventsMax: 0, notificationsMaxAgeMs: 0, notificationsMax: 0 });
    const gap = await open('admin', { lastEventId: old?.id });
    expect(JSON.parse((await gap.nextOf('reset')).data)).toEqual({ reason: 'gap' });
    await gap.nextOf('ready');
    expect(stored(gap)).toEqual([]);
    const live = await publish(finding('f-9'));
    await gap.next((m) => m.id === String(live?.id));
  });

  it('announces new CDRs right after the sync commits them, with the newest ids', async () => {
    // the switch's traffic stops a little in the past, so the second run below really has nothing new to read
    simFrozenAt = Date.now() - 10_000;
    const client = await open('agent');
    await client.nextOf('ready');
    const now = sim.now();
    const cdr = sim.addCdr({ connect_time: now - 60_000, duration: 12, cli: '905321112233', cld: '902121234567' });
    await api.http().post('/api/sippy/sync').expect(200);
    const message = await client.nextOf('cdrs');
    const event = parse(message) as Extract<VeloraEvent, { type: 'cdrs' }>;
    const data: CdrsEventData = event.data;
    expect(data.count).toBeGreaterThanOrEqual(1);
    expect(data.newest_ids).toContain(String(cdr['i_cdr']));
    expect(data.newest_ids.length).toBeLessThanOrEqual(20);
    // the ids are stored and listed when the event arrives
    const listed = await api.as('agent').get('/api/sippy/cdrs').query({ limit: 50 }).expect(200);
    expect((listed.body as { id: string }[]).map((row) => row.id)).toEqual(expect.arrayContaining(data.newest_ids));
    // a run that brings nothing new announces nothing
    const before = client.of('cdrs').length;
    await api.http().post('/api/sippy/sync').expect(200);
    await api.app.get(SyncEventsPublisher).settled();
    await publish(finding('f-10'));
    await client.nextOf('finding');
    expect(client.of('cdrs')).toHaveLength(before);
    simFrozenAt = null;
  });

  it('publishes sync errors once per stage of an outage and the recovery', async () => {
    const admin = await open('admin');
    await admin.nextOf('ready');
    await sim.down();
    try {
      for (let run = 0; run < 3; run += 1) await api.http().post('/api/sippy/sync');
    } finally {
      await sim.up();
    }
    await api.http().post('/api/sippy/sync').expect(200);
    await admin.nextOf('sync_recovered');
    const events = stored(admin).filter((e) => e.type === 'sync_error' || e.type === 'sync_recovered');
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['sync_error', 'warn'],
      ['sync_error', 'crit'],
      ['sync_recovered', 'info'],
    ]);
    expect(events[2]?.data).toEqual({ failed_runs: 3, outage_level: 'crit' });
  });

  it('publishes an integration going down and coming back once, from the health probes', async () => {
    const client = await open('agent');
    await client.nextOf('ready');
    await api.anonymous().get('/api/sippy/health').expect(200); // first state seen: up (not announced)
    await sim.down();
    try {
      await api.anonymous().get('/api/sippy/health').expect(503);
      await api.anonymous().get('/api/sippy/health').expect(503); // still down: no second event
    } finally {
      await sim.up();
    }
    await api.anonymous().get('/api/sippy/health').expect(200);
    await api.app.get(IntegrationWatch).settled();
    await client.nextOf('integration');
    await publish(finding('f-11'));
    await client.nextOf('finding');
    const changes = stored(client)
      .filter((e) => e.type === 'integration')
      .map((e) => e.data);
    expect(changes).toEqual([
      { integration: 'sippy', up: false, cause: 'unreachable', message: expect.any(String) as string },
      { integration: 'sippy', up: true, cause: null, message: null },
    ]);
    expect(stored(client).find((e) => e.type === 'integration' && !e.data.up)?.level).toBe('crit');
  });

  it('keeps read state per user: list, unread count, mark read (other tabs are told), mark all read', async () => {
    await api.http().post('/api/notifications/read-all').send({}).expect(200);
    await api.as('agent').post('/api/notifications/read-all').send({}).expect(200);
    const a = await publish(finding('n-1'));
    const b = await publish(finding('n-2', 'warn'));
    await publish({ type: 'sync_error', level: 'warn', data: { message: 'admins only', consecutive_failures: 1 } });
    await publish({ type: 'cdrs', level: 'info', data: { count: 1, newest_ids: ['1'], newest_start_time: null } }); // not a notification

    const agentCount = (await api.as('agent').get('/api/notifications/unread-count').expect(200)).body as UnreadCount;
    expect(agentCount).toEqual({ unread: 2, capped: false });
    expect(((await api.http().get('/api/notifications/unread-count').expect(200)).body as UnreadCount).unread).toBe(3);

    const page = (await api.as('agent').get('/api/notifications').query({ limit: 1 }).expect(200)).body as NotificationPage;
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: b?.id, type: 'finding', level: 'warn', read: false });
    expect(page.next_cursor).toBe(b?.id);
    const next = (await api.as('agent').get('/api/notifications').query({ limit: 1, before: page.next_cursor }).expect(200))
      .body as NotificationPage;
    expect(next.items[0]?.id).toBe(a?.id);

    const otherTab = await open('agent');
    const adminTab = await open('admin');
    await Promise.all([otherTab.nextOf('ready'), adminTab.nextOf('ready')]);
    const marked = await api
      .as('agent')
      .post('/api/notifications/read')
      .send({ ids: [a?.id, 999_999_999] })
      .expect(200);
    expect(marked.body).toEqual({ ids: [a?.id] });
    const read = parse(await otherTab.nextOf('notifications_read'));
    expect(read.data).toEqual({ ids: [a?.id], up_to: null });
    expect(((await api.as('agent').get('/api/notifications/unread-count').expect(200)).body as UnreadCount).unread).toBe(1);
    expect(((await api.http().get('/api/notifications/unread-count').expect(200)).body as UnreadCount).unread).toBe(3); // per user
    const unreadOnly = (await api.as('agent').get('/api/notifications').query({ unread: 'true' }).expect(200)).body as NotificationPage;
    expect(unreadOnly.items.map((item) => item.id)).toEqual([b?.id]);

    await api.as('agent').post('/api/notifications/read-all').send({}).expect(200);
    expect(((await api.as('agent').get('/api/notifications/unread-count').expect(200)).body as UnreadCount).unread).toBe(0);
    await publish(finding('n-3'));
    await adminTab.nextOf('finding');
    expect(adminTab.of('notifications_read')).toEqual([]); // another user's read marks are not sent to the admin

    // bad input names the field
    const bad = await api
      .as('agent')
      .post('/api/notifications/read')
      .send({ ids: ['x'] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/ids must be an array of notification ids/);
    const badLimit = await api.as('agent').get('/api/notifications').query({ limit: 0 }).expect(400);
    expect(JSON.stringify(badLimit.body)).toMatch(/limit/);
    await api.anonymous().get('/api/notifications').expect(401);
  });

  it('closes streams with a reconnect message when they get old (rotation) and when the server shuts down', async () => {
    const rotating = await startTestApp({
      DATABASE_URL: kind === 'pglite' ? 'memory://' : getUrl(),
      EVENTS_HEARTBEAT_SECONDS: '1',
      EVENTS_STREAM_MAX_SECONDS: '5',
    });
    try {
      const url = await listenOnLoopback(rotating);
      const client = await SseClient.open(`${url}/api/events`, {
        headers: { Authorization: `Bearer ${rotating.users.admin?.token ?? ''}` },
      });
      clients.push(client);
      await client.nextOf('ready');
      expect(JSON.parse((await client.nextOf('reconnect', 9000)).data)).toEqual({ reason: 'rotate' });
      await client.closed();

      const second = await SseClient.open(`${url}/api/events`, {
        headers: { Authorization: `Bearer ${rotating.users.admin?.token ?? ''}` },
      });
      clients.push(second);
      await second.nextOf('ready');
      const closing = rotating.close();
      expect(JSON.parse((await second.nextOf('reconnect')).data)).toEqual({ reason: 'shutdown' });
      await second.closed();
      await closing;
    } catch (error) {
      await rotating.close().catch(() => undefined);
      throw error;
    }
  }, 30_000);
});

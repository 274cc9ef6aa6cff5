import type { CdrsEventData, VeloraEvent } from '@velora/contracts';
import { Client } from 'pg';
import { EventsService } from '../../apps/api/src/events/events.service';
import type { SseClient } from '../support/sse-client';
import { Replicas, type Replica } from '../support/replicas';
import type { TestApp } from '../support/test-app';
import { isPostgresAvailableSync } from '../support/test-database';

const PASSWORD = 'replicas-e2e-Sippy-pass';
const declare = process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync() ? describe : describe.skip;

const ids = (client: SseClient): number[] => client.messages.filter((m) => m.id !== undefined).map((m) => Number(m.id));
const events = (client: SseClient): VeloraEvent[] =>
  client.messages.filter((m) => m.id !== undefined).map((m) => JSON.parse(m.data) as VeloraEvent);

/**
 * Two API replicas (two Nest applications, each with its own pool and LISTEN connection) on ONE PostgreSQL
 * database: whatever one publishes reaches the streams of both, in the same order, once.
 */
declare('live events across two API replicas on one PostgreSQL', () => {
  let replicas: Replicas;
  let a: TestApp;
  let b: TestApp;
  const open = (replica: Replica, lastEventId?: number): Promise<SseClient> => replicas.openStream(replica, lastEventId);
  const finding = (id: string): Parameters<EventsService['publish']>[0] => ({
    type: 'finding',
    level: 'crit',
    data: { id, rule: 'wangiri', level: 'crit', subject: '+4420', reason_en: 'one-ring calls', reason_tr: 'tek çalan aramalar' },
  });
  const waitForId = (client: SseClient, id: number | undefined): Promise<unknown> =>
    client.next((m) => m.id === String(id), 10_000, `event ${String(id)}`);

  beforeAll(async () => {
    replicas = await Replicas.start({
      switch: { password: PASSWORD, seed: 5, historyHours: 1, callsPerMinute: 2 },
      env: { SIPPY_SYNC_INTERVAL_SECONDS: '86400' },
      envA: { SIPPY_SYNC_ENABLED: 'true', SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '2' }, // the sync leader
      envB: { SIPPY_SYNC_ENABLED: 'false' },
    });
    ({ a, b } = replicas);
  });

  afterEach(() => {
    replicas.closeStreams();
  });

  afterAll(async () => {
    await replicas.close();
  });

  it('delivers an event published on either replica to the streams of both', async () => {
    const [onA, onB] = [await open('a'), await open('b')];
    const fromA = await a.app.get(EventsService).publish(finding('from-a'));
    const fromB = await b.app.get(EventsService).publish(finding('from-b'));
    for (const client of [onA, onB]) {
      await waitForId(client, fromB?.id);
      expect(events(client)).toEqual([fromA, fromB]);
    }
  });

  it('keeps one order on both replicas when both publish at the same time (ids never go backwards)', async () => {
    const [onA, onB] = [await open('a'), await open('b')];
    const published = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).app.get(EventsService).publish(finding(`burst-${String(i)}`))),
    );
    const expected = published.map((e) => e?.id ?? 0).sort((x, y) => x - y);
    for (const client of [onA, onB]) {
      await waitForId(client, expected.at(-1));
      expect(ids(client)).toEqual(expected);
    }
  });

  it('announces the leader’s new CDRs on the standby replica', async () => {
    const onB = await open('b');
    const cdr = replicas.sim.addCdr({ connect_time: replicas.sim.now() - 60_000, duration: 20 });
    await a.http().post('/api/sippy/sync').expect(200);
    const message = await onB.nextOf('cdrs');
    expect((JSON.parse(message.data) as { data: CdrsEventData }).data.newest_ids).toContain(String(cdr['i_cdr']));
  });

  it('resumes on the other replica after Last-Event-ID', async () => {
    const onA = await open('a');
    const seen = await a.app.get(EventsService).publish(finding('before'));
    await waitForId(onA, seen?.id);
    onA.close();
    const missed = [
      await a.app.get(EventsService).publish(finding('missed-1')),
      await b.app.get(EventsService).publish(finding('missed-2')),
    ];
    const onB = await open('b', seen?.id);
    expect(events(onB)).toEqual(missed);
  });

  it('catches up after the LISTEN connection was lost: nothing published meanwhile is missed', async () => {
    const onB = await open('b');
    const admin = new Client({ connectionString: replicas.database.url });
    await admin.connect();
    try {
      // cut every replica's LISTEN connection (as a database restart or a network blip would)
      const killed = await admin.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = 'velora-events' and datname = current_database()`,
      );
      expect(killed.rows[0]?.n).toBe(2);
    } finally {
      await admin.end();
    }
    const during = await a.app.get(EventsService).publish(finding('during-the-outage'));
    await waitForId(onB, during?.id);
    const after = await b.app.get(EventsService).publish(finding('after'));
    await waitForId(onB, after?.id);
    expect(events(onB)).toEqual([during, after]);
  });
});

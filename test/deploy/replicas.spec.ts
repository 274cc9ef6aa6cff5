import { Client } from 'pg';
import { SippySimulator, type SimulatorRequestLogEntry } from '@velora/sippy/simulator';
import { SYNC_LEASE_KEY } from '../../apps/api/src/sync/cdr-sync.service';
import { ApiChild, eventually } from '../support/api-child';
import { builtApiMain } from '../support/built-api';
import { createTestDatabase, isPostgresAvailableSync, type TestDatabase } from '../support/test-database';

const SIM_PASS = 'replicas-Sim-Secret-7';
const PAGE_SIZE = 40;
const LEASE_SECONDS = 6;

const reachable = process.env['VELORA_REQUIRE_POSTGRES'] === '1' || isPostgresAvailableSync();
if (!reachable) process.stderr.write('replicas [postgres] skipped: PostgreSQL not reachable\n');
const describePostgres = reachable ? describe : describe.skip;

/** The sync's own CDR reads (the health probe asks for limit 1; the sync asks for a page). */
function syncReads(log: readonly SimulatorRequestLogEntry[]): SimulatorRequestLogEntry[] {
  return log.filter((e) => {
    if (e.method !== 'getAccountCDRs' || !Array.isArray(e.params)) return false;
    const first: unknown = e.params[0];
    return typeof first === 'object' && first !== null && (first as Record<string, unknown>)['limit'] === PAGE_SIZE;
  });
}

/** The largest number of sync reads that were being served at the same moment. */
function maxOverlap(entries: readonly SimulatorRequestLogEntry[]): number {
  const edges = entries.flatMap((e) => [
    { t: e.at, d: 1 },
    { t: e.at + e.durationMs, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d); // an end before a start at the same instant
  let open = 0;
  let max = 0;
  for (const edge of edges) {
    open += edge.d;
    max = Math.max(max, open);
  }
  return max;
}

describePostgres('three API replicas on one PostgreSQL (built API)', () => {
  let main = '';
  let sim: SippySimulator | undefined;
  let database: TestDatabase | undefined;
  let db: Client;
  /** The simulator's clock: real time until frozen, so the switch's set stops growing at the end. */
  let frozenAt: number | null = null;
  const replicas: ApiChild[] = [];

  const leaseOwner = async (): Promise<string | undefined> => {
    const { rows } = await db.query<{ state: { owner: string; until: string } }>('select state from sync_state where key = $1', [SYNC_LEASE_KEY]);
    const lease = rows.at(0)?.state;
    return lease && Date.parse(lease.until) > Date.now() ? lease.owner : undefined;
  };
  const replicaOf = (owner: string): ApiChild | undefined => replicas.find((r) => r.pid !== undefined && owner.split(':')[1] === String(r.pid));

  beforeAll(async () => {
    main = builtApiMain();
    const simulator = new SippySimulator({ password: SIM_PASS, seed: 'replicas', historyHours: 2, callsPerMinute: 20, now: () => frozenAt ?? Date.now() });
    sim = simulator;
    await simulator.start();
    const testDb = await createTestDatabase('postgres');
    database = testDb;
    db = new Client({ connectionString: testDb.url });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    for (const replica of replicas) replica.kill();
    await db.end();
    await database?.dispose();
    await sim?.stop();
  });

  it('exactly one replica polls the switch; after kill -9 of the poller another takes over within the lease and the stored set is exact', async () => {
    if (!sim || !database) throw new Error('set-up failed');
    const switchSim = sim;
    const testDb = database;
    // every read is slow enough that the first pass (2 h in 10-minute windows, paged by 40) takes several seconds
    switchSim.faults.latency({ ms: 150 });
    const env = {
      DATABASE_URL: testDb.url,
      SIPPY_RPC_URL: switchSim.url,
      SIPPY_RPC_USER: 'ssp-root',
      SIPPY_RPC_PASS: SIM_PASS,
      SIPPY_SYNC_INTERVAL_SECONDS: '1',
      SIPPY_SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
      SIPPY_SYNC_INITIAL_LOOKBACK_HOURS: '3',
      SIPPY_SYNC_WINDOW_MINUTES: '10',
      SIPPY_SYNC_PAGE_SIZE: String(PAGE_SIZE),
      SIPPY_MAX_CALL_SECONDS: '600',
      SIPPY_SYNC_SAFETY_LAG_SECONDS: '1',
    };
    for (let i = 0; i < 3; i++) replicas.push(new ApiChild(env));
    await Promise.all(replicas.map((r) => r.start(main)));

    // one replica takes the lease and reads; the others stand by
    const firstOwner = await eventually('a replica to take the sync lease', leaseOwner, 30_000);
    const poller = replicaOf(firstOwner);
    expect(poller).toBeDefined();
    await eventually('the poller to have stored CDRs', async () => {
      const { rows } = await db.query<{ n: string }>('select count(*) as n from cdrs');
      return Number(rows[0]?.n) > 0 ? true : undefined;
    });

    // kill -9 the poller in the middle of a read
    const before = syncReads(switchSim.requestLog).length;
    await eventually('the poller to be mid-read', () => Promise.resolve(syncReads(switchSim.requestLog).length > before ? true : undefined));
    poller?.kill();
    await poller?.exited;
    const killedAt = Date.now();

    // another replica takes over once the lease lapses (never before: the dead one's lease is honoured)
    const secondOwner = await eventually('another replica to take over', async () => {
      const owner = await leaseOwner();
      return owner !== undefined && owner !== firstOwner ? owner : undefined;
    }, (LEASE_SECONDS + 20) * 1000);
    const tookOverAfterMs = Date.now() - killedAt;
    expect(replicaOf(secondOwner)).toBeDefined();
    expect(replicaOf(secondOwner)).not.toBe(poller);
    expect(tookOverAfterMs).toBeLessThan((LEASE_SECONDS + 15) * 1000);

    // the switch's set stops growing; the stored set becomes exactly the switch's set
    frozenAt = Date.now();
    const expected = switchSim.visibleCdrs().map((c) => String(c['i_cdr'])).sort();
    expect(expected.length).toBeGreaterThan(PAGE_SIZE * 3);
    const stored = await eventually('the stored set to equal the switch set', async () => {
      const { rows } = await db.query<{ i_cdr: string }>("select raw->>'i_cdr' as i_cdr from cdrs order by 1");
      const ids = rows.map((r) => r.i_cdr).sort();
      return ids.length === expected.length ? ids : undefined;
    }, 90_000);
    expect(stored).toEqual(expected);
    const { rows: dupes } = await db.query<{ n: string }>("select count(*) - count(distinct raw->>'i_cdr') as n from cdrs");
    expect(Number(dupes[0]?.n)).toBe(0);

    // never two replicas reading the switch at once (the log holds only finished requests: the killed
    // replica's last read may be missing, which can only lower the overlap of the rest)
    expect(maxOverlap(syncReads(switchSim.requestLog))).toBe(1);
    const standbyLogs = replicas.filter((r) => r !== poller && r !== replicaOf(secondOwner)).map((r) => r.log);
    expect(standbyLogs.join('\n')).toContain('another replica holds the sync lease');
    expect(replicas.map((r) => r.log).join('\n')).not.toContain(SIM_PASS);
  }, 240_000);
});

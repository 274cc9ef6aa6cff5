import { Logger } from '@nestjs/common';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import { FakeClock } from '../../../../test/support/fake-clock';
import type { DatabaseService } from '../database/database.service';
import { DatabaseThrottlerStorage } from './database-throttler.storage';
import { RateLimitsRepository } from './rate-limits.repository';
import { cleanUp } from '../../../../test/support/clean-up';

jest.setTimeout(60_000);

beforeAll(() => {
  Logger.overrideLogger(false);
});

const MINUTE = 60_000;

describeEachDatabase('DatabaseThrottlerStorage', ({ getUrl }) => {
  let database: DatabaseService;
  let clock: FakeClock;
  let replicaA: DatabaseThrottlerStorage;
  let replicaB: DatabaseThrottlerStorage;

  beforeAll(async () => {
    database = await openDatabaseService(getUrl());
  });

  afterAll(async () => {
    await cleanUp(database, (r) => r.close());
  });

  beforeEach(async () => {
    await database.db.deleteFrom('rate_limits').execute();
    clock = new FakeClock(Date.parse('2026-11-25T10:00:00Z'));
    // two storages on one database = two replicas of the API
    replicaA = new DatabaseThrottlerStorage(new RateLimitsRepository(database), clock);
    replicaB = new DatabaseThrottlerStorage(new RateLimitsRepository(database), clock);
  });

  it('counts hits of all replicas in one window and blocks the hit over the limit', async () => {
    await expect(replicaA.increment('k', MINUTE, 3, MINUTE, 'login')).resolves.toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    clock.advance(10_000);
    await expect(replicaB.increment('k', MINUTE, 3, MINUTE, 'login')).resolves.toMatchObject({ totalHits: 2, timeToExpire: 50, isBlocked: false });
    await expect(replicaA.increment('k', MINUTE, 3, MINUTE, 'login')).resolves.toMatchObject({ totalHits: 3, isBlocked: false });
    await expect(replicaB.increment('k', MINUTE, 3, MINUTE, 'login')).resolves.toEqual({ totalHits: 4, timeToExpire: 50, isBlocked: true, timeToBlockExpire: 60 });
    // other keys are independent
    await expect(replicaB.increment('other', MINUTE, 3, MINUTE, 'login')).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('stays blocked for the block duration even after the window ends, then starts afresh', async () => {
    for (let i = 0; i < 3; i += 1) await replicaA.increment('k', MINUTE, 2, 5 * MINUTE, 'login');
    clock.advance(2 * MINUTE); // window over, block (5 min from the 3rd hit) not
    await expect(replicaB.increment('k', MINUTE, 2, 5 * MINUTE, 'login')).resolves.toEqual({ totalHits: 3, timeToExpire: 0, isBlocked: true, timeToBlockExpire: 180 });
    clock.advance(3 * MINUTE);
    await expect(replicaB.increment('k', MINUTE, 2, 5 * MINUTE, 'login')).resolves.toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('restarts the count when the window ends without a block', async () => {
    await replicaA.increment('k', MINUTE, 5, MINUTE, 'login');
    await replicaA.increment('k', MINUTE, 5, MINUTE, 'login');
    clock.advance(MINUTE);
    await expect(replicaA.increment('k', MINUTE, 5, MINUTE, 'login')).resolves.toMatchObject({ totalHits: 1, timeToExpire: 60, isBlocked: false });
  });

  it('blocks at once with a limit of 0', async () => {
    await expect(replicaA.increment('k', MINUTE, 0, MINUTE, 'login')).resolves.toMatchObject({ totalHits: 1, isBlocked: true, timeToBlockExpire: 60 });
  });

  it('never loses a hit under concurrent requests', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? replicaA : replicaB).increment('k', MINUTE, 1000, MINUTE, 'login')));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('sweeps counters whose window and block are over, keeps live ones', async () => {
    await replicaA.increment('old', MINUTE, 5, MINUTE, 'login');
    for (let i = 0; i < 3; i += 1) await replicaA.increment('blocked', MINUTE, 2, 10 * MINUTE, 'login');
    clock.advance(2 * MINUTE);
    await replicaA.increment('live', MINUTE, 5, MINUTE, 'login');
    await expect(replicaA.sweep()).resolves.toBe(1);
    const keys = await database.db.selectFrom('rate_limits').select('key').orderBy('key').execute();
    expect(keys.map((r) => r.key)).toEqual(['blocked', 'live']);
  });
});

import { Logger } from '@nestjs/common';
import type { Cdr } from '@velora/sippy';
import { sql } from 'kysely';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import { CdrRepository } from '../cdrs/cdr.repository';
import type { DatabaseService } from '../database/database.service';
import { SyncStateRepository } from './sync-state.repository';
import { cleanUp } from '../../../../test/support/clean-up';

jest.setTimeout(60_000);

interface Cursor {
  fast_cursor: string;
  windows: { from: string; to: string; inserted: number }[];
  note: string | null;
}

function cdr(id: string): Cdr {
  return {
    id,
    call_id: null,
    caller: '100',
    callee: '200',
    start_time: '2026-11-24T10:00:00.000Z',
    end_time: null,
    setup_time: null,
    duration: 1,
    billed_duration: 1,
    status: 'completed',
    result: 0,
    sip_code: 200,
    disconnect_reason: null,
    release_source: null,
    direction: 'outbound',
    country: null,
    country_code: null,
    city: null,
    cost: null,
    currency: null,
    trunk: null,
    codec: null,
    account: null,
    remote_ip: null,
  };
}

describeEachDatabase('SyncStateRepository', ({ getUrl }) => {
  let database: DatabaseService;
  let states: SyncStateRepository;
  let cdrs: CdrRepository;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openDatabaseService(getUrl());
    states = new SyncStateRepository(database);
    cdrs = new CdrRepository(database);
  });

  afterAll(async () => {
    await cleanUp(database, (r) => r.close());
  });

  beforeEach(async () => {
    await sql`truncate cdrs, sync_state`.execute(database.db);
  });

  const cursor: Cursor = {
    fast_cursor: '2026-11-24T10:00:00.000Z',
    windows: [{ from: '2026-11-24T09:00:00.000Z', to: '2026-11-24T10:00:00.000Z', inserted: 3 }],
    note: null,
  };

  it('returns null for a key never saved', async () => {
    await expect(states.get<Cursor>('sippy.cdrs')).resolves.toBeNull();
  });

  it('saves and reads back a JSON state', async () => {
    await states.save('sippy.cdrs', cursor);
    await expect(states.get<Cursor>('sippy.cdrs')).resolves.toStrictEqual(cursor);
  });

  it('keeps states of different keys apart and replaces on save', async () => {
    await states.save('a', { n: 1 });
    await states.save('b', { n: 2 });
    const before = await database.db.selectFrom('sync_state').select('updated_at').where('key', '=', 'a').executeTakeFirstOrThrow();
    await states.save('a', { n: 3, extra: [true, 'x'] });
    await expect(states.get('a')).resolves.toStrictEqual({ n: 3, extra: [true, 'x'] });
    await expect(states.get('b')).resolves.toStrictEqual({ n: 2 });
    const after = await database.db.selectFrom('sync_state').select('updated_at').where('key', '=', 'a').executeTakeFirstOrThrow();
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('stores scalar and array states, and bigint as a decimal string', async () => {
    await states.save('scalar', 42);
    await states.save('array', [1, 'two']);
    await states.save('big', { id: 12345678901234567890n });
    await expect(states.get<number>('scalar')).resolves.toBe(42);
    await expect(states.get<unknown[]>('array')).resolves.toEqual([1, 'two']);
    await expect(states.get('big')).resolves.toEqual({ id: '12345678901234567890' });
  });

  it('deletes a state', async () => {
    await states.save('gone', { n: 1 });
    await expect(states.delete('gone')).resolves.toBe(true);
    await expect(states.delete('gone')).resolves.toBe(false);
    await expect(states.get('gone')).resolves.toBeNull();
  });

  it('rejects a blank key and an undefined state', async () => {
    await expect(states.get(' ')).rejects.toThrow(TypeError);
    await expect(states.save('', { n: 1 })).rejects.toThrow(/key must be a non-empty string/);
    await expect(states.save('k', undefined)).rejects.toThrow(/must not be undefined/);
  });

  it('commits CDRs and the cursor together in one transaction', async () => {
    await database.transaction(async (trx) => {
      await cdrs.upsertMany([{ cdr: cdr('1'), raw: { i_cdr: 1 }, source: 'sippy' }], trx);
      await states.save('sippy.cdrs', cursor, trx);
      // Visible inside the transaction.
      await expect(states.get<Cursor>('sippy.cdrs', trx)).resolves.toStrictEqual(cursor);
    });
    await expect(cdrs.allIds()).resolves.toEqual(['1']);
    await expect(states.get<Cursor>('sippy.cdrs')).resolves.toStrictEqual(cursor);
  });

  it('rolls back: neither the CDRs nor the cursor are stored when the transaction fails', async () => {
    await states.save('sippy.cdrs', { ...cursor, note: 'committed before' });
    const failure = database.transaction(async (trx) => {
      await cdrs.upsertMany([{ cdr: cdr('1'), raw: { i_cdr: 1 }, source: 'sippy' }, { cdr: cdr('2'), raw: { i_cdr: 2 }, source: 'sippy' }], trx);
      await states.save('sippy.cdrs', { ...cursor, note: 'ahead of the rows' }, trx);
      throw new Error('sippy request failed mid-window');
    });
    await expect(failure).rejects.toThrow('sippy request failed mid-window');
    await expect(cdrs.countAll()).resolves.toBe(0);
    await expect(states.get<Cursor>('sippy.cdrs')).resolves.toMatchObject({ note: 'committed before' });
  });

  it('rolls back when a database error happens after the cursor was saved', async () => {
    const failure = database.transaction(async (trx) => {
      await states.save('sippy.cdrs', cursor, trx);
      await sql`select 1 / 0`.execute(trx);
    });
    await expect(failure).rejects.toThrow(/division by zero/);
    await expect(states.get('sippy.cdrs')).resolves.toBeNull();
  });
});

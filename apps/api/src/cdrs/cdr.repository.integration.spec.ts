import { Logger } from '@nestjs/common';
import type { Cdr, RawCdr } from '@velora/sippy';
import { sql } from 'kysely';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import type { DatabaseService } from '../database/database.service';
import { CDR_UPSERT_CHUNK_SIZE, CdrRepository, escapeLike, type CdrCursor, type CdrUpsertInput } from './cdr.repository';
import { cleanUp } from '../../../../test/support/clean-up';

jest.setTimeout(60_000);

// Local factory (the shared one in @velora/sippy/testing comes later).
let sequence = 0;
function makeCdr(overrides: Partial<Cdr> = {}): Cdr {
  sequence += 1;
  return {
    id: String(418_238_000 + sequence),
    call_id: `call-${sequence}@sbc.example`,
    caller: '442071234567',
    callee: '905321234567',
    start_time: '2026-11-24T10:00:00.000Z',
    end_time: '2026-11-24T10:01:01.500Z',
    setup_time: '2026-11-24T09:59:55.000Z',
    duration: 61.5,
    billed_duration: 62,
    status: 'completed',
    result: 0,
    sip_code: 200,
    disconnect_reason: 'Normal call clearing',
    release_source: 'caller',
    direction: 'outbound',
    country: 'TR',
    country_code: 'TR',
    city: 'Istanbul',
    cost: 0.0123,
    currency: 'USD',
    trunk: 'carrier-a',
    codec: 'PCMU',
    account: '42',
    remote_ip: '203.0.113.5',
    ...overrides,
  };
}

function rawOf(cdr: Cdr, extra: RawCdr = {}): RawCdr {
  return { i_cdr: cdr.id, cli: cdr.caller, cld: cdr.callee, duration: cdr.duration, vendor_specific: 'kept', ...extra };
}

function input(cdr: Cdr, extra: RawCdr = {}): CdrUpsertInput {
  return { cdr, raw: rawOf(cdr, extra), source: 'sippy' };
}

function nullCdr(id: string): Cdr {
  return {
    id,
    call_id: null,
    caller: null,
    callee: null,
    start_time: null,
    end_time: null,
    setup_time: null,
    duration: null,
    billed_duration: null,
    status: 'unknown',
    result: null,
    sip_code: null,
    disconnect_reason: null,
    release_source: null,
    direction: 'unknown',
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

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 24, 10, minute)).toISOString();

describeEachDatabase('CdrRepository', ({ getUrl }) => {
  let database: DatabaseService;
  let repository: CdrRepository;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openDatabaseService(getUrl());
    repository = new CdrRepository(database);
  });

  afterAll(async () => {
    await cleanUp(database, (r) => r.close());
  });

  beforeEach(async () => {
    await sql`truncate cdrs, cdr_rollup_hourly_totals, cdr_rollup_daily_totals, cdr_rollup_report_hourly, cdr_rollup_report_hourly_totals, cdr_rollup_report_daily`.execute(database.db);
  });

  async function timestamps(id: string): Promise<{ first_seen_at: Date; updated_at: Date }> {
    return database.db
      .selectFrom('cdrs')
      .select(['first_seen_at', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  describe('upsertMany', () => {
    it('inserts new rows, then reports 0/0 for the same rows again', async () => {
      const rows = [makeCdr(), makeCdr(), makeCdr()].map((c) => input(c));
      await expect(repository.upsertMany(rows)).resolves.toEqual({ inserted: 3, updated: 0 });
      const before = await timestamps(rows[0].cdr.id);
      await expect(repository.upsertMany(rows)).resolves.toEqual({ inserted: 0, updated: 0 });
      await expect(repository.countAll()).resolves.toBe(3);
      expect(await timestamps(rows[0].cdr.id)).toEqual(before);
    });

    it('updates a row whose raw record changed: updated_at moves, first_seen_at stays', async () => {
      const a = makeCdr();
      const b = makeCdr();
      await repository.upsertMany([input(a), input(b)]);
      const aBefore = await timestamps(a.id);
      const bBefore = await timestamps(b.id);

      const result = await repository.upsertMany([input(a, { vendor_specific: 'changed' }), input(b)]);

      expect(result).toEqual({ inserted: 0, updated: 1 });
      const aAfter = await timestamps(a.id);
      expect(aAfter.first_seen_at).toEqual(aBefore.first_seen_at);
      expect(aAfter.updated_at.getTime()).toBeGreaterThan(aBefore.updated_at.getTime());
      expect(await timestamps(b.id)).toEqual(bBefore);
      const raw = await database.db.selectFrom('cdrs').select('raw').where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(raw.raw['vendor_specific']).toBe('changed');
    });

    it('updates a row whose canonical fields changed under the same raw record (re-normalization)', async () => {
      const cdr = makeCdr({ status: 'unknown' });
      const raw = rawOf(cdr);
      await repository.upsertMany([{ cdr, raw, source: 'sippy' }]);
      const result = await repository.upsertMany([{ cdr: { ...cdr, status: 'completed', country: 'GB' }, raw, source: 'sippy' }]);
      expect(result).toEqual({ inserted: 0, updated: 1 });
      const stored = await repository.findById(cdr.id);
      expect(stored).toMatchObject({ status: 'completed', country: 'GB' });
    });

    it('counts a mixed batch of new, changed and unchanged rows', async () => {
      const [a, b, c] = [makeCdr(), makeCdr(), makeCdr()];
      await repository.upsertMany([input(a), input(b)]);
      const result = await repository.upsertMany([input(a), input(b, { cost: 9 }), input(c)]);
      expect(result).toEqual({ inserted: 1, updated: 1 });
    });

    it('keeps the last occurrence of an id repeated within one call', async () => {
      const first = makeCdr({ caller: '111' });
      const last = { ...first, caller: '222' };
      await expect(repository.upsertMany([input(first), input(last)])).resolves.toEqual({ inserted: 1, updated: 0 });
      await expect(repository.findById(first.id)).resolves.toMatchObject({ caller: '222' });
    });

    it(`splits large batches into chunks of ${CDR_UPSERT_CHUNK_SIZE} rows`, async () => {
      const rows = Array.from({ length: CDR_UPSERT_CHUNK_SIZE * 2 + 3 }, () => input(makeCdr()));
      await expect(repository.upsertMany(rows)).resolves.toEqual({ inserted: rows.length, updated: 0 });
      await expect(repository.countAll()).resolves.toBe(rows.length);
      await expect(repository.upsertMany(rows)).resolves.toEqual({ inserted: 0, updated: 0 });
    });

    it('returns 0/0 for an empty batch', async () => {
      await expect(repository.upsertMany([])).resolves.toEqual({ inserted: 0, updated: 0 });
    });

    it('keeps the raw record with unknown fields, bigint as text and NUL characters replaced', async () => {
      const cdr = makeCdr({ disconnect_reason: 'bad\u0000byte' });
      await repository.upsertMany([
        { cdr, raw: { i_cdr: 418238747, big: 12345678901234567890n, nested: { list: [1, 'two', null] }, nul: 'a\u0000b' }, source: 'sippy' },
      ]);
      const row = await database.db.selectFrom('cdrs').select(['raw', 'source']).where('id', '=', cdr.id).executeTakeFirstOrThrow();
      expect(row.source).toBe('sippy');
      expect(row.raw).toEqual({
        i_cdr: 418238747,
        big: '12345678901234567890',
        nested: { list: [1, 'two', null] },
        nul: 'a\uFFFDb',
      });
      await expect(repository.findById(cdr.id)).resolves.toMatchObject({ disconnect_reason: 'bad\uFFFDbyte' });
    });

    it('stores a lone UTF-16 surrogate in a text field as U+FFFD, a pair (non-BMP character) as it is, quotes and backslashes as they are', async () => {
      const cdr = makeCdr({ caller: 'x\uD800y', callee: '\uDC00', city: '\u{1F4DE} "Ankara" \\ \n', trunk: 'end\uD83D' });
      // (the raw record here has no lone surrogate: PostgreSQL rejects one in jsonb, as it always did)
      const record = (c: Cdr): CdrUpsertInput => ({ cdr: c, raw: { i_cdr: c.id }, source: 'sippy' });
      await repository.upsertMany([record(cdr)]);
      await expect(repository.findById(cdr.id)).resolves.toMatchObject({
        caller: 'x\uFFFDy',
        callee: '\uFFFD',
        city: '\u{1F4DE} "Ankara" \\ \n',
        trunk: 'end\uFFFD',
      });
      await expect(repository.upsertMany([record({ ...cdr, caller: 'x\uFFFDy', callee: '\uFFFD', trunk: 'end\uFFFD' })])).resolves.toEqual({ inserted: 0, updated: 0 });
    });

    it.each<[string, Partial<Cdr>, RegExp]>([
      ['a time that is not ISO 8601', { start_time: 'yesterday' }, /start_time must be an ISO 8601 string/],
      ['a fractional billed_duration', { billed_duration: 1.5 }, /billed_duration must be a 32-bit integer/],
      ['a sip_code beyond int4', { sip_code: 2 ** 31 }, /sip_code must be a 32-bit integer/],
      ['a NaN cost', { cost: Number.NaN }, /cost must be a finite number/],
      ['an unknown status', { status: 'ringing' as Cdr['status'] }, /status must be one of/],
      ['an unknown direction', { direction: 'sideways' as Cdr['direction'] }, /direction must be one of/],
      ['an empty id', { id: ' ' }, /CDR id must be a non-empty string/],
    ])('rejects %s with a TypeError naming the CDR, and writes nothing', async (_label, overrides, message) => {
      const good = makeCdr();
      const bad = makeCdr(overrides);
      const error = await repository.upsertMany([input(good), input(bad)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      if (bad.id.trim() !== '') {
        expect((error as Error).message).toContain(`CDR ${bad.id}`);
      }
      await expect(repository.countAll()).resolves.toBe(0);
    });

    it('is atomic across chunks: a database error in a later chunk stores nothing', async () => {
      const rows = Array.from({ length: CDR_UPSERT_CHUNK_SIZE + 1 }, () => input(makeCdr()));
      // The last row (in the second chunk) passes our validation but breaks a test-only constraint.
      rows[rows.length - 1] = { ...rows[rows.length - 1], source: 'x'.repeat(10) };
      await sql`alter table cdrs add constraint test_source_len check (length(source) < 10)`.execute(database.db);
      try {
        await expect(repository.upsertMany(rows)).rejects.toThrow(/test_source_len/);
        await expect(repository.countAll()).resolves.toBe(0);
      } finally {
        await sql`alter table cdrs drop constraint test_source_len`.execute(database.db);
      }
    });

    it('joins a caller transaction: rolled back with it', async () => {
      const cdr = makeCdr();
      await expect(
        database.transaction(async (trx) => {
          await expect(repository.upsertMany([input(cdr)], trx)).resolves.toEqual({ inserted: 1, updated: 0 });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await expect(repository.countAll()).resolves.toBe(0);
    });
  });

  describe('round trip', () => {
    it('returns exactly the stored Cdr (all keys, ISO times, numbers)', async () => {
      const cdr = makeCdr({ duration: 2.921805825, cost: 0.0007, start_time: '2026-11-24T10:03:12.345Z' });
      await repository.upsertMany([input(cdr)]);
      const { items } = await repository.list();
      expect(items).toHaveLength(1);
      expect(items[0]).toStrictEqual(cdr);
      expect(Object.keys(items[0])).toEqual(Object.keys(cdr));
    });

    it('keeps every nullable field null', async () => {
      const cdr = nullCdr('900000000001');
      await repository.upsertMany([{ cdr, raw: {}, source: 'other' }]);
      await expect(repository.findById(cdr.id)).resolves.toStrictEqual(cdr);
    });

    it('normalizes times with an offset to UTC ISO strings', async () => {
      const cdr = makeCdr({ start_time: '2026-11-24T13:00:00+03:00' });
      await repository.upsertMany([input(cdr)]);
      await expect(repository.findById(cdr.id)).resolves.toMatchObject({ start_time: '2026-11-24T10:00:00.000Z' });
    });

    it('findById returns null for an unknown id', async () => {
      await expect(repository.findById('nope')).resolves.toBeNull();
    });
  });

  describe('list', () => {
    it('orders newest first, null start times last, ties by id descending', async () => {
      const rows = [
        makeCdr({ id: '100', start_time: at(1) }),
        makeCdr({ id: '200', start_time: at(5) }),
        makeCdr({ id: '300', start_time: null }),
        makeCdr({ id: '400', start_time: at(5) }),
        makeCdr({ id: '500', start_time: at(3) }),
        makeCdr({ id: '050', start_time: null }),
      ];
      await repository.upsertMany(rows.map((c) => input(c)));
      const { items, total } = await repository.list();
      expect(total).toBe(6);
      expect(items.map((c) => c.id)).toEqual(['400', '200', '500', '100', '300', '050']);
    });

    it('pages with limit/offset and reports the total of the whole filter', async () => {
      const rows = Array.from({ length: 7 }, (_, i) => makeCdr({ start_time: at(i) }));
      await repository.upsertMany(rows.map((c) => input(c)));
      const all = (await repository.list({ limit: 100 })).items.map((c) => c.id);
      const pages = await Promise.all([0, 3, 6, 9].map((offset) => repository.list({ limit: 3, offset })));
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1, 0]);
      expect(pages.every((p) => p.total === 7 && p.total_exact)).toBe(true);
      expect(pages.flatMap((p) => p.items.map((c) => c.id))).toEqual(all);
      expect(all).toEqual(rows.map((c) => c.id).reverse());
    });

    it('filters on start_time: from inclusive, to exclusive', async () => {
      const rows = [0, 1, 2, 3].map((m) => makeCdr({ start_time: at(m) }));
      await repository.upsertMany([...rows, makeCdr({ start_time: null })].map((c) => input(c)));
      const { items, total } = await repository.list({ from: new Date(at(1)), to: new Date(at(3)) });
      expect(items.map((c) => c.start_time)).toEqual([at(2), at(1)]);
      expect(total).toBe(2);
      await expect(repository.list({ from: new Date(at(3)) })).resolves.toMatchObject({ total: 1 });
      await expect(repository.list({ to: new Date(at(0)) })).resolves.toMatchObject({ total: 0 });
    });

    it('matches caller and callee by case-insensitive substring', async () => {
      const alice = makeCdr({ caller: 'Alice <+44 20 7123>', callee: '905321112233' });
      const bob = makeCdr({ caller: '442079990000', callee: '905551112233' });
      await repository.upsertMany([input(alice), input(bob)]);
      const ids = async (filter: Parameters<CdrRepository['list']>[0]) =>
        (await repository.list(filter)).items.map((c) => c.id).sort();
      expect(await ids({ caller: 'aLiCe' })).toEqual([alice.id]);
      expect(await ids({ caller: '4420' })).toEqual([bob.id]);
      expect(await ids({ callee: '1112233' })).toEqual([alice.id, bob.id].sort());
      expect(await ids({ callee: '90555' })).toEqual([bob.id]);
      expect(await ids({ caller: '  ' })).toEqual([alice.id, bob.id].sort());
      expect(await ids({ caller: 'alice', callee: '90555' })).toEqual([]);
    });

    it('treats %, _ and \\ in the search literally', async () => {
      const percent = makeCdr({ caller: '12%34' });
      const underscore = makeCdr({ caller: '12_34' });
      const plain = makeCdr({ caller: '12x34' });
      const backslash = makeCdr({ caller: '12\\34' });
      await repository.upsertMany([percent, underscore, plain, backslash].map((c) => input(c)));
      const ids = async (caller: string) => (await repository.list({ caller })).items.map((c) => c.id);
      expect(await ids('%')).toEqual([percent.id]);
      expect(await ids('2_3')).toEqual([underscore.id]);
      expect(await ids('\\')).toEqual([backslash.id]);
      expect((await repository.list({ caller: '12' })).total).toBe(4);
    });

    it('filters by one or several statuses and directions', async () => {
      const busy = makeCdr({ status: 'busy', direction: 'inbound' });
      const failed = makeCdr({ status: 'failed', direction: 'outbound' });
      const done = makeCdr({ status: 'completed', direction: 'internal' });
      await repository.upsertMany([busy, failed, done].map((c) => input(c)));
      const ids = async (filter: Parameters<CdrRepository['list']>[0]) =>
        (await repository.list(filter)).items.map((c) => c.id).sort();
      expect(await ids({ status: 'busy' })).toEqual([busy.id]);
      expect(await ids({ status: ['busy', 'failed'] })).toEqual([busy.id, failed.id].sort());
      expect(await ids({ status: [] })).toEqual([]);
      expect(await ids({ direction: 'internal' })).toEqual([done.id]);
      expect(await ids({ direction: ['inbound', 'internal'], status: 'completed' })).toEqual([done.id]);
    });

    it('matches a country code or an English/Turkish name on country_code, other text on the name', async () => {
      const tr = makeCdr({ country: 'TURKEY', country_code: 'TR' });
      const de = makeCdr({ country: 'Germany', country_code: 'DE' });
      const odd = makeCdr({ country: 'Atlantis', country_code: null });
      const none = makeCdr({ country: null, country_code: null });
      await repository.upsertMany([tr, de, odd, none].map((c) => input(c)));
      const ids = async (country: string): Promise<string[]> => (await repository.list({ country })).items.map((c) => c.id);
      for (const term of ['tr', 'TR', ' Turkey ', 'Türkiye', 'TÜRKİYE']) {
        expect(await ids(term)).toEqual([tr.id]);
      }
      expect(await ids('almanya')).toEqual([de.id]);
      expect(await ids('ATLANTIS')).toEqual([odd.id]);
      expect((await repository.list({ country: 'T' })).total).toBe(0);
    });

    it('pages by keyset cursor in list order, null start times last', async () => {
      const rows = [
        ...[0, 1, 1, 2, 3].map((m) => makeCdr({ start_time: at(m) })),
        makeCdr({ start_time: null }),
        makeCdr({ start_time: null }),
      ];
      await repository.upsertMany(rows.map((c) => input(c)));
      const all = (await repository.list({ limit: 100 })).items.map((c) => c.id);
      const seen: string[] = [];
      let cursor: CdrCursor | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await repository.list({ limit: 2, cursor });
        seen.push(...result.items.map((c) => c.id));
        if (result.next_cursor === null) {
          break;
        }
        cursor = result.next_cursor;
      }
      expect(seen).toEqual(all);
      expect(seen).toHaveLength(7);
    });

    it('walks every page by cursor exactly like one ordered query: ties, undated rows, page edges, filters', async () => {
      const rows = [
        ...[0, 1, 1, 1, 2, 3, 3, 5, 8].map((m, i) => makeCdr({ start_time: at(m), status: i % 3 === 0 ? 'busy' : 'completed' })),
        ...['a-1', 'a-2', 'a-3', 'z-9'].map((id, i) => ({ ...makeCdr({ start_time: null, status: i % 2 === 0 ? 'busy' : 'completed' }), id })),
      ];
      await repository.upsertMany(rows.map((c) => input(c)));
      for (const status of [undefined, 'busy' as const]) {
        const ordered = await sql<{ id: string }>`
          select id from cdrs where ${status === undefined ? sql`true` : sql`status = ${status}`}
          order by start_time desc nulls last, id desc`.execute(database.db);
        const expected = ordered.rows.map((r) => r.id);
        expect(expected.length).toBeGreaterThan(status === undefined ? 12 : 4);
        for (let limit = 1; limit <= expected.length + 1; limit++) {
          const seen: string[] = [];
          let cursor: CdrCursor | undefined;
          for (let page = 0; page <= expected.length + 1; page++) {
            const result = await repository.list({ limit, cursor, status });
            seen.push(...result.items.map((c) => c.id));
            if (result.next_cursor === null) break;
            cursor = result.next_cursor;
          }
          expect({ limit, status, seen }).toEqual({ limit, status, seen: expected });
        }
        // A cursor combined with an offset skips rows after the cursor, across the dated/undated edge.
        const dated = expected.filter((id) => rows.find((r) => r.id === id)?.start_time !== null);
        const edge = { start_time: new Date(at(0)), id: dated.at(-1) ?? '' };
        await expect(repository.list({ cursor: edge, offset: 1, limit: 2, status }).then((p) => p.items.map((c) => c.id))).resolves.toEqual(
          expected.slice(dated.length + 1, dated.length + 3),
        );
      }
    });

    it('caps the count when the rollup cannot answer, and answers exactly from the rollup when it can', async () => {
      const rows = Array.from({ length: 12 }, (_, i) => makeCdr({ start_time: at(i * 10), caller: '905320000000' }));
      await repository.upsertMany([...rows, makeCdr({ start_time: null })].map((c) => input(c)));
      await expect(repository.list({ caller: '90532', countCap: 5, limit: 2 })).resolves.toMatchObject({
        total: 5,
        total_exact: false,
      });
      await expect(repository.list({ caller: '90532', countCap: 12 })).resolves.toMatchObject({ total: 12, total_exact: true });
      // Rollup: unfiltered (plus the undated row), hour-aligned range, status/direction/country code.
      await expect(repository.list({ countCap: 5 })).resolves.toMatchObject({ total: 13, total_exact: true });
      const hour = (h: number): Date => new Date(Date.UTC(2026, 10, 24, 10 + h));
      await expect(repository.list({ countCap: 5, from: hour(0), to: hour(1) })).resolves.toMatchObject({ total: 6, total_exact: true });
      await expect(repository.list({ countCap: 50, status: 'busy', country: 'Türkiye' })).resolves.toMatchObject({ total: 0, total_exact: true });
      await expect(repository.list({ countCap: 50, status: 'completed', country: 'TR' })).resolves.toMatchObject({ total: 13 });
      // Not hour-aligned: raw count.
      await expect(repository.list({ countCap: 50, from: new Date(at(15)) })).resolves.toMatchObject({ total: 10, total_exact: true });
    });

    it('adds whole UTC days from the daily totals and the hours around them from the hourly ones, exactly', async () => {
      const hour = 3_600_000;
      const base = Date.UTC(2026, 10, 22, 0, 30);
      // 5 CDRs every 5 hours over 3 days, mixed status/country; two late ones into existing hours.
      const rows = Array.from({ length: 15 }, (_, i) =>
        makeCdr({ start_time: new Date(base + i * 5 * hour).toISOString(), status: i % 2 === 0 ? 'completed' : 'busy', country_code: i % 3 === 0 ? 'DE' : 'TR' }),
      );
      await repository.upsertMany(rows.map((c) => input(c)));
      await repository.upsertMany([makeCdr({ start_time: new Date(base + 26 * hour).toISOString(), status: 'busy' })].map((c) => input(c)));
      const h = (n: number): Date => new Date(Date.UTC(2026, 10, 22) + n * hour);
      for (const [from, to] of [[h(0), h(72)], [h(3), h(70)], [h(23), h(49)], [h(5), h(20)], [undefined, h(30)], [h(30), undefined]] as const) {
        for (const status of [undefined, 'busy' as const]) {
          const raw = await sql<{ n: number }>`select count(*)::int as n from cdrs where start_time >= ${from ?? new Date(0)}
            and start_time < ${to ?? new Date(Date.UTC(2100, 0))} and ${status === undefined ? sql`true` : sql`status = ${status}`}`.execute(database.db);
          const page = await repository.list({ from, to, status, countCap: 1 });
          expect({ from, to, status, total: page.total, exact: page.total_exact }).toEqual({ from, to, status, total: raw.rows[0]?.n, exact: true });
        }
      }
      const summary = await repository.summary({ from: new Date(base + 2 * hour + 1), to: new Date(base + 65 * hour - 1) });
      const raw = await sql<{ n: number; busy: number }>`select count(*)::int as n, (count(*) filter (where status = 'busy'))::int as busy from cdrs
        where start_time >= ${new Date(base + 2 * hour + 1)} and start_time < ${new Date(base + 65 * hour - 1)}`.execute(database.db);
      expect([summary.calls, summary.by_status.busy]).toEqual([raw.rows[0]?.n, raw.rows[0]?.busy]);
    });

    it('filters by minimum duration, leaving out unknown durations', async () => {
      const short = makeCdr({ duration: 4.9 });
      const exact = makeCdr({ duration: 5 });
      const long = makeCdr({ duration: 600 });
      const unknown = makeCdr({ duration: null });
      await repository.upsertMany([short, exact, long, unknown].map((c) => input(c)));
      const ids = (await repository.list({ min_duration: 5 })).items.map((c) => c.id).sort();
      expect(ids).toEqual([exact.id, long.id].sort());
      expect((await repository.list({ min_duration: 0 })).total).toBe(3);
    });

    it.each([
      [{ limit: 0 }, RangeError],
      [{ limit: 1001 }, RangeError],
      [{ limit: 2.5 }, RangeError],
      [{ offset: -1 }, RangeError],
      [{ min_duration: -1 }, RangeError],
      [{ min_duration: Number.POSITIVE_INFINITY }, RangeError],
      [{ status: 'ringing' }, RangeError],
      [{ from: new Date('nope') }, TypeError],
    ])('rejects the invalid filter %p', async (filter, type) => {
      await expect(repository.list(filter as Parameters<CdrRepository['list']>[0])).rejects.toThrow(type);
    });
  });

  describe('summary', () => {
    it('computes ASR, ACD, totals, currency and breakdowns over [from, to)', async () => {
      await repository.upsertMany(
        [
          makeCdr({ start_time: at(0), status: 'completed', duration: 60, cost: 0.5, currency: 'USD', direction: 'inbound' }),
          makeCdr({ start_time: at(1), status: 'completed', duration: 30, cost: 0.25, currency: 'USD' }),
          makeCdr({ start_time: at(2), status: 'busy', duration: 0, cost: null, currency: null }),
          makeCdr({ start_time: at(3), status: 'failed', duration: null, cost: 1, currency: 'EUR' }),
          makeCdr({ start_time: at(4), status: 'completed', duration: 15.25, cost: 0.1, currency: null, direction: 'internal' }),
          // outside the range: to is exclusive, and before from
          makeCdr({ start_time: at(10), status: 'completed', duration: 999, cost: 99, currency: 'EUR' }),
          makeCdr({ start_time: '2026-11-23T23:59:59.999Z', status: 'busy', duration: 1, cost: 99, currency: 'EUR' }),
          makeCdr({ start_time: null, status: 'busy' }),
        ].map((c) => input(c)),
      );

      const summary = await repository.summary({ from: new Date(at(0)), to: new Date(at(10)) });

      expect(summary).toStrictEqual({
        calls: 5,
        answered: 3,
        answered_pct: 60,
        avg_duration: 35.1, // (60 + 30 + 15.25) / 3 = 35.083…
        total_duration: 105.25,
        total_cost: 0.85, // USD 0.5 + 0.25, plus 0.1 without currency; EUR 1 left out
        currency: 'USD',
        by_status: { completed: 3, busy: 1, no_answer: 0, cancelled: 0, rejected: 0, failed: 1, unknown: 0 },
        by_direction: { inbound: 1, outbound: 3, internal: 1, unknown: 0 },
      });
    });

    it('rounds ASR to one decimal and breaks currency ties alphabetically', async () => {
      await repository.upsertMany(
        [
          makeCdr({ status: 'completed', duration: 10, cost: 1, currency: 'USD' }),
          makeCdr({ status: 'busy', duration: 0, cost: 2, currency: 'EUR' }),
          makeCdr({ status: 'no_answer', duration: 0, cost: null, currency: null }),
        ].map((c) => input(c)),
      );
      const summary = await repository.summary();
      expect(summary.answered_pct).toBe(33.3);
      expect(summary.currency).toBe('EUR');
      expect(summary.total_cost).toBe(2);
      expect(summary.avg_duration).toBe(10);
    });

    it('is exact over ranges with partial hours at the edges (rollup in the middle, raw rows at the edges)', async () => {
      const minutes = [5, 25, 35, 55, 65, 95, 125, 150, 175, 190];
      const rows = minutes.map((m, i) =>
        makeCdr({ start_time: at(m), status: i % 3 === 0 ? 'busy' : 'completed', duration: i % 3 === 0 ? 0 : 10 * i, cost: i / 8, currency: 'USD' }),
      );
      await repository.upsertMany(rows.map((c) => input(c)));
      for (const [lo, hi] of [[30, 170], [0, 180], [60, 120], [31, 59], [-60, 300], [100, 101]] as const) {
        const inRange = rows.filter((c) => Date.parse(c.start_time ?? '') >= Date.parse(at(lo)) && Date.parse(c.start_time ?? '') < Date.parse(at(hi)));
        const answered = inRange.filter((c) => c.status === 'completed');
        const summary = await repository.summary({ from: new Date(at(lo)), to: new Date(at(hi)) });
        expect(summary).toMatchObject({
          calls: inRange.length,
          answered: answered.length,
          total_duration: inRange.reduce((n, c) => n + (c.duration ?? 0), 0),
          total_cost: inRange.length === 0 ? null : Math.round(inRange.reduce((n, c) => n + (c.cost ?? 0), 0) * 1e6) / 1e6,
          avg_duration: answered.length === 0 ? null : Math.round((answered.reduce((n, c) => n + (c.duration ?? 0), 0) / answered.length) * 10) / 10,
        });
        expect(summary.by_status.busy).toBe(inRange.length - answered.length);
      }
    });

    it('returns zeros and nulls for a range without calls', async () => {
      await repository.upsertMany([input(makeCdr({ start_time: at(0) }))]);
      await expect(repository.summary({ from: new Date(at(30)), to: new Date(at(40)) })).resolves.toStrictEqual({
        calls: 0,
        answered: 0,
        answered_pct: null,
        avg_duration: null,
        total_duration: 0,
        total_cost: null,
        currency: null,
        by_status: { completed: 0, busy: 0, no_answer: 0, cancelled: 0, rejected: 0, failed: 0, unknown: 0 },
        by_direction: { inbound: 0, outbound: 0, internal: 0, unknown: 0 },
      });
    });

    it('reports null ACD when answered calls have no duration, and null cost when nothing is costed', async () => {
      await repository.upsertMany([input(makeCdr({ status: 'completed', duration: null, cost: null, currency: 'USD' }))]);
      const summary = await repository.summary();
      expect(summary).toMatchObject({ calls: 1, answered: 1, answered_pct: 100, avg_duration: null, total_cost: null, currency: 'USD' });
    });
  });

  describe('hourly rollup', () => {
    it('adds new rows, moves changed ones between buckets, never counts a re-sent CDR twice, and equals a rebuild', async () => {
      const a = makeCdr({ start_time: at(5), status: 'completed', cost: 1.5, country_code: 'TR' });
      const b = makeCdr({ start_time: at(70), status: 'busy', duration: 0, cost: null, country_code: 'GB' });
      const c = makeCdr({ start_time: at(10), setup_time: null, currency: null, account: null });
      await repository.upsertMany([input(a), input(b), input(c)]);
      await repository.upsertMany([input(a), input(b)]); // re-sent, unchanged
      const first = await repository.rollupRows();
      expect(first.reduce((n, r) => n + Number(r['calls']), 0)).toBe(3);
      expect((await repository.rollupRows('daily')).reduce((n, r) => n + Number(r['calls']), 0)).toBe(3);

      // Status, cost, country and hour of existing rows change; a late CDR arrives.
      const late = makeCdr({ start_time: at(-30), country_code: null });
      await repository.upsertMany([
        input({ ...a, status: 'failed', cost: 2.25, country_code: 'DE' }),
        input({ ...b, start_time: at(130) }),
        input(late),
      ]);
      const incremental = await repository.rollupRows('daily');
      const incrementalTotals = await repository.rollupRows('totals');
      const incrementalReport = await repository.reportRollupRows();
      const incrementalReportTotals = await repository.reportRollupRows('totals');
      expect(incrementalReport.reduce((n, r) => n + Number(r['calls']), 0)).toBe(4);
      expect(incrementalReportTotals.reduce((n, r) => n + Number(r['calls']), 0)).toBe(4);
      // Report rollup: NULL dimensions kept, exact numeric sums (no residue after subtract-and-add).
      expect(incrementalReport.find((r) => r['country_code'] === 'DE')).toMatchObject({ status: 'failed', answered: false, calls: 1, cost_sum: '2.25', talk_seconds: '0' });
      expect(incrementalReport.filter((r) => r['account'] === null)).toEqual([expect.objectContaining({ calls: 1, currency: null, answered: true, talk_seconds: '61.5' })]);
      expect(incremental.reduce((n, r) => n + Number(r['calls']), 0)).toBe(4);
      expect(incrementalTotals.reduce((n, r) => n + Number(r['calls']), 0)).toBe(4);
      // Totals: '' for null dimensions; c (10:10, no setup time, no currency) and the late CDR (09:30, no country).
      expect(incrementalTotals.filter((r) => r['country_code'] === 'TR' && r['status'] === 'completed')).toEqual([
        expect.objectContaining({ calls: 1, answered: 1, currency: '', pdd_count: 0, duration_sum: '61.500000' }), // only c
      ]);
      expect(incrementalTotals.find((r) => r['country_code'] === 'DE')).toMatchObject({ status: 'failed', calls: 1, answered: 0, cost_sum: '2.250000' });
      expect(incrementalTotals.find((r) => r['country_code'] === '')).toMatchObject({
        bucket: new Date(at(-60)), calls: 1, answered: 1, answered_duration_count: 1, pdd_count: 0, // setup after start: no PDD
      });
      // The daily copy: one UTC day, the same sums.
      expect(incremental.every((r) => (r['bucket'] as Date).getTime() === Date.UTC(2026, 10, 24))).toBe(true);
      expect(incremental.reduce((n, r) => n + Number(r['calls']), 0)).toBe(4);

      await repository.rebuildRollups();
      expect(await repository.rollupRows('daily')).toEqual(incremental);
      expect(await repository.rollupRows('totals')).toEqual(incrementalTotals);
      expect(await repository.reportRollupRows()).toEqual(incrementalReport);
      expect(await repository.reportRollupRows('totals')).toEqual(incrementalReportTotals);
    });

    it('rolls back with the upsert transaction', async () => {
      await database.db
        .transaction()
        .execute(async (trx) => {
          await repository.upsertMany([input(makeCdr())], trx);
          throw new Error('boom');
        })
        .catch(() => undefined);
      await expect(repository.rollupRows('daily')).resolves.toEqual([]);
      await expect(repository.rollupRows('totals')).resolves.toEqual([]);
      await expect(repository.reportRollupRows()).resolves.toEqual([]);
      await expect(repository.reportRollupRows('totals')).resolves.toEqual([]);
    });
  });

  describe('countAll / allIds', () => {
    it('counts and lists every id in byte order', async () => {
      await repository.upsertMany(['9', '10', '418238747', 'b-1', 'B-2'].map((id) => input(makeCdr({ id }))));
      await expect(repository.countAll()).resolves.toBe(5);
      await expect(repository.allIds()).resolves.toEqual(['10', '418238747', '9', 'B-2', 'b-1']);
    });
  });
});

describe('escapeLike', () => {
  it.each([
    ['abc', 'abc'],
    ['50%', '50\\%'],
    ['a_b', 'a\\_b'],
    ['c:\\x', 'c:\\\\x'],
  ])('%s → %s', (value, expected) => {
    expect(escapeLike(value)).toBe(expected);
  });
});

import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { SyncLeaseHeldError, type CdrSyncService } from '../sync/cdr-sync.service';
import type { CdrPartitionsRepository } from './cdr-partitions.repository';
import { CdrPartitionsService } from './cdr-partitions.service';

beforeAll(() => {
  Logger.overrideLogger(false);
});

/** A partitioned table with no partition yet; records every call and whether it ran under the lease. */
function fakeRepository(underLease: () => boolean) {
  const calls: string[] = [];
  const record = (what: string) => {
    calls.push(`${what}${underLease() ? '' : ' (outside the lease!)'}`);
  };
  const repository = {
    shape: () => (record('shape'), Promise.resolve('partitioned' as const)),
    horizon: () => (record('horizon'), Promise.resolve(null)),
    saveHorizon: (from: Date) => (record(`saveHorizon ${from.toISOString()}`), Promise.resolve()),
    monthPartitions: () => (record('monthPartitions'), Promise.resolve([])),
    defaultMonths: () => (record('defaultMonths'), Promise.resolve([])),
    deleteBefore: () => (record('deleteBefore'), Promise.resolve(0)),
    createMonth: (from: Date) => (record(`createMonth ${from.toISOString().slice(0, 7)}`), Promise.resolve(`p${from.toISOString().slice(0, 7)}`)),
  };
  return { calls, repository: repository as unknown as CdrPartitionsRepository };
}

function build(exclusive: CdrSyncService['exclusive'], repository: CdrPartitionsRepository, retentionDays?: number): CdrPartitionsService {
  const config = { cdrStore: { retentionDays, partitionMonthsAhead: 2 } } as unknown as AppConfig;
  const clock: Clock = { now: () => Date.parse('2026-12-04T10:00:00Z') };
  const sync = { exclusive } as unknown as CdrSyncService;
  return new CdrPartitionsService(repository, sync, config, clock, {} as SchedulerRegistry);
}

describe('CdrPartitionsService', () => {
  it('does its work inside CdrSyncService.exclusive (under the sync lease)', async () => {
    let inside = false;
    const exclusive = async <T>(task: () => Promise<T>): Promise<T> => {
      inside = true;
      try {
        return await task();
      } finally {
        inside = false;
      }
    };
    const { calls, repository } = fakeRepository(() => inside);
    const report = await build(exclusive, repository, 40).runNow();
    expect(report).toMatchObject({ shape: 'partitioned', created: ['p2026-12', 'p2027-01', 'p2027-02'], horizon: '2026-10-01T00:00:00.000Z' });
    expect(calls).toContain('saveHorizon 2026-10-01T00:00:00.000Z');
    expect(calls).toContain('createMonth 2027-02');
    expect(calls.filter((c) => c.includes('outside'))).toEqual([]);
  });

  it('skips (null, nothing touched) when another replica holds the sync lease', async () => {
    const { calls, repository } = fakeRepository(() => false);
    const exclusive = () => Promise.reject(new SyncLeaseHeldError('2026-12-04T10:01:00.000Z'));
    await expect(build(exclusive as CdrSyncService['exclusive'], repository, 40).runNow()).resolves.toBeNull();
    expect(calls).toEqual([]);
  });
});

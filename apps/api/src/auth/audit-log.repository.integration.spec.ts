import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import type { DatabaseService } from '../database/database.service';
import { AuditLogRepository, type AuditQuery, type NewAuditEntry } from './audit-log.repository';
import { cleanUp } from '../../../../test/support/clean-up';

jest.setTimeout(60_000);

const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 25, 10, minute));

interface Seed extends Partial<NewAuditEntry> {
  minute: number;
  action: string;
}

const SEED: Seed[] = [
  { minute: 0, action: 'auth.login', actorEmail: 'Admin@Example.com', ip: '203.0.113.5' },
  { minute: 1, action: 'auth.login_failed', target: 'ghost@example.com', ip: '198.51.100.7', details: { reason: 'unknown_email' } },
  { minute: 2, action: 'auth.logout', actorEmail: 'admin@example.com', ip: '203.0.113.5' },
  { minute: 3, action: 'user.created', actorEmail: 'admin@example.com', target: 'agent@example.com', ip: '2001:db8::1' },
  { minute: 4, action: 'sippy.test_connection', actorEmail: 'ops_lead@example.com', target: 'sbc.example.net', ip: '203.0.113.9' },
  // an action name from an older version, and one whose name has a LIKE metacharacter in the prefix position
  { minute: 5, action: 'authx.legacy', actorEmail: 'opsXlead@example.com', target: '100%_real' },
];

describeEachDatabase('AuditLogRepository', ({ getUrl }) => {
  let database: DatabaseService;
  let repository: AuditLogRepository;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openDatabaseService(getUrl());
    repository = new AuditLogRepository(database);
  });

  afterAll(async () => {
    await cleanUp(database, (r) => r.close());
  });

  beforeEach(async () => {
    await sql`truncate audit_log`.execute(database.db);
    for (const entry of SEED) {
      await database.db
        .insertInto('audit_log')
        .values({
          at: at(entry.minute),
          action: entry.action,
          actor_user_id: null,
          actor_email: entry.actorEmail ?? null,
          target: entry.target ?? null,
          ip: entry.ip ?? null,
          details: JSON.stringify(entry.details ?? {}),
        })
        .execute();
    }
  });

  async function actionsOf(query: Partial<AuditQuery>): Promise<{ actions: string[]; total: number }> {
    const { items, total } = await repository.list({ limit: 100, offset: 0, ...query });
    return { actions: items.map((row) => row.action), total };
  }

  it('lists newest first with the total, and pages', async () => {
    const all = await actionsOf({});
    expect(all.actions).toEqual(['authx.legacy', 'sippy.test_connection', 'user.created', 'auth.logout', 'auth.login_failed', 'auth.login']);
    expect(all.total).toBe(6);
    await expect(actionsOf({ limit: 2, offset: 2 })).resolves.toEqual({ actions: ['user.created', 'auth.logout'], total: 6 });
  });

  it('filters by an exact action or by a category prefix (the prefix is literal, not a pattern)', async () => {
    await expect(actionsOf({ action: 'auth.login' })).resolves.toEqual({ actions: ['auth.login'], total: 1 });
    await expect(actionsOf({ action: 'auth.' })).resolves.toEqual({ actions: ['auth.logout', 'auth.login_failed', 'auth.login'], total: 3 });
    await expect(actionsOf({ action: 'user.' })).resolves.toEqual({ actions: ['user.created'], total: 1 });
    await expect(actionsOf({ action: 'nothing.' })).resolves.toEqual({ actions: [], total: 0 });
  });

  it('matches actor, target and ip as case-insensitive substrings, with LIKE metacharacters taken literally', async () => {
    await expect(actionsOf({ actor: 'ADMIN@example' })).resolves.toEqual({ actions: ['user.created', 'auth.logout', 'auth.login'], total: 3 });
    // "_" must not match any character: only ops_lead, not opsXlead
    await expect(actionsOf({ actor: 'ops_lead' })).resolves.toEqual({ actions: ['sippy.test_connection'], total: 1 });
    await expect(actionsOf({ target: '100%_' })).resolves.toEqual({ actions: ['authx.legacy'], total: 1 });
    await expect(actionsOf({ target: '%' })).resolves.toEqual({ actions: ['authx.legacy'], total: 1 });
    await expect(actionsOf({ target: 'AGENT@' })).resolves.toEqual({ actions: ['user.created'], total: 1 });
    await expect(actionsOf({ ip: '203.0.113.' })).resolves.toEqual({ actions: ['sippy.test_connection', 'auth.logout', 'auth.login'], total: 3 });
    await expect(actionsOf({ ip: '2001:DB8' })).resolves.toEqual({ actions: ['user.created'], total: 1 });
  });

  it('filters by an inclusive time range and combines filters with AND', async () => {
    await expect(actionsOf({ from: at(1), to: at(3) })).resolves.toEqual({ actions: ['user.created', 'auth.logout', 'auth.login_failed'], total: 3 });
    await expect(actionsOf({ from: at(4) })).resolves.toEqual({ actions: ['authx.legacy', 'sippy.test_connection'], total: 2 });
    await expect(actionsOf({ to: at(0) })).resolves.toEqual({ actions: ['auth.login'], total: 1 });
    await expect(actionsOf({ action: 'auth.', actor: 'admin', from: at(1) })).resolves.toEqual({ actions: ['auth.logout'], total: 1 });
    const paged = await repository.list({ limit: 1, offset: 0, action: 'auth.' });
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBe(3);
  });

  it('lists the distinct action names, sorted', async () => {
    await sql`insert into audit_log (action) values ('auth.login'), ('auth.login'), ('user.created')`.execute(database.db);
    await expect(repository.distinctActions()).resolves.toEqual(['auth.login', 'auth.login_failed', 'auth.logout', 'authx.legacy', 'sippy.test_connection', 'user.created']);
    await sql`truncate audit_log`.execute(database.db);
    await expect(repository.distinctActions()).resolves.toEqual([]);
  });
});

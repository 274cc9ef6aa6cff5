import { Injectable } from '@nestjs/common';
import type { DetectionLevel, DetectionListKind, DetectionMode, DetectionRuleId, FindingStatus } from '@velora/contracts';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { Database, DetectionFindingRow, DetectionListRow } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import { MAX_FINDING_CDRS, type DetectionCdr, type Evaluation, type SubjectBaseline, type WangiriSource } from './rules/detection-cdr';
import type { RuleLoad } from './rules/detection-rules';
import type { RuleSettings } from './rules/detection-cdr';

/** In-lists are sent in chunks of this many values. */
const IN_CHUNK = 500;
const CURSOR_KEY = 'cdrs';

export interface DetectionCursor {
  /** first_seen_at of the last CDR read, as PostgreSQL text (microseconds: a JS Date would cut them). */
  seenUntil: string;
  lastId: string;
}

/** A CDR read by the runner, with its insertion time (the cursor). */
export interface NewCdr {
  cdr: DetectionCdr | null;
  id: string;
  /** Exact first_seen_at (PostgreSQL text). */
  firstSeenAt: string;
}

export interface FindingUpsert {
  rule: DetectionRuleId;
  subjectType: string;
  subject: string;
  windowStart: Date;
  windowEnd: Date;
  mode: DetectionMode;
  evaluation: Evaluation;
}

/** A newer hit folded into a stored finding (the cooldown). */
export interface FindingMerge {
  windowEnd: Date;
  mode: DetectionMode;
  evaluation: Evaluation;
}

const LEVEL_RANK: Readonly<Record<string, number>> = { warn: 1, crit: 2 };

export interface FindingListFilter {
  rule?: string;
  level?: DetectionLevel;
  subject?: string;
  status?: FindingStatus;
  from?: Date;
  to?: Date;
  /** Keyset: strictly older than (last_seen, id). */
  before?: { lastSeen: Date; id: number };
  limit: number;
}

export interface CdrFlagRow {
  cdr_id: string;
  id: number;
  rule: string;
  level: string;
  subject: string;
  reason_en: string;
  reason_tr: string;
  status: string;
}

export interface RuleSettingsRow extends Omit<RuleSettings, 'cooldown_seconds'> {
  rule: string;
  /** Null: the rule's default. */
  cooldown_seconds: number | null;
}

const CDR_COLUMNS = [
  'id',
  'caller',
  'callee',
  'start_time',
  'setup_time',
  'end_time',
  'duration',
  'status',
  'result',
  'direction',
  'account',
  'remote_ip',
  'cost',
  'currency',
] as const;

/** The caller's User-Agent (kept in the raw CDR), read only when a rule needs it (source_change): cheap otherwise. */
function userAgentColumn(wanted: boolean) {
  return sql<string | null>`case when ${wanted}::boolean then raw->>'user_agent' end`.as('user_agent');
}

/** One source of an account on one UTC day (source_change, table detection_account_sources). */
export interface AccountSourceCount {
  account: string;
  day: string;
  kind: 'calls' | 'country' | 'user_agent';
  value: string;
  calls: number;
}

interface CdrRow {
  id: string;
  user_agent?: string | null;
  remote_ip: string | null;
  caller: string | null;
  callee: string | null;
  start_time: Date | null;
  setup_time: Date | null;
  end_time: Date | null;
  duration: number | null;
  status: string;
  result: number | null;
  direction: string;
  account: string | null;
  cost: number | null;
  currency: string | null;
}

/** A stored CDR as the rules see it; null without a start time (it belongs to no window). */
export function toDetectionCdr(row: CdrRow): DetectionCdr | null {
  if (row.start_time === null) return null;
  const answered = row.status === 'completed';
  const ringStart = row.setup_time ?? row.start_time;
  return {
    id: row.id,
    caller: row.caller,
    callee: row.callee,
    at: row.start_time.getTime(),
    duration: row.duration ?? 0,
    answered,
    result: row.result,
    direction: row.direction,
    account: row.account,
    remoteIp: row.remote_ip,
    userAgent: row.user_agent ?? null,
    cost: row.cost ?? 0,
    currency: row.currency,
    ringSeconds: !answered && row.end_time !== null ? Math.max(0, (row.end_time.getTime() - ringStart.getTime()) / 1000) : null,
  };
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(values.slice(i, i + IN_CHUNK));
  return out;
}

/** The only code that queries for detection: reads `cdrs` (by index) and the rollup, writes the detection tables. */
@Injectable()
export class DetectionRepository {
  constructor(private readonly database: DatabaseService) {}

  private get db() {
    return this.database.db;
  }

  async cursor(): Promise<DetectionCursor | null> {
    const row = await this.db
      .selectFrom('detection_cursor')
      .select([sql<string>`seen_until::text`.as('seen_until'), 'last_id'])
      .where('key', '=', CURSOR_KEY)
      .executeTakeFirst();
    return row === undefined ? null : { seenUntil: row.seen_until, lastId: row.last_id };
  }

  async saveCursor(cursor: DetectionCursor): Promise<void> {
    await this.db
      .insertInto('detection_cursor')
      .values({ key: CURSOR_KEY, seen_until: sql<Date>`${cursor.seenUntil}::timestamptz`, last_id: cursor.lastId })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ seen_until: sql<Date>`${cursor.seenUntil}::timestamptz`, last_id: cursor.lastId, updated_at: sql`now()` }),
      )
      .execute();
  }

  /** CDRs stored after the cursor, in insertion order (index cdrs_first_seen_id_idx). */
  async newCdrs(after: DetectionCursor, limit: number): Promise<NewCdr[]> {
    const rows = await this.db
      .selectFrom('cdrs')
      .select([...CDR_COLUMNS, userAgentColumn(true), sql<string>`first_seen_at::text`.as('first_seen_text')])
      .where((eb) => {
        const seen = sql<Date>`${after.seenUntil}::timestamptz`;
        return eb.or([eb('first_seen_at', '>', seen), eb.and([eb('first_seen_at', '=', seen), eb('id', '>', after.lastId)])]);
      })
      .orderBy('first_seen_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ cdr: toDetectionCdr(row), id: row.id, firstSeenAt: row.first_seen_text }));
  }

  /** The CDRs of these subjects that started in [from, to) (indexes on caller/callee/account + start_time). */
  async loadCdrs(load: RuleLoad, subjects: readonly string[], from: Date, to: Date, cap: number): Promise<DetectionCdr[]> {
    const out: DetectionCdr[] = [];
    for (const chunk of chunks(subjects)) {
      if (out.length >= cap) break;
      const rows = await this.db
        .selectFrom('cdrs')
        .select([...CDR_COLUMNS, userAgentColumn(load === 'account_sources')])
        .where('start_time', '>=', from)
        .where('start_time', '<', to)
        .where((eb) => subjectFilter(eb, load, chunk))
        .orderBy('start_time')
        .limit(cap - out.length)
        .execute();
      for (const row of rows) {
        const cdr = toDetectionCdr(row);
        if (cdr !== null) out.push(cdr);
      }
    }
    return out;
  }

  /** Every CDR that started in [from, to), oldest first, at most `cap` (the backtest). */
  async rangeCdrs(from: Date, to: Date, cap: number): Promise<DetectionCdr[]> {
    const rows = await this.db
      .selectFrom('cdrs')
      .select([...CDR_COLUMNS, userAgentColumn(true)])
      .where('start_time', '>=', from)
      .where('start_time', '<', to)
      .orderBy('start_time')
      .orderBy('id')
      .limit(cap)
      .execute();
    return rows.map(toDetectionCdr).filter((c): c is DetectionCdr => c !== null);
  }

  /**
   * Start time of the oldest stored CDR (null for an empty store): how far back the baselines can look. One index
   * probe (`min` over the start_time index; on PostgreSQL per partition).
   */
  async oldestStart(): Promise<Date | null> {
    const row = await this.db
      .selectFrom('cdrs')
      .select((eb) => eb.fn.min('start_time').as('oldest'))
      .executeTakeFirst();
    return row?.oldest ?? null;
  }

  /** Per caller: attempts and answered calls in [from, to) (asr_collapse's baseline). */
  async callerBaselines(callers: readonly string[], from: Date, to: Date): Promise<Map<string, SubjectBaseline>> {
    const out = new Map<string, SubjectBaseline>();
    const hours = (to.getTime() - from.getTime()) / 3_600_000;
    for (const chunk of chunks(callers)) {
      const rows = await this.db
        .selectFrom('cdrs')
        .select((eb) => [
          'caller',
          eb.fn.countAll<number>().as('attempts'),
          sql<number>`count(*) filter (where status = 'completed')`.as('answered'),
          sql<number>`coalesce(sum(cost), 0)`.as('cost'),
        ])
        .where('caller', 'in', chunk)
        .where('start_time', '>=', from)
        .where('start_time', '<', to)
        .groupBy('caller')
        .execute();
      for (const row of rows) {
        if (row.caller === null) continue;
        out.set(row.caller, { attempts: row.attempts, answered: row.answered, cost: row.cost, hours, nightAttempts: 0, nightHours: 0 });
      }
    }
    return out;
  }

  /**
   * Per account, from the reports' hourly rollup `cdr_rollup_report_hourly` (never raw CDRs; answered = status completed): calls, answered, cost and the calls of night hours
   * ([nightStart, nightEnd) local hours in `timeZone`) in [from, to).
   */
  async accountBaselines(
    accounts: readonly string[],
    from: Date,
    to: Date,
    night: { timeZone: string; start: number; end: number },
  ): Promise<Map<string, SubjectBaseline>> {
    const out = new Map<string, SubjectBaseline>();
    const hours = (to.getTime() - from.getTime()) / 3_600_000;
    const nightHours = Math.round((hours / 24) * (night.end - night.start));
    const localHour = sql<number>`extract(hour from bucket at time zone ${night.timeZone})`;
    for (const chunk of chunks(accounts)) {
      const rows = await this.db
        .selectFrom('cdr_rollup_report_hourly')
        .select([
          'account',
          sql<number>`coalesce(sum(calls), 0)::float8`.as('attempts'),
          sql<number>`coalesce(sum(calls) filter (where status = 'completed'), 0)::float8`.as('answered'),
          sql<number>`coalesce(sum(cost_sum), 0)::float8`.as('cost'),
          sql<number>`coalesce(sum(calls) filter (where ${localHour} >= ${night.start} and ${localHour} < ${night.end}), 0)::float8`.as('night'),
        ])
        .where('account', 'in', chunk)
        .where('bucket', '>=', from)
        .where('bucket', '<', to)
        .groupBy('account')
        .execute();
      for (const row of rows) {
        if (row.account === null) continue;
        out.set(row.account, {
          attempts: row.attempts,
          answered: row.answered,
          cost: row.cost,
          hours,
          nightAttempts: row.night,
          nightHours,
        });
      }
    }
    return out;
  }

  /** Adds per-day source counts of new CDRs (source_change); idempotent per batch only with the runner's cursor. */
  async addAccountSources(counts: readonly AccountSourceCount[]): Promise<void> {
    for (let i = 0; i < counts.length; i += IN_CHUNK) {
      await this.db
        .insertInto('detection_account_sources')
        .values(counts.slice(i, i + IN_CHUNK).map((c) => ({ ...c })))
        .onConflict((oc) =>
          oc
            .columns(['account', 'day', 'kind', 'value'])
            .doUpdateSet({ calls: sql<number>`detection_account_sources.calls + excluded.calls` }),
        )
        .execute();
    }
  }

  /** Per account: calls per kind and value on the UTC days [fromDay, toDay) ('YYYY-MM-DD'). */
  async accountSources(accounts: readonly string[], fromDay: string, toDay: string): Promise<AccountSourceCount[]> {
    const out: AccountSourceCount[] = [];
    for (const chunk of chunks(accounts)) {
      const rows = await this.db
        .selectFrom('detection_account_sources')
        .select(['account', 'kind', 'value', sql<number>`sum(calls)::int`.as('calls')])
        .where('account', 'in', chunk)
        .where('day', '>=', fromDay)
        .where('day', '<', toDay)
        .groupBy(['account', 'kind', 'value'])
        .execute();
      for (const row of rows) out.push({ account: row.account, day: fromDay, kind: row.kind, value: row.value, calls: row.calls });
    }
    return out;
  }

  /** Drops source counts of days before `beforeDay` (older than any baseline). */
  async pruneAccountSources(beforeDay: string): Promise<void> {
    await this.db.deleteFrom('detection_account_sources').where('day', '<', beforeDay).execute();
  }

  /** Numbers with a `wangiri` finding last seen since `since` (wangiri_callback). */
  async wangiriSources(numbers: readonly string[], since: Date): Promise<Map<string, WangiriSource>> {
    const out = new Map<string, WangiriSource>();
    for (const chunk of chunks(numbers)) {
      const rows = await this.db
        .selectFrom('detection_findings')
        .select(['id', 'subject', 'score', 'first_seen'])
        .where('rule', '=', 'wangiri')
        .where('subject', 'in', chunk)
        .where('last_seen', '>=', since)
        .orderBy('first_seen')
        .execute();
      for (const row of rows) {
        const known = out.get(row.subject);
        const callees = Math.max(known?.callees ?? 0, row.score);
        out.set(row.subject, {
          findingId: known?.findingId ?? String(row.id),
          callees,
          firstSeen: known?.firstSeen ?? row.first_seen.getTime(),
        });
      }
    }
    return out;
  }

  async lists(kinds?: readonly DetectionListKind[]): Promise<DetectionListRow[]> {
    let query = this.db.selectFrom('detection_lists').selectAll();
    if (kinds !== undefined) query = query.where('kind', 'in', kinds);
    return query.orderBy('kind').orderBy('value').execute();
  }

  /** Rows of the lists that name one value. */
  async listEntriesFor(values: readonly string[]): Promise<DetectionListRow[]> {
    if (values.length === 0) return [];
    return this.db.selectFrom('detection_lists').selectAll().where('value', 'in', values).execute();
  }

  async addListEntry(entry: {
    kind: DetectionListKind;
    value: string;
    note: string | null;
    source?: 'user' | 'seed';
    userId: string | null;
    email: string | null;
  }): Promise<DetectionListRow> {
    const row = await this.db
      .insertInto('detection_lists')
      .values({
        kind: entry.kind,
        value: entry.value,
        note: entry.note,
        source: entry.source ?? 'user',
        created_by_user_id: entry.userId,
        created_by_email: entry.email,
      })
      .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet({ note: entry.note }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  /** Inserts the seed entries that are not there yet (never overwrites an admin's entry). */
  async seedListEntries(kind: DetectionListKind, entries: ReadonlyArray<{ value: string; note: string | null }>): Promise<number> {
    if (entries.length === 0) return 0;
    const result = await this.db
      .insertInto('detection_lists')
      .values(
        entries.map((e) => ({ kind, value: e.value, note: e.note, source: 'seed', created_by_user_id: null, created_by_email: null })),
      )
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async removeListEntry(kind: DetectionListKind, value: string): Promise<boolean> {
    const result = await this.db.deleteFrom('detection_lists').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async ruleSettings(): Promise<RuleSettingsRow[]> {
    const rows = await this.db.selectFrom('detection_rule_settings').selectAll().execute();
    return rows.map((r) => ({
      rule: r.rule,
      enabled: r.enabled,
      mode: r.mode === 'report_only' ? 'report_only' : 'active',
      window_seconds: r.window_seconds,
      warn: r.warn,
      crit: r.crit,
      min_sample: r.min_sample,
      cooldown_seconds: r.cooldown_seconds,
    }));
  }

  async saveRuleSettings(rule: string, settings: RuleSettings, email: string | null): Promise<void> {
    const values = { ...settings, updated_by_email: email };
    await this.db
      .insertInto('detection_rule_settings')
      .values({ rule, ...values })
      .onConflict((oc) => oc.column('rule').doUpdateSet({ ...values, updated_at: sql`now()` }))
      .execute();
  }

  /**
   * Inserts or updates the finding of rule × subject × window (idempotent) and replaces its CDR ids with the newest
   * MAX_FINDING_CDRS. Keeps an operator's status. Returns the stored row.
   */
  async upsertFinding(f: FindingUpsert): Promise<DetectionFindingRow> {
    const e = f.evaluation;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('detection_findings')
        .values({
          rule: f.rule,
          subject_type: f.subjectType,
          subject: f.subject,
          window_start: f.windowStart,
          window_end: f.windowEnd,
          level: e.level,
          score: e.score,
          reason_en: e.reason_en,
          reason_tr: e.reason_tr,
          evidence: toJsonb(e.evidence, 'evidence'),
          cdr_count: e.cdrIds.length,
          first_seen: new Date(e.firstSeen),
          last_seen: new Date(e.lastSeen),
          mode: f.mode,
        })
        .onConflict((oc) =>
          oc.columns(['rule', 'subject_type', 'subject', 'window_start']).doUpdateSet((eb) => ({
            level: eb.ref('excluded.level'),
            score: eb.ref('excluded.score'),
            reason_en: eb.ref('excluded.reason_en'),
            reason_tr: eb.ref('excluded.reason_tr'),
            evidence: eb.ref('excluded.evidence'),
            cdr_count: eb.ref('excluded.cdr_count'),
            first_seen: eb.ref('excluded.first_seen'),
            last_seen: eb.ref('excluded.last_seen'),
            mode: eb.ref('excluded.mode'),
            updated_at: sql`now()`,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      const ids = e.cdrIds.slice(-MAX_FINDING_CDRS);
      await trx.deleteFrom('detection_finding_cdrs').where('finding_id', '=', row.id).execute();
      if (ids.length > 0) {
        await trx
          .insertInto('detection_finding_cdrs')
          .values(ids.map((cdrId) => ({ cdr_id: cdrId, finding_id: row.id })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return row;
    });
  }

  /** The latest finding of rule × subject last seen at or after `since` (the cooldown's look-up), or null. */
  async recentFinding(rule: DetectionRuleId, subjectType: string, subject: string, since: Date): Promise<DetectionFindingRow | null> {
    const row = await this.db
      .selectFrom('detection_findings')
      .selectAll()
      .where('subject', '=', subject)
      .where('rule', '=', rule)
      .where('subject_type', '=', subjectType)
      .where('last_seen', '>=', since)
      .orderBy('last_seen', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Folds a newer hit into a stored finding (the cooldown, docs/detection.md#cooldown): the level becomes the higher
   * one; score, reason and evidence become the hit's unless it is of a lower level; first/last seen and the window
   * end widen; the hit's CDRs not yet kept are added (the newest MAX_FINDING_CDRS are kept) and counted in
   * `cdr_count`. Once a finding keeps its maximum of ids, only CDRs after its last seen count as new (a late CDR
   * older than that is not counted twice, nor at all). Keeps the operator's status and the published level.
   */
  async mergeIntoFinding(
    existing: DetectionFindingRow,
    merge: FindingMerge,
    atOf: ReadonlyMap<string, number>,
  ): Promise<DetectionFindingRow> {
    const e = merge.evaluation;
    const adopt = (LEVEL_RANK[e.level] ?? 0) >= (LEVEL_RANK[existing.level] ?? 0);
    return this.db.transaction().execute(async (trx) => {
      const kept = await trx
        .selectFrom('detection_finding_cdrs as f')
        .leftJoin('cdrs as c', 'c.id', 'f.cdr_id')
        .select(['f.cdr_id', 'c.start_time'])
        .where('f.finding_id', '=', existing.id)
        .execute();
      const keptIds = new Set(kept.map((k) => k.cdr_id));
      const full = keptIds.size >= MAX_FINDING_CDRS;
      const lastSeen = existing.last_seen.getTime();
      const added = e.cdrIds.filter((id) => !keptIds.has(id) && (!full || (atOf.get(id) ?? Number.NEGATIVE_INFINITY) > lastSeen));
      const timeOf = (id: string, start: Date | null): number => atOf.get(id) ?? start?.getTime() ?? Number.NEGATIVE_INFINITY;
      const union = [
        ...kept.map((k) => ({ id: k.cdr_id, at: timeOf(k.cdr_id, k.start_time) })),
        ...e.cdrIds.filter((id) => !keptIds.has(id)).map((id) => ({ id, at: atOf.get(id) ?? Number.NEGATIVE_INFINITY })),
      ].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const ids = union.slice(-MAX_FINDING_CDRS).map((u) => u.id);
      const row = await trx
        .updateTable('detection_findings')
        .set({
          ...(adopt
            ? { level: e.level, score: e.score, reason_en: e.reason_en, reason_tr: e.reason_tr, evidence: toJsonb(e.evidence, 'evidence') }
            : {}),
          cdr_count: existing.cdr_count + added.length,
          first_seen: new Date(Math.min(existing.first_seen.getTime(), e.firstSeen)),
          last_seen: new Date(Math.max(lastSeen, e.lastSeen)),
          window_end: new Date(Math.max(existing.window_end.getTime(), merge.windowEnd.getTime())),
          mode: merge.mode,
          updated_at: sql`now()`,
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const keep = new Set(ids);
      const drop = [...keptIds].filter((id) => !keep.has(id));
      if (drop.length > 0) {
        await trx.deleteFrom('detection_finding_cdrs').where('finding_id', '=', existing.id).where('cdr_id', 'in', drop).execute();
      }
      const insert = ids.filter((id) => !keptIds.has(id));
      if (insert.length > 0) {
        await trx
          .insertInto('detection_finding_cdrs')
          .values(insert.map((cdrId) => ({ cdr_id: cdrId, finding_id: existing.id })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return row;
    });
  }

  async markPublished(id: number, level: DetectionLevel): Promise<void> {
    await this.db.updateTable('detection_findings').set({ published_level: level }).where('id', '=', id).execute();
  }

  async listFindings(filter: FindingListFilter): Promise<DetectionFindingRow[]> {
    let query = this.db.selectFrom('detection_findings').selectAll();
    if (filter.rule !== undefined) query = query.where('rule', '=', filter.rule);
    if (filter.level !== undefined) query = query.where('level', '=', filter.level);
    if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.from !== undefined) query = query.where('last_seen', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('last_seen', '<', filter.to);
    const before = filter.before;
    if (before !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('last_seen', '<', before.lastSeen), eb.and([eb('last_seen', '=', before.lastSeen), eb('id', '<', before.id)])]),
      );
    }
    return query.orderBy('last_seen', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  async findingById(id: number): Promise<{ row: DetectionFindingRow; cdrIds: string[] } | null> {
    const row = await this.db.selectFrom('detection_findings').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    const ids = await this.db
      .selectFrom('detection_finding_cdrs')
      .select('cdr_id')
      .where('finding_id', '=', id)
      .orderBy('cdr_id')
      .execute();
    return { row, cdrIds: ids.map((r) => r.cdr_id) };
  }

  async setFindingStatus(id: number, status: FindingStatus): Promise<DetectionFindingRow | null> {
    const row = await this.db
      .updateTable('detection_findings')
      .set({ status, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Findings on these CDRs (one indexed probe per id). */
  async flagsForCdrs(cdrIds: readonly string[]): Promise<CdrFlagRow[]> {
    if (cdrIds.length === 0) return [];
    return this.db
      .selectFrom('detection_finding_cdrs as fc')
      .innerJoin('detection_findings as f', 'f.id', 'fc.finding_id')
      .select(['fc.cdr_id', 'f.id', 'f.rule', 'f.level', 'f.subject', 'f.reason_en', 'f.reason_tr', 'f.status'])
      .where('fc.cdr_id', 'in', cdrIds)
      .where('f.status', '!=', 'dismissed')
      .orderBy('fc.cdr_id')
      .orderBy('f.id')
      .execute();
  }
}

function subjectFilter(eb: ExpressionBuilder<Database, 'cdrs'>, load: RuleLoad, subjects: string[]): Expression<SqlBool> {
  switch (load) {
    case 'caller':
      return eb('caller', 'in', subjects);
    case 'callee':
      return eb('callee', 'in', subjects);
    case 'account':
    case 'account_sources':
      return eb('account', 'in', subjects);
    case 'account_rejects':
      // only the switch's internal rejects (negative result codes) of these accounts
      return eb.and([eb('account', 'in', subjects), eb('result', '<', 0)]);
    case 'number':
      return eb.or([eb('caller', 'in', subjects), eb('callee', 'in', subjects)]);
    case 'callee_prefix':
      // prefixes are digits only (validated), so they need no LIKE escaping
      return eb.or(subjects.flatMap((p) => [eb('callee', 'like', `${p}%`), eb('callee', 'like', `+${p}%`)]));
  }
}

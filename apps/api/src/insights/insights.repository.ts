import { Injectable } from '@nestjs/common';
import { INSIGHT_SEVERITIES, type InsightKind, type InsightSeverity } from '@velora/contracts';
import { sql } from 'kysely';
import { DatabaseService } from '../database/database.service';
import type { InsightNarrativeRow, InsightRow } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import type { Finding } from './insight-analysis';

/** One cell of the hourly totals rollup, summed over status and direction. */
export interface RollupCell {
  bucket: Date;
  /** '' = unknown destination. */
  country_code: string;
  /** '' = no currency. */
  currency: string;
  calls: number;
  answered: number;
  answered_duration_sum: number;
  answered_duration_count: number;
  billed_sum: number;
  cost_sum: number;
  cost_count: number;
}

export interface InsightListFilter {
  from: Date;
  to: Date;
  /** Lowest severity to include. */
  minSeverity?: InsightSeverity;
  kind?: InsightKind;
  limit: number;
}

export interface NarrativeRecord {
  day: string;
  timeZone: string;
  lang: string;
  text: string;
  source: string;
  model: string | null;
  note: string | null;
  facts: object;
}

/** In-lists are sent in chunks of this many values. */
const IN_CHUNK = 500;

/**
 * The only code that queries for insights: reads the hourly rollup (`cdr_rollup_hourly_totals`, never raw CDRs) and
 * writes/reads `insights` and `insight_narratives` (migration 0016).
 */
@Injectable()
export class InsightsRepository {
  constructor(private readonly database: DatabaseService) {}

  /** The first hour the rollup holds (the start of the stored history), or null when it is empty. */
  async historyStart(): Promise<Date | null> {
    const row = await this.database.db
      .selectFrom('cdr_rollup_hourly_totals')
      .select((eb) => eb.fn.min('bucket').as('first'))
      .executeTakeFirst();
    const first = row?.first as Date | string | null | undefined;
    return first === null || first === undefined ? null : new Date(first);
  }

  /** The rollup cells of the given UTC hour buckets, by destination and currency (index scans of the primary key). */
  async cellsAt(buckets: readonly Date[]): Promise<RollupCell[]> {
    const unique = [...new Set(buckets.map((b) => b.getTime()))].map((t) => new Date(t));
    const cells: RollupCell[] = [];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      const rows = await sql<RollupCell>`
        select bucket, country_code, currency, ${sums()}
        from cdr_rollup_hourly_totals
        where bucket in (${sql.join(chunk)})
        group by bucket, country_code, currency
        having sum(calls) > 0`.execute(this.database.db);
      cells.push(...rows.rows.map(normalizeCell));
    }
    return cells;
  }

  /** The rollup cells of [from, to), by hour, destination and currency (a local day for the narrative). */
  async cellsBetween(from: Date, to: Date): Promise<RollupCell[]> {
    const rows = await sql<RollupCell>`
      select bucket, country_code, currency, ${sums()}
      from cdr_rollup_hourly_totals
      where bucket >= ${from} and bucket < ${to}
      group by bucket, country_code, currency
      having sum(calls) > 0`.execute(this.database.db);
    return rows.rows.map(normalizeCell);
  }

  /**
   * Of `codes`, the destinations with calls in [from, to): one `exists` probe per destination on the
   * (country_code, bucket) index of the totals rollup (migration 0016), stopping at the first hour with calls.
   */
  async destinationsWithCalls(codes: readonly string[], from: Date, to: Date): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < codes.length; i += IN_CHUNK) {
      const chunk = codes.slice(i, i + IN_CHUNK);
      if (chunk.length === 0) continue;
      const rows = await sql<{ code: string }>`
        select c.code from (values ${sql.join(chunk.map((code) => sql`(${code}::text)`))}) as c(code)
        where exists (
          select 1 from cdr_rollup_hourly_totals t
          where t.country_code = c.code and t.bucket >= ${from} and t.bucket < ${to} and t.calls > 0
        )`.execute(this.database.db);
      for (const row of rows.rows) seen.add(row.code);
    }
    return seen;
  }

  /**
   * Stores findings, deduplicated by kind × subject × currency × hour: new ones are inserted and returned; existing
   * ones get the latest evidence (an hour re-analysed after late CDRs). Safe with several replicas: only the one
   * whose insert wins returns the row.
   */
  async saveFindings(findings: readonly Finding[], hours: readonly Date[]): Promise<InsightRow[]> {
    if (findings.length !== hours.length) throw new RangeError('one hour per finding');
    if (findings.length === 0) return [];
    return this.database.db.transaction().execute(async (trx) => {
      const inserted: InsightRow[] = [];
      for (let i = 0; i < findings.length; i += 1) {
        const values = findingValues(findings[i], hours[i]);
        const row = await trx
          .insertInto('insights')
          .values(values)
          .onConflict((oc) => oc.constraint('insights_subject_hour_uq').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (row !== undefined) {
          inserted.push(row);
          continue;
        }
        await trx
          .updateTable('insights')
          .set({
            severity: values.severity,
            observed: values.observed,
            expected: values.expected,
            band_low: values.band_low,
            band_high: values.band_high,
            score: values.score,
            evidence: values.evidence,
            updated_at: sql`now()`,
          })
          .where('kind', '=', values.kind)
          .where('subject_type', '=', values.subject_type)
          .where('subject', '=', values.subject)
          .where('currency', '=', values.currency)
          .where('hour', '=', values.hour)
          .where((eb) =>
            eb.or([
              eb('severity', '!=', values.severity),
              eb('observed', '!=', values.observed),
              sql<boolean>`evidence is distinct from ${values.evidence}::jsonb`,
            ]),
          )
          .execute();
      }
      return inserted;
    });
  }

  /** Insights whose hour is in [from, to), newest hour first, then the most severe. */
  async list(filter: InsightListFilter): Promise<InsightRow[]> {
    let query = this.database.db.selectFrom('insights').selectAll().where('hour', '>=', filter.from).where('hour', '<', filter.to);
    if (filter.minSeverity !== undefined) {
      query = query.where('severity', 'in', INSIGHT_SEVERITIES.slice(INSIGHT_SEVERITIES.indexOf(filter.minSeverity)));
    }
    if (filter.kind !== undefined) {
      query = query.where('kind', '=', filter.kind);
    }
    return query
      .orderBy('hour', 'desc')
      .orderBy(sql`case severity when 'critical' then 0 when 'warning' then 1 else 2 end`)
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  /** The most severe insights of [from, to) (critical first, then by score). */
  async mostSevere(from: Date, to: Date, limit: number): Promise<InsightRow[]> {
    return this.database.db
      .selectFrom('insights')
      .selectAll()
      .where('hour', '>=', from)
      .where('hour', '<', to)
      .orderBy(sql`case severity when 'critical' then 0 when 'warning' then 1 else 2 end`)
      .orderBy(sql`coalesce(score, 0)`, 'desc')
      .orderBy('hour')
      .limit(limit)
      .execute();
  }

  async findNarrative(day: string, timeZone: string, lang: string): Promise<InsightNarrativeRow | undefined> {
    return this.database.db
      .selectFrom('insight_narratives')
      .selectAll()
      .where('day', '=', day)
      .where('time_zone', '=', timeZone)
      .where('lang', '=', lang)
      .executeTakeFirst();
  }

  /** Creates or replaces the narrative of a day × zone × language. */
  async saveNarrative(record: NarrativeRecord): Promise<InsightNarrativeRow> {
    const values = {
      day: record.day,
      time_zone: record.timeZone,
      lang: record.lang,
      text: record.text,
      source: record.source,
      model: record.model,
      note: record.note,
      facts: toJsonb(record.facts, 'narrative facts'),
    };
    return this.database.db
      .insertInto('insight_narratives')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['day', 'time_zone', 'lang']).doUpdateSet({
          text: values.text,
          source: values.source,
          model: values.model,
          note: values.note,
          facts: values.facts,
          generated_at: sql`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}

function sums(): ReturnType<typeof sql.raw> {
  // sum(bigint) is numeric (a string from the drivers): cast back to bigint / float8
  return sql.raw(`sum(calls)::bigint as calls, sum(answered)::bigint as answered,
    sum(answered_duration_sum)::float8 as answered_duration_sum, sum(answered_duration_count)::bigint as answered_duration_count,
    sum(billed_sum)::bigint as billed_sum, sum(cost_sum)::float8 as cost_sum, sum(cost_count)::bigint as cost_count`);
}

function normalizeCell(row: RollupCell): RollupCell {
  return { ...row, bucket: new Date(row.bucket) };
}

function findingValues(finding: Finding, hour: Date) {
  return {
    kind: finding.kind,
    severity: finding.severity,
    subject_type: finding.subject.type,
    subject: finding.subject.countryCode ?? '',
    currency: finding.currency ?? '',
    hour,
    metric: finding.metric,
    observed: finding.observed,
    expected: finding.expected,
    band_low: finding.band?.low ?? null,
    band_high: finding.band?.high ?? null,
    score: finding.score,
    evidence: toJsonb(finding.evidence, 'insight evidence'),
  };
}

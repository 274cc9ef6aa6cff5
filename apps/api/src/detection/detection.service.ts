import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  DetectionBacktestResult,
  DetectionCdrFlag,
  DetectionFinding,
  DetectionFindingDetail,
  DetectionFindingPage,
  DetectionLevel,
  DetectionListKind,
  DetectionMode,
  DetectionNumberSummary,
  DetectionRuleId,
  DetectionSubjectType,
  FindingStatus,
} from '@velora/contracts';
import { AuditService } from '../auth/audit.service';
import { AppConfig } from '../config/app-config';
import type { DetectionFindingRow } from '../database/database.types';
import { DetectionRunner } from './detection-runner.service';
import { DetectionSettingsService, type RuleSettingsPatch } from './detection-settings.service';
import { canonicalNumber, DetectionListsService, toListEntry, type ActionContext } from './detection-lists.service';
import { DetectionRepository } from './detection.repository';
import type { WangiriSource } from './rules/detection-cdr';
import { evaluateAll, findRule, matchRiskPrefix } from './rules/detection-rules';

const DAY_MS = 86_400_000;

export interface FindingListQuery {
  rule?: DetectionRuleId;
  level?: DetectionLevel;
  subject?: string;
  status?: FindingStatus;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** Findings, actions, backtests and CDR badges (/api/detection). */
@Injectable()
export class DetectionService {
  constructor(
    private readonly repository: DetectionRepository,
    private readonly settings: DetectionSettingsService,
    private readonly lists: DetectionListsService,
    private readonly runner: DetectionRunner,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async findings(query: FindingListQuery): Promise<DetectionFindingPage> {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from !== undefined && to !== undefined && to <= from) throw new BadRequestException('to must be after from');
    let before: { lastSeen: Date; id: number } | undefined;
    if (query.cursor !== undefined) {
      const [ms, id] = query.cursor.split(':').map(Number);
      before = { lastSeen: new Date(ms), id };
    }
    const rows = await this.repository.listFindings({
      rule: query.rule,
      level: query.level,
      subject: query.subject,
      status: query.status,
      from,
      to,
      before,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toFinding),
      next_cursor: rows.length > query.limit ? `${String(last.last_seen.getTime())}:${String(last.id)}` : null,
    };
  }

  async finding(id: string): Promise<DetectionFindingDetail> {
    const found = await this.repository.findingById(Number(id));
    if (found === null) throw new NotFoundException(`id: no finding ${id}`);
    return { ...toFinding(found.row), cdr_ids: found.cdrIds };
  }

  async setStatus(id: string, status: FindingStatus, by: ActionContext): Promise<DetectionFinding> {
    const row = await this.repository.setFindingStatus(Number(id), status);
    if (row === null) throw new NotFoundException(`id: no finding ${id}`);
    await this.audit.record({
      action: 'detection.finding_status_changed',
      actor: by.actor,
      target: id,
      ip: by.ip,
      details: { status, rule: row.rule, subject: row.subject },
    });
    return toFinding(row);
  }

  async updateRule(rule: string, patch: RuleSettingsPatch, by: ActionContext) {
    const saved = await this.settings.save(rule, patch, by.actor.email);
    await this.audit.record({
      action: 'detection.rule_updated',
      actor: by.actor,
      target: rule,
      ip: by.ip,
      details: { before: saved.before, after: { ...patch } },
    });
    return saved.rule;
  }

  /** Replays a rule with changed settings over stored CDRs; stores nothing and publishes nothing. */
  async backtest(ruleId: DetectionRuleId, fromIso: string, toIso: string, patch: RuleSettingsPatch): Promise<DetectionBacktestResult> {
    const from = new Date(fromIso);
    const to = new Date(toIso);
    if (to <= from) throw new BadRequestException('to must be after from');
    const maxDays = this.config.detection.backtestMaxDays;
    if (to.getTime() - from.getTime() > maxDays * DAY_MS)
      throw new BadRequestException(`to must be at most ${String(maxDays)} days after from`);
    const { rule, settings } = await this.settings.merged(ruleId, patch);
    const cap = this.config.detection.backtestMaxCdrs;
    const cdrs = await this.repository.rangeCdrs(from, to, cap + 1);
    const truncated = cdrs.length > cap;
    const used = truncated ? cdrs.slice(0, cap) : cdrs;
    let ctx = await this.lists.context(this.config.detection.timeZone);
    if (rule.baseline !== null) {
      const subjects = [...new Set(used.map((c) => rule.subjectOf(c, ctx)).filter((s): s is string => s !== null))];
      ctx = { ...ctx, ...(await this.runner.baselines(rule, subjects, from.getTime())) };
    }
    if (rule.load === 'account_sources') {
      const subjects = [...new Set(used.map((c) => rule.subjectOf(c, ctx)).filter((s): s is string => s !== null))];
      ctx = { ...ctx, ...(await this.runner.sourceContext(subjects, from.getTime())) };
    }
    if (rule.id === 'wangiri_callback') {
      // the Wangiri numbers of the same range, with the wangiri rule's settings in force
      const wangiri = findRule('wangiri');
      const current = (await this.settings.all()).get('wangiri');
      const sources = new Map<string, WangiriSource>();
      if (wangiri !== undefined && current !== undefined) {
        for (const hit of evaluateAll(wangiri, used, current.settings, ctx)) {
          const known = sources.get(hit.subject);
          if (known === undefined)
            sources.set(hit.subject, { findingId: 'backtest', callees: hit.evaluation.score, firstSeen: hit.evaluation.firstSeen });
        }
      }
      ctx = { ...ctx, wangiriSources: sources };
    }
    const hits = evaluateAll(rule, used, settings, ctx);
    return {
      rule: rule.id,
      from: from.toISOString(),
      to: to.toISOString(),
      settings,
      cdrs: used.length,
      truncated,
      findings: hits.slice(0, 500).map((h) => ({
        subject_type: rule.subjectType,
        subject: h.subject,
        window_start: new Date(h.windowStart).toISOString(),
        window_end: new Date(h.windowEnd).toISOString(),
        level: h.evaluation.level,
        score: h.evaluation.score,
        reason_en: h.evaluation.reason_en,
        reason_tr: h.evaluation.reason_tr,
        cdr_count: h.evaluation.cdrIds.length,
      })),
      counts: {
        warn: hits.filter((h) => h.evaluation.level === 'warn').length,
        crit: hits.filter((h) => h.evaluation.level === 'crit').length,
        subjects: new Set(hits.map((h) => h.subject)).size,
      },
    };
  }

  async cdrFlags(ids: readonly string[]): Promise<DetectionCdrFlag[]> {
    const rows = await this.repository.flagsForCdrs([...new Set(ids)]);
    const byCdr = new Map<string, DetectionCdrFlag>();
    for (const row of rows) {
      const level = row.level as DetectionLevel;
      const flag = byCdr.get(row.cdr_id) ?? { cdr_id: row.cdr_id, level, findings: [] };
      if (level === 'crit') flag.level = 'crit';
      flag.findings.push({
        id: String(row.id),
        rule: row.rule as DetectionRuleId,
        level,
        subject: row.subject,
        reason_en: row.reason_en,
        reason_tr: row.reason_tr,
        status: row.status as FindingStatus,
      });
      byCdr.set(row.cdr_id, flag);
    }
    return [...byCdr.values()];
  }

  async numberSummary(number: string): Promise<DetectionNumberSummary> {
    const canonical = canonicalNumber(number);
    const entries = await this.repository.listEntriesFor([canonical]);
    const prefixes = (await this.repository.lists(['block_prefix', 'high_risk_prefix'])).filter(
      (row) => matchRiskPrefix(canonical, [{ prefix: row.value, label: row.note, kind: 'high_risk_prefix' }]) !== null,
    );
    const findings = [
      ...(await this.repository.listFindings({ subject: canonical, limit: 100 })),
      ...(canonical === number ? [] : await this.repository.listFindings({ subject: number, limit: 100 })),
    ];
    return {
      number: canonical,
      allow_listed: entries.some((e) => e.kind === 'allow_number'),
      spam_marked: entries.some((e) => e.kind === 'spam_number'),
      matching_prefixes: prefixes.map(toListEntry),
      findings: findings.map(toFinding),
    };
  }

  addToList(kind: DetectionListKind, value: string, note: string | undefined, by: ActionContext) {
    return this.lists.add(kind, value, note ?? null, by);
  }
}

export function toFinding(row: DetectionFindingRow): DetectionFinding {
  return {
    id: String(row.id),
    rule: row.rule as DetectionRuleId,
    subject_type: row.subject_type as DetectionSubjectType,
    subject: row.subject,
    window_start: row.window_start.toISOString(),
    window_end: row.window_end.toISOString(),
    level: row.level as DetectionLevel,
    score: row.score,
    reason_en: row.reason_en,
    reason_tr: row.reason_tr,
    evidence: row.evidence,
    cdr_count: row.cdr_count,
    first_seen: row.first_seen.toISOString(),
    last_seen: row.last_seen.toISOString(),
    status: row.status as FindingStatus,
    mode: row.mode as DetectionMode,
  };
}

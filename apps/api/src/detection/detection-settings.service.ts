import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DETECTION_RULES, type DetectionRule, type DetectionRuleId, type DetectionRuleThresholds } from '@velora/contracts';
import { DetectionRepository } from './detection.repository';
import { findRule, RULES, type RuleDefinition } from './rules/detection-rules';
import type { RuleSettings } from './rules/detection-cdr';

/** A settings change (every field optional: the rest stays as it is). */
export type RuleSettingsPatch = Partial<DetectionRuleThresholds>;

/** The rule settings in force: the defaults in code, overridden by what an admin saved. */
@Injectable()
export class DetectionSettingsService {
  constructor(private readonly repository: DetectionRepository) {}

  /** Every rule's settings in force (read on every run, so a change made on another replica applies at once). */
  async all(): Promise<Map<DetectionRuleId, { rule: RuleDefinition; settings: RuleSettings; customized: boolean }>> {
    const saved = new Map((await this.repository.ruleSettings()).map((r) => [r.rule, r]));
    const out = new Map<DetectionRuleId, { rule: RuleDefinition; settings: RuleSettings; customized: boolean }>();
    for (const rule of RULES) {
      const row = saved.get(rule.id);
      const settings: RuleSettings =
        row === undefined
          ? { ...rule.defaults }
          : {
              enabled: row.enabled,
              mode: row.mode,
              window_seconds: row.window_seconds,
              warn: row.warn,
              crit: row.crit,
              min_sample: row.min_sample,
              cooldown_seconds: row.cooldown_seconds ?? rule.defaults.cooldown_seconds,
            };
      out.set(rule.id, { rule, settings, customized: row !== undefined });
    }
    return out;
  }

  async list(): Promise<DetectionRule[]> {
    const all = await this.all();
    return [...all.values()].map(({ rule, settings, customized }) => toContract(rule, settings, customized));
  }

  /** The rule or a 404 naming it. */
  rule(id: string): RuleDefinition {
    const rule = findRule(id);
    if (rule === undefined) {
      throw new NotFoundException(`rule: unknown rule ${JSON.stringify(id)} (one of ${DETECTION_RULES.join(', ')})`);
    }
    return rule;
  }

  /** The rule's settings in force merged with `patch`, validated against the rule's limits (400 naming the field). */
  async merged(id: string, patch: RuleSettingsPatch): Promise<{ rule: RuleDefinition; settings: RuleSettings }> {
    const rule = this.rule(id);
    const current = (await this.all()).get(rule.id)?.settings ?? rule.defaults;
    const settings: RuleSettings = { ...current, ...stripUndefined(patch) };
    validate(rule, settings);
    return { rule, settings };
  }

  async save(id: string, patch: RuleSettingsPatch, email: string | null): Promise<{ rule: DetectionRule; before: RuleSettings }> {
    const rule = this.rule(id);
    const before = (await this.all()).get(rule.id)?.settings ?? rule.defaults;
    const { settings } = await this.merged(id, patch);
    await this.repository.saveRuleSettings(rule.id, settings, email);
    return { rule: toContract(rule, settings, true), before };
  }
}

function stripUndefined(patch: RuleSettingsPatch): RuleSettingsPatch {
  const entries: Array<[string, unknown]> = Object.entries(patch);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/** 400 naming the first field outside the rule's limits, or crit below warn. */
export function validate(rule: RuleDefinition, settings: RuleSettings): void {
  for (const key of ['window_seconds', 'warn', 'crit', 'min_sample', 'cooldown_seconds'] as const) {
    const { min, max } = rule.limits[key];
    const value = settings[key];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new BadRequestException(`${key} must be between ${String(min)} and ${String(max)} for rule ${rule.id}`);
    }
  }
  if (!Number.isInteger(settings.window_seconds)) throw new BadRequestException('window_seconds must be an integer');
  if (!Number.isInteger(settings.min_sample)) throw new BadRequestException('min_sample must be an integer');
  if (!Number.isInteger(settings.cooldown_seconds)) throw new BadRequestException('cooldown_seconds must be an integer');
  if (settings.crit < settings.warn) throw new BadRequestException('crit must not be below warn');
}

function toContract(rule: RuleDefinition, settings: RuleSettings, customized: boolean): DetectionRule {
  return {
    rule: rule.id,
    subject_type: rule.subjectType,
    unit: rule.unit,
    description_en: rule.description_en,
    description_tr: rule.description_tr,
    ...settings,
    defaults: { ...rule.defaults },
    limits: rule.limits,
    customized,
  };
}

import { Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import type { DetectionListEntry, DetectionListKind } from '@velora/contracts';
import { AuditService, type AuditAction } from '../auth/audit.service';
import type { AuthContext } from '../auth/auth.types';
import type { DetectionListRow } from '../database/database.types';
import { SyncStateRepository } from '../sync/sync-state.repository';
import { DetectionRepository } from './detection.repository';
import { HIGH_RISK_PREFIX_SEED } from './high-risk-prefixes';
import { emptyContext, type RiskPrefix, type RuleContext } from './rules/detection-cdr';

/** sync_state key of the version of data/high-risk-prefixes.json seeded last. */
export const PREFIX_SEED_STATE_KEY = 'detection.high-risk-prefixes';

export interface ActionContext {
  actor: Pick<AuthContext, 'userId' | 'email'>;
  ip: string | null;
}

const ADD_ACTIONS: Readonly<Record<DetectionListKind, AuditAction>> = {
  allow_number: 'detection.number_allow_listed',
  spam_number: 'detection.number_marked_spam',
  block_prefix: 'detection.prefix_block_listed',
  high_risk_prefix: 'detection.prefix_block_listed',
};

/** A number as stored on the lists: without the leading '+' (the rules match both forms). */
export function canonicalNumber(number: string): string {
  return number.trim().replace(/^\+/, '');
}

/**
 * The operator lists (allow-listed and spam-marked numbers, block-listed and high-risk prefixes): the rules' context,
 * the audited admin actions, and the seeding of the high-risk prefixes from the repository's data file (when the
 * file's version is newer than the one seeded last, so an admin's deletion survives restarts).
 */
@Injectable()
export class DetectionListsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DetectionListsService.name);

  constructor(
    private readonly repository: DetectionRepository,
    private readonly states: SyncStateRepository,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.seed();
    } catch (error: unknown) {
      this.logger.warn(`could not seed the high-risk prefixes: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async seed(): Promise<number> {
    const seeded = await this.states.get<{ version: number }>(PREFIX_SEED_STATE_KEY);
    if (seeded !== null && seeded.version >= HIGH_RISK_PREFIX_SEED.version) return 0;
    const inserted = await this.repository.seedListEntries(
      'high_risk_prefix',
      HIGH_RISK_PREFIX_SEED.prefixes.map((p) => ({ value: p.prefix, note: p.label })),
    );
    await this.states.save(PREFIX_SEED_STATE_KEY, { version: HIGH_RISK_PREFIX_SEED.version });
    this.logger.log(`seeded ${String(inserted)} high-risk prefixes (list version ${String(HIGH_RISK_PREFIX_SEED.version)})`);
    return inserted;
  }

  /** The lists as the rules read them. */
  async context(timeZone: string): Promise<RuleContext> {
    const rows = await this.repository.lists();
    const allowNumbers = new Set<string>();
    const spamNumbers = new Set<string>();
    const riskPrefixes: RiskPrefix[] = [];
    for (const row of rows) {
      switch (row.kind) {
        case 'allow_number':
          allowNumbers.add(row.value).add(`+${row.value}`);
          break;
        case 'spam_number':
          spamNumbers.add(row.value).add(`+${row.value}`);
          break;
        case 'block_prefix':
        case 'high_risk_prefix':
          riskPrefixes.push({ prefix: row.value, label: row.note, kind: row.kind });
          break;
      }
    }
    // a prefix on both lists counts as block-listed
    const blocked = new Set(riskPrefixes.filter((p) => p.kind === 'block_prefix').map((p) => p.prefix));
    return emptyContext({
      allowNumbers,
      spamNumbers,
      riskPrefixes: riskPrefixes.filter((p) => p.kind === 'block_prefix' || !blocked.has(p.prefix)),
      timeZone,
    });
  }

  async list(kind?: DetectionListKind): Promise<DetectionListEntry[]> {
    const rows = await this.repository.lists(kind === undefined ? undefined : [kind]);
    return rows.map(toListEntry);
  }

  async add(kind: DetectionListKind, value: string, note: string | null, by: ActionContext): Promise<DetectionListEntry> {
    const stored = kind === 'allow_number' || kind === 'spam_number' ? canonicalNumber(value) : value.trim();
    const row = await this.repository.addListEntry({ kind, value: stored, note, userId: by.actor.userId, email: by.actor.email });
    await this.audit.record({ action: ADD_ACTIONS[kind], actor: by.actor, target: stored, ip: by.ip, details: { kind, note } });
    return toListEntry(row);
  }

  async remove(kind: DetectionListKind, value: string, by: ActionContext): Promise<void> {
    const stored = kind === 'allow_number' || kind === 'spam_number' ? canonicalNumber(value) : value.trim();
    if (!(await this.repository.removeListEntry(kind, stored))) {
      throw new NotFoundException(`value: ${stored} is not on the ${kind} list`);
    }
    await this.audit.record({ action: 'detection.list_entry_removed', actor: by.actor, target: stored, ip: by.ip, details: { kind } });
  }
}

export function toListEntry(row: DetectionListRow): DetectionListEntry {
  return {
    kind: row.kind as DetectionListKind,
    value: row.value,
    note: row.note,
    source: row.source === 'seed' ? 'seed' : 'user',
    created_by_email: row.created_by_email,
    created_at: row.created_at.toISOString(),
  };
}

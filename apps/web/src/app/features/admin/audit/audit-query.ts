import type { ParamMap, Params } from '@angular/router';
import type { AuditEntry, AuditListQuery } from '../../../core/api/api.models';
import { QueryParamReader, pageRequest, setFilters, viewQueryParams } from '../../../shared/url-query/url-query';
import { AUDIT_ACTIONS, type AuditAction } from '@velora/contracts';

export const AUDIT_PAGE_SIZE_OPTIONS = [25, 50, 100] as const;
export const AUDIT_DEFAULT_PAGE_SIZE = 50;

/** An action (`auth.login_failed`) or a category prefix (`auth.`), as the API accepts. */
export const AUDIT_ACTION_FILTER = /^[a-z_]+\.([a-z_]+)?$/;
/** `YYYY-MM-DDTHH:mm`, the value of `<input type="datetime-local">` (minutes). */
const LOCAL_MINUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const MAX_TEXT = 320;
const IP_FILTER = /^[0-9A-Fa-f.:]{1,45}$/;

/**
 * What the audit page shows, kept in the URL query so a view can be shared and survives a reload:
 * `/admin/audit?action=auth.login_failed&actor=admin&target=…&ip=203.0.113.&from=2026-11-25T09:00&to=2026-11-25T18:30&page=2&size=100`.
 * `from`/`to` are local date-times to the minute (the browser's time zone), both inclusive: `to`
 * covers its whole minute. Invalid values are dropped.
 */
export interface AuditViewQuery {
  readonly action: string | null;
  readonly actor: string | null;
  readonly target: string | null;
  readonly ip: string | null;
  readonly from: string | null;
  readonly to: string | null;
  /** 1-based. */
  readonly page: number;
  readonly size: number;
}

/** The filters of a view, in URL order. */
const AUDIT_FILTER_KEYS = ['action', 'actor', 'target', 'ip', 'from', 'to'] as const;

export type AuditFilters = Pick<AuditViewQuery, (typeof AUDIT_FILTER_KEYS)[number]>;

export const EMPTY_AUDIT_QUERY: AuditViewQuery = {
  action: null,
  actor: null,
  target: null,
  ip: null,
  from: null,
  to: null,
  page: 1,
  size: AUDIT_DEFAULT_PAGE_SIZE,
};

export function parseAuditQuery(params: ParamMap): AuditViewQuery {
  const read = new QueryParamReader(params);
  const minute = (value: string): boolean => parseLocalMinute(value) !== null;
  return {
    action: read.valid('action', (value) => AUDIT_ACTION_FILTER.test(value)),
    actor: read.text('actor', MAX_TEXT),
    target: read.text('target', MAX_TEXT),
    ip: read.text('ip', MAX_TEXT, (value) => IP_FILTER.test(value)),
    from: read.valid('from', minute),
    to: read.valid('to', minute),
    ...read.paging(AUDIT_PAGE_SIZE_OPTIONS, AUDIT_DEFAULT_PAGE_SIZE),
  };
}

/** Router query params for a view; defaults are left out so URLs stay short. */
export function toAuditQueryParams(query: AuditViewQuery): Params {
  return viewQueryParams(query, AUDIT_FILTER_KEYS, AUDIT_DEFAULT_PAGE_SIZE);
}

/** The API request: local minutes become instants, `to` the last millisecond of its minute. */
export function toAuditListQuery(query: AuditViewQuery): AuditListQuery {
  const from = query.from === null ? null : parseLocalMinute(query.from);
  const toMinute = query.to === null ? null : parseLocalMinute(query.to);
  const to = toMinute === null ? null : new Date(toMinute.getTime() + 59_999);
  return {
    ...pageRequest(query),
    ...setFilters({
      action: query.action,
      actor: query.actor,
      target: query.target,
      ip: query.ip,
      from: from?.toISOString(),
      to: to?.toISOString(),
    }),
  };
}

/** `YYYY-MM-DDTHH:mm` → that local minute, or null if it is not a real date-time. */
export function parseLocalMinute(value: string): Date | null {
  const match = LOCAL_MINUTE.exec(value);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && date.getHours() === h && date.getMinutes() === mi
    ? date
    : null;
}

/** Key=value pairs of an entry's details, for one table cell (`reason=unknown_email · ok=false`). */
export function compactDetails(details: Readonly<Record<string, unknown>>, maxLength = 120): string {
  const text = Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** Translation keys of the actions the API writes, by category and name (`auth` → `login_failed`). */
const AUDIT_ACTION_LABELS = {
  auth: {
    login: 'audit.action.login',
    login_failed: 'audit.action.login_failed',
    logout: 'audit.action.logout',
    password_changed: 'audit.action.password_changed',
    token_created: 'audit.action.token_created',
    token_revoked: 'audit.action.token_revoked',
  },
  user: {
    created: 'audit.action.user_created',
    updated: 'audit.action.user_updated',
    deleted: 'audit.action.user_deleted',
    sso_unlinked: 'audit.action.user_sso_unlinked',
  },
  sippy: {
    test_connection: 'audit.action.test_connection',
    reconcile: 'audit.action.reconcile',
  },
  issabel: {
    test_connection: 'audit.action.test_connection',
  },
  elevenlabs: {
    test_connection: 'audit.action.test_connection',
  },
  integration: {
    settings_saved: 'audit.action.settings_saved',
    settings_cleared: 'audit.action.settings_cleared',
  },
  notifications: {
    test_channel: 'audit.action.test_channel',
  },
  cdrs: {
    export: 'audit.action.cdrs_export',
  },
  reports: {
    export: 'audit.action.reports_export',
  },
  privacy: {
    settings_saved: 'audit.action.privacy_settings_saved',
    number_revealed: 'audit.action.number_revealed',
    reveal_refused: 'audit.action.reveal_refused',
  },
  detection: {
    rule_updated: 'audit.action.detection_rule_updated',
    number_marked_spam: 'audit.action.detection_number_marked_spam',
    number_allow_listed: 'audit.action.detection_number_allow_listed',
    prefix_block_listed: 'audit.action.detection_prefix_block_listed',
    list_entry_removed: 'audit.action.detection_list_entry_removed',
    finding_status_changed: 'audit.action.detection_finding_status_changed',
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, string>>>>;

type Labels = typeof AUDIT_ACTION_LABELS;
type LabelledAction = { [C in keyof Labels]: `${C}.${keyof Labels[C] & string}` }[keyof Labels];
/** Compile-time check against the API's own list (`AUDIT_ACTIONS`): no action without a label, no stray label. */
const _LABELS_MATCH_THE_API: [Exclude<AuditAction, LabelledAction>, Exclude<LabelledAction, AuditAction>] extends [never, never]
  ? true
  : never = true;

/** Every action the API writes (`auth.login`, …), sorted. */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = [...AUDIT_ACTIONS].sort();

/** The translation key of a known action (`auth.login` → `audit.action.login`); null: show it as stored. */
export function auditActionLabelKey(action: string): string | null {
  const dot = action.indexOf('.');
  if (dot < 0) return null;
  const labels: Readonly<Record<string, Readonly<Record<string, string>>>> = AUDIT_ACTION_LABELS;
  const category = action.slice(0, dot);
  const names = Object.hasOwn(labels, category) ? labels[category] : undefined;
  const name = action.slice(dot + 1);
  return names !== undefined && Object.hasOwn(names, name) ? (names[name] ?? null) : null;
}

/** Known categories (the part before the dot) → translation keys; null: show it as stored. */
export function auditCategoryLabelKey(category: string): string | null {
  return Object.hasOwn(CATEGORY_LABELS, category) ? (CATEGORY_LABELS[category] ?? null) : null;
}

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  auth: 'audit.category.auth',
  user: 'audit.category.user',
  sippy: 'audit.category.sippy',
  issabel: 'audit.category.issabel',
  elevenlabs: 'audit.category.elevenlabs',
  integration: 'audit.category.integration',
  notifications: 'audit.category.notifications',
  cdrs: 'audit.category.cdrs',
  reports: 'audit.category.reports',
  privacy: 'audit.category.privacy',
  detection: 'audit.category.detection',
};

export interface AuditActionGroup {
  /** `auth` */
  readonly category: string;
  /** `auth.`: the prefix filter for the whole category. */
  readonly prefix: string;
  readonly actions: readonly string[];
}

/** Groups action names by category for the filter select (categories and actions keep their order). */
export function groupActions(actions: readonly string[]): AuditActionGroup[] {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const category = action.slice(0, action.indexOf('.'));
    if (category === '' || !AUDIT_ACTION_FILTER.test(action)) continue;
    groups.set(category, [...(groups.get(category) ?? []), action]);
  }
  return [...groups].map(([category, list]) => ({ category, prefix: `${category}.`, actions: list }));
}

/**
 * Who an entry's actor is: a signed-in `user`, Velora itself (`system`: work it did on a schedule, e.g. the nightly
 * reconciliation, whose entry says `trigger: "nightly"`), or `anonymous` (a failed login, an SSO callback).
 */
export function auditActorKind(entry: Pick<AuditEntry, 'actor_email' | 'details'>): 'user' | 'system' | 'anonymous' {
  if (entry.actor_email !== null) return 'user';
  const trigger = entry.details['trigger'];
  return typeof trigger === 'string' && trigger !== 'manual' ? 'system' : 'anonymous';
}

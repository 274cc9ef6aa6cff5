import { readFileSync, readdirSync, statSync } from 'node:fs';
import {
  DETECTION_LEVELS,
  DETECTION_MODES,
  DETECTION_RULES,
  DETECTION_SUBJECT_TYPES,
  FINDING_STATUSES,
  INSIGHT_KINDS,
  INSIGHT_SEVERITIES,
} from '@velora/contracts';
import { join } from 'node:path';
import { SETTING_SOURCES, SIPPY_CDR_TYPE_NAMES } from '@velora/contracts';
import { CDR_DIRECTION_VALUES, CDR_STATUS_VALUES, type SippyFailureCause } from '../api/api.models';
import type { ApiErrorKind } from '../http/api-error';
import { KNOWN_HEALTH_CAUSES } from '../../features/integrations/integration-card/integration-card.component';
import { TTS_FORMAT_GROUPS, TTS_MODELS } from '../../features/tts/tts-formats';
import { DAY_STATUSES } from '../../features/reports/completeness/completeness';
import { RECONCILE_STATUSES } from '@velora/contracts';
import en from '../../../../public/i18n/en.json';
import tr from '../../../../public/i18n/tr.json';
import { CDR_FIELDS } from '@velora/sippy/cdr-model';
import { EXPORT_FORMATS } from '@velora/contracts';
import { CDR_DETAIL_GROUPS } from '../../features/voip-crm/cdr-detail/cdr-detail-sheet.component';
import { ALL_LIVE_COLUMNS } from '../../features/voip-crm/cdr-query';
import { columnLabelKey } from '../../features/voip-crm/column-picker/column-picker.component';

type Tree = { [key: string]: string | Tree };

function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

function lookup(tree: Tree, key: string): string | Tree | undefined {
  return key
    .split('.')
    .reduce<string | Tree | undefined>((node, part) => (node !== undefined && typeof node === 'object' ? node[part] : undefined), tree);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(html|ts)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

const trTree = tr as Tree;
const enTree = en as Tree;
const appDir = join(__dirname, '..', '..');
const namespaces = Object.keys(trTree).join('|');
// Keys are single-quoted string literals, in templates (`{{ 'live.title' | transloco }}`) and in code.
const literalKey = new RegExp(`'((?:${namespaces})(?:\\.[A-Za-z_]+)+)'`, 'g');
const dynamicPrefix = new RegExp(`'((?:${namespaces})(?:\\.[A-Za-z_]+)*\\.)'\\s*\\+`, 'g');

describe('translations', () => {
  it('tr and en have exactly the same keys', () => {
    const trKeys = leafKeys(trTree).sort();
    const enKeys = leafKeys(enTree).sort();
    expect(trKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !trKeys.includes(k))).toEqual([]);
  });

  it('has no empty translation and the same {{params}} in both languages', () => {
    for (const key of leafKeys(trTree)) {
      const trText = lookup(trTree, key) as string;
      const enText = lookup(enTree, key) as string;
      expect([key, trText.trim().length > 0, enText.trim().length > 0]).toEqual([key, true, true]);
      const params = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      expect([key, params(trText)]).toEqual([key, params(enText)]);
    }
  });

  it('knows every literal key used in templates and code', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(appDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(literalKey)) {
        used.add(match[1]);
      }
    }
    expect(used.size).toBeGreaterThan(80); // the scan itself works
    const missing = [...used].filter((key) => typeof lookup(trTree, key) !== 'string');
    expect(missing).toEqual([]);
  });

  it('has every prefix used for computed keys', () => {
    const prefixes = new Set<string>();
    for (const file of sourceFiles(appDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(dynamicPrefix)) {
        prefixes.add(match[1].slice(0, -1));
      }
    }
    expect(prefixes).toEqual(
      new Set([
        'cdr.status',
        'cdr.direction',
        'summary',
        'integrations',
        'integrations.state',
        'integrations.modes',
        'integrations.cause',
        'integrations.issabel.availability',
        'integrations.issabel.peers',
        'insights.severity',
        'insights.kind',
        'completeness.status',
        'completeness.hourStatus',
        'completeness.runResult',
        'settings.cdrTypes',
        'settings.source',
        'notifications.level',
        'notifications.channels.name',
        'export.format',
        'cdr.fields',
        'detection.rule',
        'detection.level',
        'detection.status',
        'detection.mode',
        'detection.subjectType',
        'detection.rules.field',
      ]),
    );
    for (const prefix of prefixes) {
      expect([prefix, typeof lookup(trTree, prefix)]).toEqual([prefix, 'object']);
    }
  });

  it('translates every value a computed key can take', () => {
    const causes: SippyFailureCause[] = [
      'auth',
      'tls',
      'timeout',
      'unreachable',
      'http',
      'fault',
      'malformed',
      'too_large',
      'config',
      'not_configured',
    ];
    const errorKinds: ApiErrorKind[] = [
      'network',
      'bad_request',
      'not_found',
      'upstream',
      'timeout',
      'unavailable',
      'server',
      'unexpected',
    ];
    const keys = [
      ...CDR_STATUS_VALUES.map((s) => `cdr.status.${s}`),
      ...CDR_DIRECTION_VALUES.map((d) => `cdr.direction.${d}`),
      ...causes.map((c) => `integrations.cause.${c}`),
      ...errorKinds.map((k) => `errors.${k}`),
      ...['up', 'down', 'not_configured', 'not_available', 'unreachable', 'checking'].map((s) => `integrations.state.${s}`),
      ...['live', 'simulator', 'unconfigured'].map((m) => `integrations.modes.${m}`),
      ...['sippy', 'issabel', 'elevenlabs'].flatMap((i) => [`integrations.${i}.name`, `integrations.${i}.description`]),
      ...['calls', 'answered', 'avgDuration', 'cost'].map((m) => `summary.${m}`),
      ...KNOWN_HEALTH_CAUSES.map((c) => `integrations.cause.${c}`),
      'integrations.cause.api_key',
      'integrations.cause.other',
      ...['ok', 'permission_denied', 'not_available'].map((a) => `integrations.issabel.availability.${a}`),
      ...['sip', 'pjsip'].map((t) => `integrations.issabel.peers.${t}`),
      ...TTS_FORMAT_GROUPS.map((g) => g.labelKey),
      ...TTS_MODELS.map((m) => m.labelKey),
      ...INSIGHT_SEVERITIES.map((s) => `insights.severity.${s}`),
      ...INSIGHT_KINDS.map((k) => `insights.kind.${k}`),
      ...DAY_STATUSES.map((s) => `completeness.status.${s}`),
      ...[...RECONCILE_STATUSES, 'unchecked'].map((s) => `completeness.hourStatus.${s}`),
      ...RECONCILE_STATUSES.map((s) => `completeness.runResult.${s}`),
      ...SIPPY_CDR_TYPE_NAMES.map((t) => `settings.cdrTypes.${t}`),
      ...SETTING_SOURCES.map((s) => `settings.source.${s}`),
      ...['info', 'warn', 'crit'].map((l) => `notifications.level.${l}`),
      ...['webhook', 'email', 'telegram'].map((c) => `notifications.channels.name.${c}`),
      ...EXPORT_FORMATS.map((f) => `export.format.${f}`),
      ...[...CDR_FIELDS, ...CDR_DETAIL_GROUPS.flatMap((g) => g.fields.map((f) => f.key))].map((f) => `cdr.fields.${f}`),
      ...ALL_LIVE_COLUMNS.map((c) => columnLabelKey(c)),
      ...DETECTION_RULES.map((r) => `detection.rule.${r}`),
      ...DETECTION_LEVELS.map((l) => `detection.level.${l}`),
      ...FINDING_STATUSES.map((s) => `detection.status.${s}`),
      ...DETECTION_MODES.map((m) => `detection.mode.${m}`),
      ...DETECTION_SUBJECT_TYPES.map((t) => `detection.subjectType.${t}`),
      ...['window_seconds', 'warn', 'crit', 'min_sample', 'cooldown_seconds'].map((f) => `detection.rules.field.${f}`),
    ];
    for (const tree of [trTree, enTree]) {
      expect(keys.filter((key) => typeof lookup(tree, key) !== 'string')).toEqual([]);
    }
  });

  it('uses the exact card titles of the issue', () => {
    expect(lookup(trTree, 'live.title')).toBe('Gerçek Zamanlı Çağrı Görünümü (Live)');
    expect(lookup(enTree, 'live.title')).toBe('Live Call View');
    expect(lookup(trTree, 'live.refresh')).toBe('Yenile');
    expect(lookup(enTree, 'live.refresh')).toBe('Refresh');
    expect(lookup(trTree, 'cdr.direction.inbound')).toBe('Gelen');
    expect(lookup(trTree, 'cdr.direction.outbound')).toBe('Giden');
  });
});

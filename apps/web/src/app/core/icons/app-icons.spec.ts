import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INSIGHT_KINDS, type VeloraEvent } from '@velora/contracts';
import { notificationText } from '../notifications/notification-text';
import { APP_ICONS } from './app-icons';

const SRC = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|html)$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Every icon name the templates and icon maps name literally: `svgIcon="x"`, the branches of a bound
 * `[svgIcon]="cond ? 'x' : 'y'"`, and the values of the `*_ICONS` maps. An unregistered name renders nothing and
 * logs "Unable to find icon" in the browser.
 */
function literalIconNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/svgIcon="([a-z_0-9]+)"/g)) names.set(m[1], file);
    for (const m of text.matchAll(/\[svgIcon\]="([^"]+)"/g)) {
      for (const b of m[1].matchAll(/[?:]\s*'([a-z_0-9]+)'/g)) names.set(b[1], file);
    }
    for (const m of text.matchAll(/const [A-Z_]+_ICONS\b[^=]*=\s*\{([^}]*)\}/g)) {
      for (const v of m[1].matchAll(/:\s*'([a-z_0-9]+)'/g)) names.set(v[1], file);
    }
  }
  return names;
}

describe('APP_ICONS', () => {
  it('registers every icon a template or icon map names', () => {
    const names = literalIconNames();
    expect(names.size).toBeGreaterThan(20); // the scan finds the templates
    const missing = [...names].filter(([name]) => !(name in APP_ICONS)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });

  it('registers the icon of every kind and level of notification', () => {
    const at = '2026-12-04T10:00:00Z';
    const events: VeloraEvent[] = [];
    for (const level of ['info', 'warn', 'crit'] as const) {
      events.push(
        { id: 1, at, type: 'finding', level, data: { id: 'f', rule: 'fan_out', level: 'warn', subject: '1', reason_en: '', reason_tr: '' } } as unknown as VeloraEvent,
        ...INSIGHT_KINDS.map((kind) => ({ id: 2, at, type: 'insight', level, data: { id: 'i', kind, message_en: '', message_tr: '' } }) as unknown as VeloraEvent),
        { id: 3, at, type: 'integration', level, data: { integration: 'sippy', up: true, message: null } } as unknown as VeloraEvent,
        { id: 4, at, type: 'integration', level, data: { integration: 'issabel', up: false, message: 'x' } } as unknown as VeloraEvent,
        { id: 5, at, type: 'sync_error', level, data: { consecutive_failures: 3, message: 'x' } } as unknown as VeloraEvent,
        { id: 6, at, type: 'sync_recovered', level, data: { failed_runs: 3 } } as unknown as VeloraEvent,
        { id: 7, at, type: 'something_new', level, data: {} } as unknown as VeloraEvent,
      );
    }
    const icons = new Set(events.map((e) => notificationText(e, 'tr').icon));
    expect([...icons].filter((icon) => !(icon in APP_ICONS))).toEqual([]);
  });
});

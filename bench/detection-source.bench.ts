/**
 * source_change (docs/detection.md#source-country-and-user-agent): what the rule costs in memory over one hour of
 * 13.6k outgoing CDRs of 50 accounts, with GeoIP look-ups through `maxmind` on a generated country file, against —
 * in the same run — the same rule without a GeoIP database (user-agent half only) and `cli_rotation`, the other rule
 * that reads every outgoing call of an account (the baseline). The check fails the run unless the one account that
 * also calls from Nigeria is found, and nothing else.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyContext, type DetectionCdr, type RuleContext, type SourceHistory } from '../apps/api/src/detection/rules/detection-cdr';
import { evaluateAll, findRule, type RuleDefinition, type WindowHit } from '../apps/api/src/detection/rules/detection-rules';
import { MaxmindGeoIpService } from '../apps/api/src/detection/geoip.service';
import { countryRecord, writeMmdb } from '../test/support/mmdb-writer';
import type { BenchCase, BenchRun } from './harness';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 9, 30, 0);
const ACCOUNTS = 50;

function dataset(): DetectionCdr[] {
  const out: DetectionCdr[] = [];
  for (let id = 1; id <= 13_640; id += 1) {
    const acc = id % ACCOUNTS;
    // account acc7 places every 97th call from a Nigerian address
    const away = acc === 7 && id % 97 === 0;
    out.push({
      id: String(id),
      caller: `90212${String(1_000_000 + acc * 10 + (id % 10))}`,
      callee: `90532${String(2_000_000 + id)}`,
      at: T0 + ((id * 7919) % HOUR),
      duration: 45,
      answered: true,
      result: 0,
      direction: 'outbound',
      account: `acc${String(acc)}`,
      remoteIp: away ? `41.58.${String(id % 200)}.7` : `203.0.113.${String(acc)}`,
      userAgent: `Asterisk PBX 18.${String(acc % 5)}`,
      cost: 0.01,
      currency: 'EUR',
      ringSeconds: null,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

function history(): Map<string, SourceHistory> {
  const out = new Map<string, SourceHistory>();
  for (let acc = 0; acc < ACCOUNTS; acc += 1) {
    out.set(`acc${String(acc)}`, {
      calls: 5000,
      countries: new Map([['TR', 5000]]),
      userAgents: new Map([[`Asterisk PBX 18.${String(acc % 5)}`, 5000]]),
      days: 30,
    });
  }
  return out;
}

function rule(id: 'source_change' | 'cli_rotation'): RuleDefinition {
  const found = findRule(id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

const GROUP = 'source_change: 1 h of 13.6k outgoing CDRs of 50 accounts';

function bench(
  name: string,
  subject: string,
  id: 'source_change' | 'cli_rotation',
  geo: boolean,
  check: (hits: WindowHit[]) => void,
): BenchCase {
  let dir: string | null = null;
  let service: MaxmindGeoIpService | null = null;
  return {
    name,
    group: GROUP,
    subject,
    runs: 5,
    async prepare(): Promise<BenchRun> {
      const cdrs = dataset();
      let ctx: RuleContext = emptyContext({ sourceHistory: history() });
      if (geo) {
        dir = mkdtempSync(join(tmpdir(), 'velora-bench-geoip-'));
        const path = join(dir, 'country.mmdb');
        writeFileSync(
          path,
          writeMmdb([
            { cidr: '203.0.113.0/24', data: countryRecord('TR', 'Türkiye') },
            { cidr: '41.58.0.0/16', data: countryRecord('NG', 'Nigeria') },
            { cidr: '2001:db8::/32', data: countryRecord('DE', 'Germany') },
          ]),
        );
        const opened = await MaxmindGeoIpService.open(path, false);
        service = opened;
        ctx = { ...ctx, countryOf: (ip) => opened.country(ip) };
      }
      const r = rule(id);
      return {
        bytes: 0,
        items: cdrs.length,
        run: () => Promise.resolve(evaluateAll(r, cdrs, r.defaults, ctx)),
        check: (hits) => {
          check(hits as WindowHit[]);
        },
        dispose: () => {
          service?.onModuleDestroy();
          if (dir !== null) rmSync(dir, { recursive: true, force: true });
          return Promise.resolve();
        },
      };
    },
  };
}

export const cases: BenchCase[] = [
  bench('cli_rotation baseline', 'cli_rotation, same CDRs (the baseline)', 'cli_rotation', false, () => undefined),
  bench('source_change no geoip', 'source_change without GeoIP (user-agent half)', 'source_change', false, (hits) => {
    if (hits.length !== 0) throw new Error('stable user agents raised a finding');
  }),
  bench('source_change geoip', 'source_change with GeoIP (maxmind, ours)', 'source_change', true, (hits) => {
    const subjects = [...new Set(hits.map((h) => h.subject))];
    if (subjects.length !== 1 || subjects[0] !== 'acc7') throw new Error(`expected only acc7, got ${subjects.join(',')}`);
  }),
];

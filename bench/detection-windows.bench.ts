/**
 * Detection windows (docs/detection.md#windows): the sliding windows with hop thinning and the cooldown
 * (`evaluateAll`, ours) against, measured in the same run, the epoch-aligned tumbling windows they replaced (the
 * baseline: one evaluation per subject × block) and naive sliding windows (one evaluation at every call). Input: one
 * hour of calls of 500 callers (2 000 numbers each rings a few times) plus one dialler calling every second with a
 * burst straddling the top of the hour, evaluated with fan_out (1 h window) and short_calls (6 h window).
 */
import { emptyContext, type DetectionCdr } from '../apps/api/src/detection/rules/detection-cdr';
import {
  evaluateAll,
  evaluateRule,
  findRule,
  groupBySubject,
  type RuleDefinition,
  type WindowHit,
} from '../apps/api/src/detection/rules/detection-rules';
import type { BenchCase, BenchRun } from './harness';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 9, 30, 0);
const CTX = emptyContext();

function dataset(): DetectionCdr[] {
  const out: DetectionCdr[] = [];
  let id = 0;
  const push = (caller: string, callee: string, at: number, duration: number): void => {
    id += 1;
    out.push({
      id: String(id),
      caller,
      callee,
      at,
      duration,
      answered: duration > 0,
      result: 0,
      direction: 'outbound',
      account: `acc${String(id % 50)}`,
      remoteIp: null,
      cost: 0.01,
      currency: 'EUR',
      ringSeconds: null,
    });
  };
  // ordinary callers: 500 numbers, 20 calls each over the hour
  for (let c = 0; c < 500; c += 1) {
    for (let k = 0; k < 20; k += 1)
      push(
        `90532${String(1_000_000 + c)}`,
        `90212${String(2_000_000 + ((c * 37 + k * 101) % 2000))}`,
        T0 + ((c * 7919 + k * 180_000) % HOUR),
        45,
      );
  }
  // a dialler: one short call per second for the hour, to distinct numbers (the busiest subject)
  for (let s = 0; s < 3600; s += 1) push('905559990000', `90216${String(3_000_000 + s)}`, T0 + s * 1000, 3);
  // a burst across the top of the hour: 20 distinct callees before 10:00 and 20 after
  for (let i = 0; i < 40; i += 1) push('905558880000', `90312${String(4_000_000 + i)}`, T0 + 30 * 60_000 - 20_000 + i * 1000, 2);
  return out.sort((a, b) => a.at - b.at);
}

function rule(id: 'fan_out' | 'short_calls'): RuleDefinition {
  const found = findRule(id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

/** The replaced algorithm: epoch-aligned blocks of the window length, one evaluation per subject × block. */
function tumbling(r: RuleDefinition, cdrs: readonly DetectionCdr[]): number {
  const size = r.defaults.window_seconds * 1000;
  const groups = new Map<string, DetectionCdr[]>();
  for (const cdr of cdrs) {
    const subject = r.subjectOf(cdr, CTX);
    if (subject === null) continue;
    const key = `${subject}\u0000${String(Math.floor(cdr.at / size))}`;
    const list = groups.get(key) ?? [];
    list.push(cdr);
    groups.set(key, list);
  }
  let hits = 0;
  for (const [key, list] of groups) if (evaluateRule(r, key.split('\u0000')[0] ?? '', list, r.defaults, CTX) !== null) hits += 1;
  return hits;
}

/** Sliding windows evaluated at every call (no thinning). */
function naiveSliding(r: RuleDefinition, cdrs: readonly DetectionCdr[]): number {
  const size = r.defaults.window_seconds * 1000;
  let hits = 0;
  for (const [subject, list] of groupBySubject(r, cdrs, CTX)) {
    let lo = 0;
    for (let hi = 0; hi < list.length; hi += 1) {
      while (list[lo].at <= list[hi].at - size) lo += 1;
      if (hi + 1 - lo < r.defaults.min_sample) continue;
      if (evaluateRule(r, subject, list.slice(lo, hi + 1), r.defaults, CTX) !== null) hits += 1;
    }
  }
  return hits;
}

function casesFor(id: 'fan_out' | 'short_calls'): BenchCase[] {
  const group = `${id}: 1 h of 13.6k CDRs, one dialler at 1 call/s`;
  const prepare = (run: (cdrs: DetectionCdr[]) => unknown, check: (result: unknown) => void) => (): BenchRun => {
    const cdrs = dataset();
    return { bytes: 0, items: cdrs.length, run: () => Promise.resolve(run(cdrs)), check };
  };
  const r = rule(id);
  return [
    {
      name: `${id} tumbling`,
      group,
      subject: 'tumbling blocks (the replaced baseline)',
      runs: 5,
      prepare: prepare(
        (cdrs) => tumbling(r, cdrs),
        (n) => {
          if (typeof n !== 'number' || n < 1) throw new Error('tumbling found nothing');
        },
      ),
    },
    {
      name: `${id} sliding thinned`,
      group,
      subject: 'sliding, hop-thinned + cooldown (ours)',
      runs: 5,
      prepare: prepare(
        (cdrs) => evaluateAll(r, cdrs, r.defaults, CTX),
        (hits) => {
          const subjects = new Set((hits as WindowHit[]).map((h) => h.subject));
          if (!subjects.has('905559990000')) throw new Error('the dialler was not found');
          if (id === 'fan_out' && !subjects.has('905558880000')) throw new Error('the burst across the hour was not found');
        },
      ),
    },
    {
      name: `${id} sliding naive`,
      group,
      subject: 'sliding at every call (no thinning)',
      runs: 3,
      prepare: prepare(
        (cdrs) => naiveSliding(r, cdrs),
        (n) => {
          if (typeof n !== 'number' || n < 1) throw new Error('naive sliding found nothing');
        },
      ),
    },
  ];
}

export const cases: BenchCase[] = [...casesFor('fan_out'), ...casesFor('short_calls')];

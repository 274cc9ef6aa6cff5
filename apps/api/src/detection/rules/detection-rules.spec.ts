import type { DetectionRuleId } from '@velora/contracts';
import { emptyContext, type DetectionCdr, type RuleContext, type SourceHistory, type SubjectBaseline } from './detection-cdr';
import {
  evaluateAll,
  evaluateRule,
  findRule,
  isNight,
  matchRiskPrefix,
  RULES,
  mergeIncidents,
  sequentialRun,
  slidingHits,
  type RuleDefinition,
  type WindowHit,
} from './detection-rules';
import { describeBaseline, describeWindow } from './reason-format';
import { cliProblem, e164Digits, isNeighbour } from './cli-check';

const T = Date.UTC(2026, 10, 24, 10, 0, 0); // 10:00 UTC, the start of an hour (and of every window used here)
const NIGHT = Date.UTC(2026, 10, 24, 2, 0, 0);
let seq = 0;

function cdr(overrides: Partial<DetectionCdr> = {}): DetectionCdr {
  seq += 1;
  return {
    id: String(seq),
    caller: '905321112233',
    callee: `90212555${String(seq % 10_000).padStart(4, '0')}`,
    at: T + seq,
    duration: 60,
    answered: true,
    result: 0,
    direction: 'outbound',
    account: '1042',
    remoteIp: null,
    cost: 0.1,
    currency: 'EUR',
    ringSeconds: null,
    ...overrides,
  };
}

function many(n: number, make: (i: number) => Partial<DetectionCdr>): DetectionCdr[] {
  return Array.from({ length: n }, (_, i) => cdr(make(i)));
}

function rule(id: DetectionRuleId): RuleDefinition {
  const found = findRule(id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

function run(id: DetectionRuleId, cdrs: DetectionCdr[], ctx: RuleContext = emptyContext(), settings = {}) {
  const r = rule(id);
  return evaluateAll(r, cdrs, { ...r.defaults, ...settings }, ctx);
}

const allow = (n: string): RuleContext => emptyContext({ allowNumbers: new Set([n]) });

describe('detection rules', () => {
  it('every rule has defaults inside its own limits, crit at or above warn, and distinct ids', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      const { defaults, limits } = r;
      expect(defaults.crit).toBeGreaterThanOrEqual(defaults.warn);
      for (const key of ['window_seconds', 'warn', 'crit', 'min_sample'] as const) {
        expect(defaults[key]).toBeGreaterThanOrEqual(limits[key].min);
        expect(defaults[key]).toBeLessThanOrEqual(limits[key].max);
      }
    }
  });

  describe('short_calls', () => {
    // 20 attempts (the minimum sample), 10 of 20 answered under 6 s = 0.5 (warn)
    const atWarn = () => many(20, (i) => ({ duration: i < 10 ? 3 : 60 }));
    it('fires at the warn threshold with a bilingual reason and its evidence', () => {
      const [hit, ...rest] = run('short_calls', atWarn());
      expect(rest).toHaveLength(0);
      expect(hit.evaluation.level).toBe('warn');
      expect(hit.evaluation.score).toBe(0.5);
      expect(hit.subject).toBe('905321112233');
      expect(hit.evaluation.reason_en).toBe('10 of 20 answered calls from 905321112233 under 6 s (50%) in 6 h, 20 attempts');
      expect(hit.evaluation.reason_tr).toContain('%50');
      expect(hit.evaluation.evidence).toMatchObject({ attempts: 20, answered: 20, short_calls: 10 });
      expect(hit.evaluation.cdrIds).toHaveLength(20);
    });
    it('is critical at the crit threshold', () => {
      expect(
        run(
          'short_calls',
          many(20, (i) => ({ duration: i < 16 ? 2 : 60 })),
        )[0].evaluation.level,
      ).toBe('crit');
    });
    it('stays silent just below the threshold and below the minimum sample', () => {
      expect(
        run(
          'short_calls',
          many(20, (i) => ({ duration: i < 9 ? 3 : 60 })),
        ),
      ).toEqual([]);
      expect(
        run(
          'short_calls',
          many(19, () => ({ duration: 1 })),
        ),
      ).toEqual([]);
    });
    it('stays silent for an allow-listed caller', () => {
      expect(run('short_calls', atWarn(), allow('905321112233'))).toEqual([]);
    });
  });

  describe('fan_out', () => {
    const fanOut = (n: number) => many(n, (i) => ({ callee: `9053300${String(i).padStart(5, '0')}`, duration: i % 10 === 0 ? 60 : 2 }));
    it('fires at 30 distinct callees in an hour and says how short the calls were', () => {
      const [hit] = run('fan_out', fanOut(30));
      expect(hit.evaluation.level).toBe('warn');
      expect(hit.evaluation.score).toBe(30);
      expect(hit.evaluation.reason_en).toBe('905321112233 called 30 distinct numbers in 1 h (30 attempts), 90% of answered under 6 s');
      expect(hit.evaluation.reason_tr).toBe(
        '905321112233 1 sa içinde 30 farklı numarayı aradı (30 deneme), cevaplananların %90 kadarı 6 sn’den kısa',
      );
    });
    it('uses the window of the settings ("42 distinct numbers in 10 min")', () => {
      const [hit] = run('fan_out', fanOut(42), emptyContext(), { window_seconds: 600 });
      expect(hit.evaluation.reason_en).toContain('42 distinct numbers in 10 min');
      expect(hit.evaluation.reason_tr).toContain('10 dk içinde 42 farklı numarayı');
    });
    it('is silent below the threshold, below the minimum sample and for an allow-listed caller', () => {
      expect(run('fan_out', fanOut(29))).toEqual([]);
      expect(run('fan_out', fanOut(19), emptyContext(), { warn: 5, crit: 10 })).toEqual([]);
      expect(run('fan_out', fanOut(40), allow('905321112233'))).toEqual([]);
    });
    it('slides: a burst across the top of the hour (the old block boundary) is found whole', () => {
      // 20 distinct callees in the minute before 10:00, 20 in the minute after: 40 in 2 min, 20 per clock hour
      const burst = [
        ...fanOut(20).map((c, i) => ({ ...c, at: T - 60_000 + i * 1000 })),
        ...fanOut(40)
          .slice(20)
          .map((c, i) => ({ ...c, at: T + i * 1000 })),
      ];
      const hits = run('fan_out', burst);
      expect(hits).toHaveLength(1);
      expect(hits[0].evaluation).toMatchObject({ level: 'warn', score: 40, firstSeen: T - 60_000, lastSeen: T + 19_000 });
      expect(hits[0].evaluation.cdrIds).toHaveLength(40);
      expect(hits[0].windowEnd).toBe(T + 19_000);
      expect(hits[0].windowStart).toBe(T + 19_000 - 3_600_000);
    });
    it('forgets calls older than the window: 20 + 20 distinct callees 61 min apart raise nothing', () => {
      const apart = [
        ...fanOut(20).map((c) => ({ ...c, at: T })),
        ...fanOut(40)
          .slice(20)
          .map((c) => ({ ...c, at: T + 61 * 60_000 })),
      ];
      expect(run('fan_out', apart)).toEqual([]);
    });
  });

  describe('cpm_caller and cpm_account', () => {
    it('fires at 20 attempts in a minute from one number', () => {
      const [hit] = run(
        'cpm_caller',
        many(20, () => ({})),
      );
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 20 });
      expect(hit.evaluation.reason_en).toBe('905321112233 made 20 attempts in 1 min (20 per minute)');
    });
    it('per account, with the score per minute over a longer window', () => {
      const [hit] = run(
        'cpm_account',
        many(600, (i) => ({ caller: `9053211${String(i).padStart(5, '0')}` })),
        emptyContext(),
        { window_seconds: 300 },
      );
      expect(hit.subject).toBe('1042');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 120 });
      expect(hit.evaluation.reason_tr).toBe('1042 hesabı 5 dk içinde 600 deneme yaptı (dakikada 120)');
    });
    it('is silent below the threshold, below the minimum sample and for an allow-listed caller', () => {
      expect(
        run(
          'cpm_caller',
          many(19, () => ({})),
        ),
      ).toEqual([]);
      expect(
        run(
          'cpm_caller',
          many(4, () => ({})),
          emptyContext(),
          { warn: 1, crit: 2 },
        ),
      ).toEqual([]);
      expect(
        run(
          'cpm_caller',
          many(30, () => ({})),
          allow('905321112233'),
        ),
      ).toEqual([]);
      // an allow-listed caller's calls do not count for its account either
      expect(
        run(
          'cpm_account',
          many(70, () => ({})),
          allow('905321112233'),
        ),
      ).toEqual([]);
    });
  });

  describe('asr_collapse', () => {
    const base = (attempts: number, answered: number): Map<string, SubjectBaseline> =>
      new Map([['905321112233', { attempts, answered, cost: 0, hours: 168, nightAttempts: 0, nightHours: 0 }]]);
    it('fires when the ASR falls 30 points below the caller’s own 7 days', () => {
      // baseline 60 % (60/100), now 30 % (6/20): a drop of 30 points
      const cdrs = many(20, (i) => ({ answered: i < 6, duration: i < 6 ? 60 : 0 }));
      const [hit] = run('asr_collapse', cdrs, emptyContext({ baselines: base(100, 60) }));
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 30 });
      expect(hit.evaluation.reason_en).toBe(
        'ASR of 905321112233 fell to 30% in 1 h (6/20) from 60% over the previous 7 days (100 attempts)',
      );
    });
    it('names the span the baseline really covers on a young store', () => {
      const cdrs = many(20, (i) => ({ answered: i < 6, duration: i < 6 ? 60 : 0 }));
      const [hit] = run('asr_collapse', cdrs, emptyContext({ baselines: base(100, 60), baselineHours: 30.5 }));
      expect(hit.evaluation.reason_en).toContain('from 60% over the previous 30 h (100 attempts)');
      expect(hit.evaluation.reason_tr).toContain('önceki 30 saatte %60 idi');
    });
    it('is silent without enough baseline, below the minimum sample, on a small drop and when allow-listed', () => {
      const cdrs = many(20, (i) => ({ answered: i < 2, duration: i < 2 ? 60 : 0 }));
      expect(run('asr_collapse', cdrs, emptyContext({ baselines: base(19, 19) }))).toEqual([]);
      expect(run('asr_collapse', cdrs.slice(0, 19), emptyContext({ baselines: base(100, 90) }))).toEqual([]);
      expect(
        run(
          'asr_collapse',
          many(20, (i) => ({ answered: i < 9 })),
          emptyContext({ baselines: base(100, 70) }),
        ),
      ).toEqual([]);
      expect(run('asr_collapse', cdrs, emptyContext({ baselines: base(100, 90), allowNumbers: new Set(['905321112233']) }))).toEqual([]);
    });
  });

  describe('sequential', () => {
    const sweep = (n: number, step = 1) =>
      many(n, (i) => ({ callee: `90212444${String(1000 + i * step).padStart(4, '0')}`, at: T + i * 1000 }));
    it('fires at 10 numbers of one block dialled in ascending order', () => {
      const [hit] = run('sequential', sweep(10));
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 10 });
      expect(hit.evaluation.reason_en).toBe(
        '905321112233 dialled 10 numbers of block 90212444xxxx in 10 min, 100% of them in ascending order',
      );
    });
    it('ignores random numbers of a block and is silent below the minimum sample or when allow-listed', () => {
      const random = many(12, (i) => ({ callee: `90212444${String((i * 7919) % 10_000).padStart(4, '0')}`, at: T + i * 1000 }));
      expect(sequentialRun(random)?.monotonicShare).toBeLessThan(0.7);
      expect(run('sequential', random)).toEqual([]);
      expect(run('sequential', sweep(9), emptyContext(), { warn: 3, crit: 5 })).toEqual([]);
      expect(run('sequential', sweep(12), allow('905321112233'))).toEqual([]);
    });
  });

  describe('premium', () => {
    const ctx = (extra: Partial<RuleContext> = {}) =>
      emptyContext({
        riskPrefixes: [
          { prefix: '882', label: 'International networks', kind: 'high_risk_prefix' },
          { prefix: '8821', label: null, kind: 'high_risk_prefix' },
          { prefix: '53', label: 'Cuba', kind: 'block_prefix' },
        ],
        ...extra,
      });
    it('matches the longest prefix', () => {
      expect(matchRiskPrefix('88216000001', ctx().riskPrefixes)?.prefix).toBe('8821');
      expect(matchRiskPrefix('+8829000', ctx().riskPrefixes)?.prefix).toBe('882');
      expect(matchRiskPrefix('905321112233', ctx().riskPrefixes)).toBeNull();
    });
    it('fires at 3 calls to a high-risk prefix in an hour, with minutes and cost', () => {
      const cdrs = many(3, (i) => ({ callee: `8829000000${String(i)}`, duration: 120, cost: 2 }));
      const [hit] = run('premium', cdrs, ctx());
      expect(hit.subject).toBe('882');
      expect(hit.evaluation.level).toBe('warn');
      expect(hit.evaluation.reason_en).toBe(
        '3 calls to high-risk prefix 882 (International networks) in 1 h from 1 callers: 3 answered, 6.0 min, cost 6.00 EUR',
      );
    });
    it('any call to a block-listed prefix is critical', () => {
      const [hit] = run('premium', [cdr({ callee: '5371234567' })], ctx());
      expect(hit.evaluation.level).toBe('crit');
      expect(hit.evaluation.evidence['block_listed']).toBe(true);
    });
    it('is silent below the threshold, for inbound calls, below the minimum sample and for allow-listed numbers', () => {
      expect(
        run(
          'premium',
          many(2, () => ({ callee: '88290000001' })),
          ctx(),
        ),
      ).toEqual([]);
      expect(
        run(
          'premium',
          many(5, () => ({ callee: '88290000001', direction: 'inbound' })),
          ctx(),
        ),
      ).toEqual([]);
      expect(
        run(
          'premium',
          many(5, () => ({ callee: '88290000001' })),
          ctx(),
          { min_sample: 6 },
        ),
      ).toEqual([]);
      expect(
        run(
          'premium',
          many(5, () => ({ callee: '88290000001' })),
          ctx({ allowNumbers: new Set(['88290000001']) }),
        ),
      ).toEqual([]);
    });
  });

  describe('night_burst', () => {
    const baseline = (nightAttempts: number) =>
      new Map([['1042', { attempts: 0, answered: 0, cost: 0, hours: 168, nightAttempts, nightHours: 42 }]]);
    it('knows the night in the configured time zone', () => {
      expect(isNight(NIGHT, 'UTC')).toBe(true);
      expect(isNight(T, 'UTC')).toBe(false);
      expect(isNight(Date.UTC(2026, 10, 24, 22, 30), 'Europe/Istanbul')).toBe(true); // 01:30 in Istanbul
    });
    it('builds one formatter per zone, not one per CDR (each held ~25 KB of C heap until a GC)', () => {
      const spy = jest.spyOn(Intl, 'DateTimeFormat');
      try {
        const nights = Array.from({ length: 500 }, (_, i) => isNight(NIGHT + i * 60_000, 'America/Bogota'));
        expect(nights.filter(Boolean).length).toBeGreaterThan(0);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(1); // built at most once (0 if an earlier test used the zone)
      } finally {
        spy.mockRestore();
      }
    });
    it('fires at 30 night calls when that is over 3× the account’s night average', () => {
      const [hit] = run(
        'night_burst',
        many(30, (i) => ({ at: NIGHT + i * 1000 })),
        emptyContext({ baselines: baseline(42) }),
      );
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 30 });
      expect(hit.evaluation.reason_en).toBe('Account 1042 made 30 calls at night in 1 h; its night average is 1.0 (last 7 days)');
    });
    it('is silent for an account that usually works at night, by day, below the minimum sample and for allow-listed callers', () => {
      expect(
        run(
          'night_burst',
          many(30, (i) => ({ at: NIGHT + i })),
          emptyContext({ baselines: baseline(42 * 12) }),
        ),
      ).toEqual([]);
      expect(
        run(
          'night_burst',
          many(40, () => ({})),
        ),
      ).toEqual([]);
      expect(
        run(
          'night_burst',
          many(19, (i) => ({ at: NIGHT + i })),
          emptyContext(),
          { warn: 5, crit: 10 },
        ),
      ).toEqual([]);
      expect(
        run(
          'night_burst',
          many(40, (i) => ({ at: NIGHT + i })),
          allow('905321112233'),
        ),
      ).toEqual([]);
    });
  });

  describe('wangiri and the callbacks', () => {
    const oneRing = (n: number) =>
      many(n, (i) => ({
        caller: '23276000111',
        callee: `90212555${String(i).padStart(4, '0')}`,
        direction: 'inbound',
        answered: false,
        duration: 0,
        result: 487,
        ringSeconds: 2,
        at: T + i * 1000,
      }));
    it('fires at 20 of our numbers rung once from one number within 5 min', () => {
      const [hit] = run('wangiri', oneRing(20));
      expect(hit.subject).toBe('23276000111');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 20 });
      expect(hit.evaluation.reason_en).toContain('rang 20 of our numbers in 5 min');
      expect(hit.evaluation.reason_tr).toContain('geri aramayın');
    });
    it('is silent when the calls were answered, below the minimum sample, for outbound calls and when allow-listed', () => {
      expect(
        run(
          'wangiri',
          oneRing(20).map((c) => ({ ...c, answered: true, duration: 30 })),
        ),
      ).toEqual([]);
      expect(run('wangiri', oneRing(19), emptyContext(), { warn: 5, crit: 10 })).toEqual([]);
      expect(
        run(
          'wangiri',
          oneRing(25).map((c) => ({ ...c, direction: 'outbound' })),
        ),
      ).toEqual([]);
      expect(run('wangiri', oneRing(25), allow('23276000111'))).toEqual([]);
    });
    it('links our callbacks to the Wangiri number, with their cost', () => {
      const ctx = emptyContext({ wangiriSources: new Map([['23276000111', { findingId: '7', callees: 24, firstSeen: T - 3_600_000 }]]) });
      const callbacks = [
        cdr({ caller: '902123456700', callee: '23276000111', duration: 90, cost: 3.5 }),
        cdr({ caller: '902123456701', callee: '23276000111', answered: false, duration: 0, cost: 0 }),
        cdr({ caller: '902123456700', callee: '905551112233' }), // not a callback
      ];
      const [hit, ...rest] = run('wangiri_callback', callbacks, ctx);
      expect(rest).toEqual([]);
      expect(hit.subject).toBe('23276000111');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 2 });
      expect(hit.evaluation.evidence).toMatchObject({ callbacks: 2, answered: 1, cost: 3.5, wangiri_finding_id: '7' });
      expect(hit.evaluation.reason_en).toBe(
        '2 callbacks to Wangiri number 23276000111 (it rang 24 of our numbers) from 2 of our numbers: 1 answered, 1.5 min, cost 3.50 EUR',
      );
      // a call placed before the number rang in is no callback; an allow-listed number raises nothing
      expect(run('wangiri_callback', [cdr({ callee: '23276000111', at: T - 7_200_000 })], ctx)).toEqual([]);
      expect(run('wangiri_callback', callbacks, { ...ctx, allowNumbers: new Set(['23276000111']) })).toEqual([]);
      expect(run('wangiri_callback', callbacks, ctx, { min_sample: 3 })).toEqual([]);
    });
  });

  describe('cost_spike', () => {
    const baseline = new Map([['1042', { attempts: 1000, answered: 600, cost: 168, hours: 168, nightAttempts: 0, nightHours: 0 }]]);
    it('fires at 5× the account’s hourly spend', () => {
      const [hit] = run(
        'cost_spike',
        many(10, () => ({ cost: 0.5 })),
        emptyContext({ baselines: baseline }),
      );
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 5 });
      expect(hit.evaluation.reason_en).toBe('Account 1042 spent 5.00 EUR in 1 h, 5× its usual 1.00 EUR (10 calls)');
    });
    it('judges a new account against the floor, but only once the store holds a day of history', () => {
      const spend = many(10, () => ({ cost: 3 }));
      expect(run('cost_spike', spend, emptyContext({ baselineHours: 23.9 }))).toEqual([]);
      const [hit] = run('cost_spike', spend, emptyContext({ baselineHours: 24 }));
      expect(hit.evaluation).toMatchObject({ level: 'crit', score: 30 });
      expect(hit.evaluation.evidence).toMatchObject({ expected: 1, ratio: 30 });
    });
    it('is silent below the threshold, below the minimum sample and for allow-listed callers', () => {
      expect(
        run(
          'cost_spike',
          many(10, () => ({ cost: 0.4 })),
          emptyContext({ baselines: baseline }),
        ),
      ).toEqual([]);
      expect(
        run(
          'cost_spike',
          many(9, () => ({ cost: 100 })),
          emptyContext({ baselines: baseline }),
        ),
      ).toEqual([]);
      expect(
        run(
          'cost_spike',
          many(10, () => ({ cost: 100 })),
          allow('905321112233'),
        ),
      ).toEqual([]);
    });
  });

  describe('describeBaseline', () => {
    it('says hours below two days and whole days from there, in both languages', () => {
      expect(describeBaseline(168)).toEqual({ en: '7 days', tr: '7 gün', trIn: '7 günde' });
      expect(describeBaseline(73.9)).toEqual({ en: '3 days', tr: '3 gün', trIn: '3 günde' });
      expect(describeBaseline(47.5)).toEqual({ en: '47 h', tr: '47 saat', trIn: '47 saatte' });
      expect(describeBaseline(0)).toEqual({ en: '0 h', tr: '0 saat', trIn: '0 saatte' });
    });
  });

  describe('switch_rejects', () => {
    const rejects = (n: number) => many(n, (i) => ({ result: i % 2 === 0 ? -21 : -20, answered: false, duration: 0 }));
    it('fires at 10 internal rejects in 5 min and names them', () => {
      const [hit] = run('switch_rejects', [...rejects(10), ...many(30, () => ({ result: 486 }))]);
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 10 });
      expect(hit.evaluation.reason_en).toBe(
        'The switch rejected 10 calls of account 1042 in 5 min: 5× forbidden destination (-21), 5× insufficient balance (-20)',
      );
      expect(hit.evaluation.reason_tr).toContain('yasak hedef');
    });
    it('is silent below the minimum sample and for allow-listed callers', () => {
      expect(run('switch_rejects', rejects(9))).toEqual([]);
      expect(run('switch_rejects', rejects(20), allow('905321112233'))).toEqual([]);
    });
  });

  describe('marked_number', () => {
    it('fires on a call with a spam-marked number, either side, and is silent when it is also allow-listed', () => {
      const ctx = emptyContext({ spamNumbers: new Set(['905559990000']) });
      const [hit] = run('marked_number', [cdr({ caller: '905559990000' }), cdr({ callee: '905559990000' })], ctx);
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 2 });
      expect(run('marked_number', [cdr({})], ctx)).toEqual([]);
      expect(run('marked_number', [cdr({ caller: '905559990000' })], { ...ctx, allowNumbers: new Set(['905559990000']) })).toEqual([]);
      expect(run('marked_number', [cdr({ caller: '905559990000' })], ctx, { min_sample: 2 })).toEqual([]);
    });
  });

  it('evaluateRule treats a number with and without "+" as the same allow-list entry', () => {
    const r = rule('cpm_caller');
    const cdrs = many(30, () => ({ caller: '+905321112233' }));
    expect(evaluateRule(r, '+905321112233', cdrs, r.defaults, allow('905321112233'))).toBeNull();
  });

  it('describes windows in both languages', () => {
    expect(describeWindow(86_400)).toEqual({ en: '1 day', tr: '1 gün' });
    expect(describeWindow(90)).toEqual({ en: '90 s', tr: '90 sn' });
  });

  describe('sliding windows and the cooldown', () => {
    const fanOut = (n: number, at: (i: number) => number, offset = 0) =>
      many(n, (i) => ({ callee: `9053300${String(offset + i).padStart(5, '0')}`, at: at(i) }));
    it('repeated bursts within the cooldown are one finding with every CDR; after it, a new one', () => {
      const burst = (start: number, offset: number) => fanOut(30, (i) => start + i * 1000, offset);
      // three bursts of 30 distinct callees, 2 h apart (each alone over the 1 h window), cooldown 3 h
      const cdrs = [...burst(T, 0), ...burst(T + 2 * 3_600_000, 100), ...burst(T + 4 * 3_600_000, 200)];
      const hits = run('fan_out', cdrs, emptyContext(), { cooldown_seconds: 3 * 3600 });
      expect(hits).toHaveLength(1);
      expect(hits[0].evaluation.cdrIds).toHaveLength(90);
      expect(hits[0].evaluation.firstSeen).toBe(T);
      expect(hits[0].evaluation.lastSeen).toBe(T + 4 * 3_600_000 + 29_000);
      // cooldown of 1 h: the bursts are 2 h − 29 s apart, so each is its own finding
      expect(run('fan_out', cdrs, emptyContext(), { cooldown_seconds: 3600 })).toHaveLength(3);
    });
    it('a finding that escalates keeps the critical reason when a later window is only a warning', () => {
      const r = rule('fan_out');
      const settings = { ...r.defaults, warn: 30, crit: 50, cooldown_seconds: 3 * 3600 };
      const first = fanOut(50, (i) => T + i * 1000);
      const later = fanOut(30, (i) => T + 2 * 3_600_000 + i * 1000, 500);
      const [hit] = run('fan_out', [...first, ...later], emptyContext(), settings);
      expect(hit.evaluation.level).toBe('crit');
      expect(hit.evaluation.score).toBe(50);
      expect(hit.evaluation.cdrIds).toHaveLength(80);
      const escalating = run(
        'fan_out',
        [...fanOut(30, (i) => T + i * 1000, 900), ...fanOut(50, (i) => T + 2 * 3_600_000 + i * 1000, 1000)],
        emptyContext(),
        settings,
      );
      expect(escalating).toHaveLength(1);
      expect(escalating[0].evaluation).toMatchObject({ level: 'crit', score: 50 });
    });
    it('evaluates a busy subject at most about once per hop, always at the last call of a run', () => {
      const r = rule('cpm_caller');
      // 600 calls, one every 100 ms (60 s) then a pause: the 60 s window with hop 7.5 s
      const cdrs = many(600, (i) => ({ at: T + i * 100 }));
      const ends = cdrs.map((c) => c.at);
      const hits = slidingHits(r, '905321112233', cdrs, ends, r.defaults, emptyContext());
      expect(hits.length).toBeGreaterThan(1);
      expect(hits.length).toBeLessThanOrEqual(Math.ceil(60_000 / 7500) + 1);
      expect(hits.at(-1)?.windowEnd).toBe(T + 59_900);
      expect(hits.at(-1)?.evaluation.cdrIds).toHaveLength(600);
    });
    it('mergeIncidents keeps subjects apart', () => {
      const hit = (subject: string, at: number): WindowHit => ({
        subject,
        windowStart: at - 60_000,
        windowEnd: at,
        evaluation: {
          level: 'warn',
          score: 1,
          reason_en: '',
          reason_tr: '',
          evidence: {},
          cdrIds: [`${subject}${String(at)}`],
          firstSeen: at,
          lastSeen: at,
        },
      });
      const merged = mergeIncidents([hit('a', T), hit('b', T + 1000), hit('a', T + 2000)], 60);
      expect(merged.map((m) => [m.subject, m.evaluation.cdrIds.length])).toEqual([
        ['a', 2],
        ['b', 1],
      ]);
    });
  });

  describe('cli_validity', () => {
    it('knows what is wrong with a caller number (libphonenumber-js numbering plans and reserved ranges)', () => {
      const callee = '902122345678';
      expect(cliProblem('905321234567', callee)).toBeNull();
      expect(cliProblem('+905321234567', callee)).toBeNull();
      expect(cliProblem('0532 123 45 67', callee)).toBeNull(); // Turkish national
      expect(cliProblem('00442071838750', callee)).toBeNull();
      expect(cliProblem('1001', callee)).toBeNull(); // an extension
      expect(cliProblem('anonymous', callee)).toBeNull(); // withheld, not invalid
      expect(cliProblem(null, callee)).toBeNull();
      expect(cliProblem('90532ABC4567', callee)).toBe('format');
      expect(cliProblem('9053212345', callee)).toBe('length');
      expect(cliProblem('+905321234567000000', callee)).toBe('length');
      expect(cliProblem('+999123456789', callee)).toBe('country_code');
      expect(cliProblem('+901234567890', callee)).toBe('unallocated'); // no Turkish number starts with 1
      expect(cliProblem('12015550123', callee)).toBe('reserved'); // NANP 555-01xx
      expect(cliProblem('+447700900123', callee)).toBe('reserved'); // Ofcom drama range
      expect(cliProblem('02122345678', callee)).toBe('same_as_callee');
      expect(e164Digits('0090 532 123 45 67')).toBe('905321234567');
    });
    // 10 of 20 calls of account 1042 with invalid caller numbers
    const calls = (invalid: number, total = 20, account = '1042') =>
      many(total, (i) => ({
        account,
        caller: i < invalid ? `+90123456${String(i).padStart(4, '0')}` : `90532123${String(i).padStart(4, '0')}`,
      }));
    it('fires at 10 invalid caller numbers of one account in an hour, naming the problems with examples', () => {
      const [hit, ...rest] = run('cli_validity', calls(10));
      expect(rest).toEqual([]);
      expect(hit.subject).toBe('1042');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 10 });
      expect(hit.evaluation.evidence).toMatchObject({ attempts: 20, invalid: 10, by_problem: { unallocated: 10 } });
      expect(hit.evaluation.reason_en).toBe(
        'Account 1042 presented 10 invalid caller numbers in 1 h (of 20 calls): 10 outside the numbering plan; e.g. +901234560000, +901234560001, +901234560002, +901234560003, +901234560004',
      );
      expect(hit.evaluation.reason_tr).toContain(
        '1042 hesabı 1 sa içinde 10 geçersiz arayan numarası gösterdi (20 çağrıdan): 10 numaralandırma planı dışında',
      );
      expect(run('cli_validity', calls(50, 60))[0].evaluation.level).toBe('crit');
    });
    it('is silent below the threshold, below the minimum sample and for allow-listed numbers', () => {
      expect(run('cli_validity', calls(9))).toEqual([]);
      expect(run('cli_validity', calls(9, 9), emptyContext(), { warn: 1, crit: 2 })).toEqual([]);
      const ctx = emptyContext({
        allowNumbers: new Set(
          calls(10)
            .slice(0, 10)
            .map((c) => c.caller ?? ''),
        ),
      });
      expect(run('cli_validity', calls(10), ctx)).toEqual([]);
    });
  });

  describe('neighbour_spoofing', () => {
    it('matches a caller next to the callee (all but the last 4 digits), never the callee itself', () => {
      expect(isNeighbour('905321230001', '905321239999')).toBe(true);
      expect(isNeighbour('+12015550001', '12015559876')).toBe(true);
      expect(isNeighbour('905321230001', '905321240001')).toBe(false);
      expect(isNeighbour('905321230001', '905321230001')).toBe(false);
      expect(isNeighbour('1001', '1002')).toBe(false);
    });
    // `n` of `total` calls (spread evenly: the sliding windows see the same share all along) from a number next to
    // the callee's, each to a distinct callee; the others from an unrelated number
    const spread = (i: number, n: number, total: number) => Math.floor(((i + 1) * n) / total) > Math.floor((i * n) / total);
    const calls = (n: number, total = 20) =>
      many(total, (i) => {
        const callee = `9053212${String(i).padStart(3, '0')}55`;
        return { callee, caller: spread(i, n, total) ? `${callee.slice(0, -4)}${String(9000 + i)}` : `90216${String(1_000_000 + i)}` };
      });
    it('fires when 30% of an account’s calls come from the callee’s neighbourhood', () => {
      const hits = run('neighbour_spoofing', calls(12, 40));
      expect(hits).toHaveLength(1);
      expect(hits[0].subject).toBe('1042');
      expect(hits[0].evaluation).toMatchObject({ level: 'warn', score: 0.3 });
      expect(hits[0].evaluation.evidence).toMatchObject({ attempts: 40, neighbour_calls: 12, callees: 12 });
      expect(hits[0].evaluation.reason_en).toBe(
        '12 of 40 calls of account 1042 in 1 h (30%) came from a number next to the callee’s (12 caller numbers, 12 callees)',
      );
      expect(hits[0].evaluation.reason_tr).toContain('%30');
      expect(run('neighbour_spoofing', calls(15, 20))[0].evaluation.level).toBe('crit');
    });
    it('is silent below the share, below the minimum sample, with too few callees, and for allow-listed callers', () => {
      expect(run('neighbour_spoofing', calls(11, 40))).toEqual([]);
      expect(run('neighbour_spoofing', calls(19, 19))).toEqual([]);
      // 12 of 20 neighbour calls, but all to the same 9 callees
      let k = 0;
      const few = calls(12, 20).map((c) => {
        if (c.caller?.startsWith('90216') === true) return c;
        k += 1;
        const callee = `9053212${String(k % 9).padStart(3, '0')}55`;
        return { ...c, callee, caller: `${callee.slice(0, -4)}${String(9000 + k)}` };
      });
      expect(run('neighbour_spoofing', few)).toEqual([]);
      expect(
        run(
          'neighbour_spoofing',
          few.map((c, i) =>
            c.caller?.startsWith('90216') === true
              ? c
              : { ...c, callee: `9053212${String(i).padStart(3, '0')}55`, caller: `9053212${String(i).padStart(3, '0')}01` },
          ),
        ),
      ).toHaveLength(1);
      const all = calls(12, 40);
      const neighbours = all.filter((c) => c.caller?.startsWith('90216') === false).slice(0, 3);
      expect(run('neighbour_spoofing', all, emptyContext({ allowNumbers: new Set(neighbours.map((c) => c.caller ?? '')) }))).toEqual([]);
    });
  });

  describe('cli_rotation', () => {
    // one account's outgoing calls from `n` distinct caller numbers (60 calls)
    const calls = (n: number, total = 60, overrides: Partial<DetectionCdr> = {}) =>
      many(total, (i) => ({ caller: `90532400${String(i % n).padStart(4, '0')}`, remoteIp: `10.0.0.${String(i % 2)}`, ...overrides }));
    it('fires at 50 distinct caller numbers of one account in an hour', () => {
      const [hit] = run('cli_rotation', calls(50));
      expect(hit.subject).toBe('1042');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 50 });
      expect(hit.evaluation.evidence).toMatchObject({ attempts: 60, distinct_clis: 50, calls_per_cli: 1.2, remote_ips: 2 });
      expect(hit.evaluation.reason_en).toBe(
        'Account 1042 presented 50 distinct caller numbers in 1 h (60 calls, 1.2 per number, from 2 IP addresses)',
      );
      expect(hit.evaluation.reason_tr).toBe(
        '1042 hesabı 1 sa içinde 50 farklı arayan numarası gösterdi (60 çağrı, numara başına 1.2, 2 IP adresinden)',
      );
      expect(run('cli_rotation', calls(200, 200))[0].evaluation.level).toBe('crit');
    });
    it('is silent below the threshold, below the minimum sample, for inbound calls, extensions and allow-listed numbers', () => {
      expect(run('cli_rotation', calls(49))).toEqual([]);
      expect(run('cli_rotation', calls(49, 49), emptyContext(), { warn: 10, crit: 20 })).toEqual([]);
      expect(run('cli_rotation', calls(50, 60, { direction: 'inbound' }))).toEqual([]);
      const extensions = many(60, (i) => ({ caller: String(1000 + i) }));
      expect(run('cli_rotation', extensions)).toEqual([]);
      const all = calls(50);
      expect(run('cli_rotation', all, emptyContext({ allowNumbers: new Set([all[0].caller ?? '']) }))).toEqual([]);
    });
  });

  describe('source_change', () => {
    // GeoIP of the test: 203.0.113.x → TR, 41.x → NG, 102.x → GH, 5.x → DE
    const geo = (ip: string | null): string | null =>
      ip === null
        ? null
        : ip.startsWith('203.0.113.')
          ? 'TR'
          : ip.startsWith('41.')
            ? 'NG'
            : ip.startsWith('102.')
              ? 'GH'
              : ip.startsWith('5.')
                ? 'DE'
                : null;
    const history = (calls: number, uas: string[] = ['Asterisk PBX 18.20.2']): SourceHistory => ({
      calls,
      countries: new Map([['TR', calls]]),
      userAgents: new Map(uas.map((ua) => [ua, Math.floor(calls / uas.length)])),
      days: 30,
    });
    const ctx = (calls = 500, overrides: Partial<RuleContext> = {}, uas?: string[]): RuleContext =>
      emptyContext({ countryOf: geo, sourceHistory: new Map([['1042', history(calls, uas)]]), ...overrides });
    const usual = (n: number) => many(n, () => ({ remoteIp: '203.0.113.45', userAgent: 'Asterisk PBX 18.20.2' }));
    it('fires on the first calls from a new country after the baseline, with the calls from there', () => {
      const calls = [...usual(5), ...many(2, () => ({ remoteIp: '41.58.10.7', userAgent: 'Asterisk PBX 18.20.2' }))];
      const [hit, ...rest] = run('source_change', calls, ctx());
      expect(rest).toEqual([]);
      expect(hit.subject).toBe('1042');
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 1, cdrIds: calls.slice(5).map((c) => c.id) });
      expect(hit.evaluation.reason_en).toBe(
        'First call from NG (Nigeria) for account 1042 in 30 days; usual: TR; IP 41.58.10.7; UA Asterisk PBX 18.20.2',
      );
      expect(hit.evaluation.reason_tr).toBe(
        '1042 hesabı için 30 gün içinde NG (Nijerya) kaynaklı ilk çağrı; olağan: TR; IP 41.58.10.7; UA Asterisk PBX 18.20.2',
      );
      expect(hit.evaluation.evidence).toMatchObject({
        new_countries: [{ country: 'NG', calls: 2 }],
        usual_countries: ['TR'],
        baseline_calls: 500,
      });
    });
    it('is critical when several new countries appear in one window', () => {
      const calls = [...many(1, () => ({ remoteIp: '41.58.10.7' })), ...many(1, () => ({ remoteIp: '102.176.1.9' }))];
      const [hit] = run('source_change', calls, ctx());
      expect(hit.evaluation).toMatchObject({ level: 'crit', score: 2 });
      expect(hit.evaluation.reason_en).toContain('First calls from NG (Nigeria), GH (Ghana) for account 1042');
    });
    it('is silent below the baseline minimum, for excluded and usual countries, inbound calls, allow-listed callers and without GeoIP', () => {
      const ng = () => many(3, () => ({ remoteIp: '41.58.10.7' }));
      expect(run('source_change', ng(), ctx(19))).toEqual([]);
      expect(
        run('source_change', ng(), ctx(500, { sourceSettings: { excludedCountries: new Set(['NG']), minBaselineCalls: 20 } })),
      ).toEqual([]);
      expect(run('source_change', usual(10), ctx())).toEqual([]);
      expect(
        run(
          'source_change',
          many(3, () => ({ remoteIp: '41.58.10.7', direction: 'inbound' })),
          ctx(),
        ),
      ).toEqual([]);
      expect(run('source_change', ng(), ctx(500, { allowNumbers: new Set(['905321112233']) }))).toEqual([]);
      expect(run('source_change', ng(), ctx(500, { countryOf: () => null }))).toEqual([]);
      expect(run('source_change', ng(), emptyContext({ countryOf: geo }))).toEqual([]); // an account without history
    });
    it('warns on a new user agent when the baseline user agents are stable, also without GeoIP', () => {
      const calls = [...usual(3), ...many(2, () => ({ remoteIp: '203.0.113.99', userAgent: 'friendly-scanner' }))];
      const noGeo = emptyContext({ sourceHistory: new Map([['1042', { ...history(500), countries: new Map<string, number>() }]]) });
      const [hit] = run('source_change', calls, noGeo);
      expect(hit.evaluation).toMatchObject({ level: 'warn', score: 0, cdrIds: calls.slice(3).map((c) => c.id) });
      expect(hit.evaluation.reason_en).toBe(
        'New user agent friendly-scanner for account 1042 (usual in 30 days: Asterisk PBX 18.20.2); IP 203.0.113.99',
      );
      expect(hit.evaluation.reason_tr).toBe(
        '1042 hesabı için yeni kullanıcı aracısı friendly-scanner (30 gün içinde olağan: Asterisk PBX 18.20.2); IP 203.0.113.99',
      );
      // a baseline with many user agents (softphones of a call centre) is not stable: silent
      expect(run('source_change', calls, ctx(500, {}, ['a', 'b', 'c', 'd']))).toEqual([]);
      expect(run('source_change', usual(5), noGeo)).toEqual([]);
    });
    it('folds the calls of one incident within the cooldown into one finding', () => {
      const first = many(1, () => ({ remoteIp: '41.58.10.7' }));
      const later = many(1, (i) => ({ remoteIp: '41.58.10.8', at: T + 5 * 3_600_000 + i }));
      const hits = run('source_change', [...first, ...later], ctx());
      expect(hits).toHaveLength(1);
      expect(hits[0].evaluation.cdrIds).toEqual([first[0].id, later[0].id]);
      expect(run('source_change', [...first, ...later], ctx(), { cooldown_seconds: 3600 })).toHaveLength(2);
    });
  });
});

import type { Cdr, RawCdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export interface DatasetRow {
  cdr: Cdr;
  raw: RawCdr;
  source: string;
}

/** Per destination: calls, answered calls and cost per call in one hour. */
interface HourPlan {
  code: string;
  country: string;
  calls: number;
  answered: number;
  cost: number | null;
  currency: string | null;
}

/**
 * A crafted CDR set for the insights: `weeks` weeks of history at the same hour of the week as `target` (an hour
 * start), then in `target` itself:
 * - TR: normal (21 calls as usual 20) — no insight;
 * - DE: 60 calls instead of 10 — a critical traffic spike;
 * - FR: 3 of 30 calls answered instead of 24 — a critical ASR drop;
 * - GB: 20 GBP instead of 2 GBP for the usual 20 calls — a critical cost jump;
 * - NG: 12 calls, never called before — a new destination (a warning with INSIGHTS_MIN_CALLS=10);
 * - all traffic: 143 calls instead of 80 — a traffic spike (warning);
 * plus 40 TR calls 25 hours before `target` (the previous day of the narrative).
 * Every caller and callee is distinct and listed in `numbers` (the privacy test looks for each of them).
 */
export function insightsDataset(
  target: Date,
  options: { weeks?: number; idPrefix?: string } = {},
): {
  rows: DatasetRow[];
  numbers: string[];
  accounts: string[];
} {
  const weeks = options.weeks ?? 6;
  const prefix = options.idPrefix ?? 'ins';
  const rows: DatasetRow[] = [];
  const numbers: string[] = [];
  const accounts = new Set<string>();
  let seq = 0;
  const dial: Record<string, string> = { TR: '90212', DE: '4930', FR: '3314', GB: '4420', NG: '2341' };

  const hourOf = (start: number, plans: HourPlan[]): void => {
    for (const plan of plans) {
      for (let i = 0; i < plan.calls; i += 1) {
        seq += 1;
        const answered = i < plan.answered;
        const caller = `90532${String(1_000_000 + seq)}`;
        const callee = `${dial[plan.code] ?? '1'}${String(7_000_000 + seq)}`;
        const account = String(5000 + (seq % 7));
        numbers.push(caller, callee);
        accounts.add(account);
        const begin = start + ((i * 37_000) % 3_500_000);
        const duration = answered ? 60 + (seq % 90) : 0;
        rows.push({
          cdr: makeCdr({
            id: `${prefix}-${String(seq)}`,
            call_id: `${prefix}-call-${String(seq)}@198.51.100.20`,
            caller,
            callee,
            start_time: new Date(begin).toISOString(),
            end_time: new Date(begin + duration * 1000).toISOString(),
            duration,
            billed_duration: answered ? Math.ceil(duration / 60) * 60 : 0,
            status: answered ? 'completed' : i % 2 === 0 ? 'failed' : 'busy',
            result: answered ? 0 : i % 2 === 0 ? 503 : 486,
            sip_code: answered ? 200 : i % 2 === 0 ? 503 : 486,
            country: plan.country,
            country_code: plan.code,
            city: null,
            cost: plan.cost,
            currency: plan.currency,
            account,
            trunk: `trunk-${String(seq % 3)}`,
          }),
          raw: { i_cdr: `${prefix}-${String(seq)}`, cli: caller, cld: callee },
          source: 'test',
        });
      }
    }
  };

  const t = target.getTime();
  for (let w = weeks; w >= 1; w -= 1) {
    hourOf(t - w * WEEK_MS, [
      { code: 'TR', country: 'Turkey', calls: 20, answered: 12, cost: 0.5, currency: 'TRY' },
      { code: 'DE', country: 'Germany', calls: 10, answered: 6, cost: null, currency: null },
      { code: 'FR', country: 'France', calls: 30, answered: 24, cost: null, currency: null },
      { code: 'GB', country: 'United Kingdom', calls: 20, answered: 12, cost: 0.1, currency: 'GBP' },
    ]);
  }
  hourOf(t - 25 * HOUR_MS, [{ code: 'TR', country: 'Turkey', calls: 40, answered: 30, cost: 0.5, currency: 'TRY' }]);
  hourOf(t, [
    { code: 'TR', country: 'Turkey', calls: 21, answered: 12, cost: 0.5, currency: 'TRY' },
    { code: 'DE', country: 'Germany', calls: 60, answered: 36, cost: null, currency: null },
    { code: 'FR', country: 'France', calls: 30, answered: 3, cost: null, currency: null },
    { code: 'GB', country: 'United Kingdom', calls: 20, answered: 12, cost: 1, currency: 'GBP' },
    { code: 'NG', country: 'Nigeria', calls: 12, answered: 6, cost: 0.8, currency: 'USD' },
  ]);
  return { rows, numbers, accounts: [...accounts] };
}

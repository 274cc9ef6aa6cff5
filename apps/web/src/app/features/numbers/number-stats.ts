import type { Cdr } from '../../core/api/api.models';

export interface NumberStats {
  calls: number;
  answered: number;
  /** Answered ÷ attempts × 100, null without calls. */
  asr: number | null;
  /** Mean talk time of the answered calls, seconds; null when none was answered. */
  acd: number | null;
  /** Country codes (or names) with their call counts, most calls first. */
  countries: Array<{ country: string; calls: number }>;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Totals of a number's calls (the metric definitions of the reports: answered = status completed). */
export function numberStats(rows: readonly Cdr[]): NumberStats {
  const answered = rows.filter((r) => r.status === 'completed');
  const talk = answered.reduce((sum, r) => sum + (r.duration ?? 0), 0);
  const byCountry = new Map<string, number>();
  for (const row of rows) {
    const country = row.country_code ?? row.country;
    if (country !== null && country !== '') byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
  }
  const times = rows
    .map((r) => r.start_time)
    .filter((t): t is string => t !== null)
    .sort();
  return {
    calls: rows.length,
    answered: answered.length,
    asr: rows.length === 0 ? null : Math.round((answered.length / rows.length) * 1000) / 10,
    acd: answered.length === 0 ? null : Math.round(talk / answered.length),
    countries: [...byCountry.entries()]
      .map(([country, calls]) => ({ country, calls }))
      .sort((a, b) => b.calls - a.calls || a.country.localeCompare(b.country)),
    firstSeen: times[0] ?? null,
    lastSeen: times[times.length - 1] ?? null,
  };
}

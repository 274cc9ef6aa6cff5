import type { ReconcileWindow } from '@velora/contracts';
import { completenessDays, hoursOfDays } from './completeness';

const HOUR = 3_600_000;

function check(start: string, o: Partial<ReconcileWindow> = {}): ReconcileWindow {
  return {
    window_start: start,
    window_end: new Date(Date.parse(start) + HOUR).toISOString(),
    status: 'complete',
    switch_count: 10,
    stored_before: 10,
    healed: 0,
    updated: 0,
    stored_after: 10,
    error: null,
    checked_at: '2026-11-25T00:30:00.000Z',
    trigger: 'nightly',
    checked_by: null,
    ...o,
  };
}

/** Every hour of the Istanbul day 24 Nov (21:00Z on the 23rd … 20:00Z on the 24th), checked. */
function wholeDay(o: (i: number) => Partial<ReconcileWindow> = () => ({})): ReconcileWindow[] {
  const start = Date.parse('2026-11-23T21:00:00Z');
  return Array.from({ length: 24 }, (_, i) => check(new Date(start + i * HOUR).toISOString(), o(i)));
}

describe('completeness per day', () => {
  const NOW = Date.parse('2026-11-25T10:20:00Z'); // 13:20 in Istanbul on the 25th

  it('lists the whole UTC hours of the days in the zone', () => {
    expect(hoursOfDays('2026-11-24', '2026-11-25', 'Europe/Istanbul')).toEqual({
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-25T21:00:00.000Z',
    });
    expect(hoursOfDays('2026-11-24', '2026-11-24', 'Asia/Kolkata')).toEqual({
      from: '2026-11-23T18:00:00.000Z',
      to: '2026-11-24T19:00:00.000Z',
    });
  });

  it('calls a day complete when every hour was checked and nothing was missing, with its latest check', () => {
    const checks = wholeDay((i) => (i === 5 ? { checked_at: '2026-11-25T09:00:00.000Z', checked_by: 'admin@velora.test' } : {}));
    const [day] = completenessDays('2026-11-24', '2026-11-24', 'Europe/Istanbul', checks, NOW);
    expect(day).toMatchObject({
      day: '2026-11-24',
      status: 'complete',
      checkedHours: 24,
      healed: 0,
      switchCount: 240,
      stored: 240,
      checkedAt: '2026-11-25T09:00:00.000Z',
    });
    expect(day.reconcile).toEqual({ from: '2026-11-23T21:00:00.000Z', to: '2026-11-24T21:00:00.000Z' });
  });

  it('says healed N, failed, partial and unchecked', () => {
    const healed = wholeDay((i) =>
      i === 3 ? { status: 'healed', healed: 4, stored_before: 6 } : i === 9 ? { status: 'healed', healed: 1 } : {},
    );
    expect(completenessDays('2026-11-24', '2026-11-24', 'Europe/Istanbul', healed, NOW)[0]).toMatchObject({ status: 'healed', healed: 5 });
    const failed = wholeDay((i) =>
      i === 3 ? { status: 'failed', switch_count: null, error: 'fault: …' } : i === 4 ? { status: 'healed', healed: 2 } : {},
    );
    expect(completenessDays('2026-11-24', '2026-11-24', 'Europe/Istanbul', failed, NOW)[0]).toMatchObject({ status: 'failed', healed: 2 });
    const partial = wholeDay().slice(0, 20);
    expect(completenessDays('2026-11-24', '2026-11-24', 'Europe/Istanbul', partial, NOW)[0]).toMatchObject({
      status: 'partial',
      checkedHours: 20,
    });
    expect(completenessDays('2026-11-24', '2026-11-24', 'Europe/Istanbul', [], NOW)[0]).toMatchObject({
      status: 'unchecked',
      checkedHours: 0,
      checkedAt: null,
    });
  });

  it('counts only the hours that are over today, newest day first, and nothing of a future day', () => {
    const days = completenessDays('2026-11-24', '2026-11-26', 'Europe/Istanbul', wholeDay(), NOW);
    expect(days.map((d) => [d.day, d.status, d.hours.length])).toEqual([
      ['2026-11-26', 'open', 0],
      ['2026-11-25', 'unchecked', 13], // 21:00Z … 10:00Z are over at 10:20Z
      ['2026-11-24', 'complete', 24],
    ]);
    expect(days[0]?.reconcile).toBeNull();
    expect(days[1]?.reconcile).toEqual({ from: '2026-11-24T21:00:00.000Z', to: '2026-11-25T10:00:00.000Z' });
  });
});

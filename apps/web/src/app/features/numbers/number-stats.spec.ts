import { makeCdr } from '../../../testing/cdr.fixtures';
import { numberStats } from './number-stats';

describe('numberStats', () => {
  it('counts calls, ASR, ACD and countries (answered = completed), first and last seen', () => {
    const stats = numberStats([
      makeCdr({ id: '1', status: 'completed', duration: 60, country_code: 'TR', start_time: '2026-11-24T10:00:00.000Z' }),
      makeCdr({ id: '2', status: 'completed', duration: 120, country_code: 'TR', start_time: '2026-11-24T12:00:00.000Z' }),
      makeCdr({ id: '3', status: 'busy', duration: 0, country_code: 'DE', start_time: '2026-11-24T11:00:00.000Z' }),
      makeCdr({ id: '4', status: 'failed', duration: 0, country_code: null, country: null, start_time: null }),
    ]);
    expect(stats).toEqual({
      calls: 4,
      answered: 2,
      asr: 50,
      acd: 90,
      countries: [
        { country: 'TR', calls: 2 },
        { country: 'DE', calls: 1 },
      ],
      firstSeen: '2026-11-24T10:00:00.000Z',
      lastSeen: '2026-11-24T12:00:00.000Z',
    });
  });

  it('has no ASR or ACD without calls or answered calls', () => {
    expect(numberStats([])).toMatchObject({ calls: 0, asr: null, acd: null, countries: [], firstSeen: null });
    expect(numberStats([makeCdr({ status: 'busy', duration: 0 })])).toMatchObject({ asr: 0, acd: null });
  });
});

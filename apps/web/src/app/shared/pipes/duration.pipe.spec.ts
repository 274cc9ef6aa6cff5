import { DurationPipe, formatDuration } from './duration.pipe';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59.4, '0:59'],
    [59.6, '1:00'],
    [65, '1:05'],
    [600, '10:00'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [36000 + 61, '10:01:01'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it.each([null, undefined, Number.NaN, -1, Number.POSITIVE_INFINITY])('%s → an em dash', (value) => {
    expect(formatDuration(value)).toBe('—');
  });

  it('is exposed as the `duration` pipe', () => {
    expect(new DurationPipe().transform(125)).toBe('2:05');
  });
});

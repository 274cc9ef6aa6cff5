import { dateTimeFormat, numberFormat } from './intl-formats';

describe('shared Intl formatters', () => {
  it('returns the same DateTimeFormat for the same locale and options, another for other options', () => {
    const a = dateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' });
    expect(dateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' })).toBe(a);
    expect(dateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hourCycle: 'h23' })).not.toBe(a);
    expect(dateTimeFormat('tr-TR', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' })).not.toBe(a);
    expect(a.format(Date.UTC(2026, 10, 24, 1, 0))).toBe('10'); // Tokyo is UTC+9
  });

  it('builds a formatter once however often it is asked for', () => {
    const spy = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      for (let i = 0; i < 100; i += 1) dateTimeFormat('en-US', { timeZone: 'Pacific/Chatham', minute: '2-digit' }).format(i * 60_000);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('throws for a zone the runtime does not know, every time (nothing is cached for it)', () => {
    expect(() => dateTimeFormat('en-US', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en-US', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
  });

  it('returns the same NumberFormat for the same locale and options', () => {
    const a = numberFormat('tr-TR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(numberFormat('tr-TR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe(a);
    expect(numberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).not.toBe(a);
    expect(a.format(1234.5)).toBe('1.234,50');
  });
});

import { convertToParamMap } from '@angular/router';
import { isTimeZone, offsetMinutes, parseReportQuery, shiftDay, storedTimeZone, todayIn, toReportQueryParams, toReportRange, zonedMidnight } from './report-query';

const NOW = new Date('2026-11-24T22:30:00Z'); // already the 25th in Istanbul (UTC+3)

describe('report view query (URL ⇄ API range)', () => {
  it('defaults to the last 7 days in the stored zone, daily', () => {
    expect(parseReportQuery(convertToParamMap({}), NOW, 'Europe/Istanbul')).toEqual({
      from: '2026-11-19',
      to: '2026-11-25',
      tz: 'Europe/Istanbul',
      bucket: 'day',
      breakdown: 'account',
      top: 'caller',
      metric: 'calls',
      explicitRange: false,
    });
    expect(parseReportQuery(convertToParamMap({}), NOW, 'UTC')).toMatchObject({ from: '2026-11-18', to: '2026-11-24' });
  });

  it('reads a shared URL, uses hours for a single day and swaps a reversed range', () => {
    expect(parseReportQuery(convertToParamMap({ from: '2026-11-24', to: '2026-11-24', tz: 'Asia/Kolkata' }), NOW, 'UTC')).toEqual({
      from: '2026-11-24',
      to: '2026-11-24',
      tz: 'Asia/Kolkata',
      bucket: 'hour',
      breakdown: 'account',
      top: 'caller',
      metric: 'calls',
      explicitRange: true,
    });
    expect(parseReportQuery(convertToParamMap({ from: '2026-11-24', to: '2026-11-20', bucket: 'week' }), NOW, 'UTC')).toMatchObject({
      from: '2026-11-20',
      to: '2026-11-24',
      bucket: 'week',
    });
  });

  it('drops invalid values', () => {
    expect(parseReportQuery(convertToParamMap({ from: '2026-02-30', tz: 'Mars/Base', bucket: 'minute' }), NOW, 'UTC')).toEqual({
      from: '2026-11-18',
      to: '2026-11-24',
      tz: 'UTC',
      bucket: 'day',
      breakdown: 'account',
      top: 'caller',
      metric: 'calls',
      explicitRange: false,
    });
  });

  it('keeps the tables’ settings in the URL, leaving the defaults out', () => {
    const query = parseReportQuery(convertToParamMap({ from: '2026-11-20', to: '2026-11-24', breakdown: 'trunk', top: 'callee', metric: 'cost' }), NOW, 'UTC');
    expect(query).toMatchObject({ breakdown: 'trunk', top: 'callee', metric: 'cost' });
    expect(toReportQueryParams(query)).toEqual({ from: '2026-11-20', to: '2026-11-24', tz: 'UTC', bucket: 'day', breakdown: 'trunk', top: 'callee', metric: 'cost' });
    const defaults = parseReportQuery(convertToParamMap({ breakdown: 'cause', top: 'everyone', metric: 'fun' }), NOW, 'UTC');
    expect(defaults).toMatchObject({ breakdown: 'account', top: 'caller', metric: 'calls' });
    expect(toReportQueryParams(defaults)).toMatchObject({ breakdown: null, top: null, metric: null });
  });

  it('turns local days into the zone’s midnights, `to` inclusive', () => {
    const day = parseReportQuery(convertToParamMap({ from: '2026-11-24', to: '2026-11-24', tz: 'Europe/Istanbul' }), NOW, 'UTC');
    expect(toReportRange(day)).toEqual({
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-24T21:00:00.000Z',
      tz: 'Europe/Istanbul',
    });
    expect(zonedMidnight('2026-11-24', 'Asia/Kolkata').toISOString()).toBe('2026-11-23T18:30:00.000Z');
    // DST: Berlin switches to +2 on 2026-03-29 at 02:00 local
    expect(zonedMidnight('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedMidnight('2026-03-29', 'Europe/Berlin', 1).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('zone helpers', () => {
    expect(offsetMinutes('Asia/Kathmandu', Date.parse('2026-11-24T00:00:00Z'))).toBe(345);
    expect(todayIn('Europe/Istanbul', NOW)).toBe('2026-11-25');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isTimeZone('+03:00')).toBe(false);
    expect(storedTimeZone({ getItem: () => 'Asia/Dubai' })).toBe('Asia/Dubai');
    expect(storedTimeZone({ getItem: () => 'nonsense' })).toBe('Europe/Istanbul');
    expect(storedTimeZone(null)).toBe('Europe/Istanbul');
  });
});

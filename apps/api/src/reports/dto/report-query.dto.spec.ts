import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BreakdownQueryDto, ReportQueryDto, TimeseriesQueryDto, TopQueryDto } from './report-query.dto';

const RANGE = { from: '2026-11-24T00:00:00+03:00', to: '2026-11-25T00:00:00+03:00' };

function problems(cls: new () => object, plain: Record<string, unknown>): string[] {
  const dto = plainToInstance(cls, plain);
  return validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);
}

describe('report query DTOs', () => {
  it('defaults the zone to Europe/Istanbul, the bucket to day and the top list to 10 by calls', () => {
    expect(plainToInstance(ReportQueryDto, RANGE).tz).toBe('Europe/Istanbul');
    expect(plainToInstance(TimeseriesQueryDto, RANGE).bucket).toBe('day');
    expect(plainToInstance(TopQueryDto, { ...RANGE, by: 'caller' })).toMatchObject({ metric: 'calls', limit: 10 });
  });

  it('accepts the documented values', () => {
    expect(problems(TimeseriesQueryDto, { ...RANGE, tz: 'Asia/Kolkata', bucket: 'week' })).toEqual([]);
    expect(problems(BreakdownQueryDto, { ...RANGE, by: 'cause', limit: '20' })).toEqual([]);
    expect(problems(TopQueryDto, { ...RANGE, by: 'destination', metric: 'failures', answered: 'false', result: '-20' })).toEqual([]);
  });

  it.each([
    [BreakdownQueryDto, { ...RANGE, by: 'planet' }, 'by'],
    [BreakdownQueryDto, { ...RANGE }, 'by'],
    [TimeseriesQueryDto, { ...RANGE, bucket: 'minute' }, 'bucket'],
    [TopQueryDto, { ...RANGE, by: 'caller', metric: 'love' }, 'metric'],
    [TopQueryDto, { ...RANGE, by: 'caller', limit: '101' }, 'limit'],
    [ReportQueryDto, { ...RANGE, tz: 'Mars/Base' }, 'tz'],
    [ReportQueryDto, { ...RANGE, tz: '+03:00' }, 'tz'],
    [ReportQueryDto, { to: RANGE.to }, 'from'],
    [ReportQueryDto, { ...RANGE, from: 'yesterday' }, 'from'],
    [ReportQueryDto, { ...RANGE, answered: 'maybe' }, 'answered'],
    [ReportQueryDto, { ...RANGE, result: '4.5' }, 'result'],
    [ReportQueryDto, { ...RANGE, caller: "'; drop table" }, 'caller'],
    [ReportQueryDto, { ...RANGE, colour: 'red' }, 'colour'],
  ] as const)('%p %j names %s', (cls, plain, name) => {
    expect(problems(cls as new () => object, plain)).toContain(name);
  });
});

import { convertToParamMap } from '@angular/router';
import { QueryParamReader, pageRequest, setFilters, viewQueryParams } from './url-query';

const reader = (params: Record<string, string>): QueryParamReader => new QueryParamReader(convertToParamMap(params));

describe('QueryParamReader', () => {
  it('valid: keeps the value as given when accepted, else null', () => {
    const read = reader({ day: '2026-11-25', bad: 'yesterday', blank: '' });
    const isDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);
    expect(read.valid('day', isDay)).toBe('2026-11-25');
    expect(read.valid('bad', isDay)).toBeNull();
    expect(read.valid('blank', isDay)).toBeNull();
    expect(read.valid('missing', () => true)).toBeNull();
  });

  it('text: trims, cuts to the length and drops empty or refused values', () => {
    const read = reader({ name: '  Ada  ', long: 'abcdefgh', spaces: '   ', ip: ' 10.0.0.x ' });
    expect(read.text('name', 10)).toBe('Ada');
    expect(read.text('long', 3)).toBe('abc');
    expect(read.text('spaces', 10)).toBeNull();
    expect(read.text('missing', 10)).toBeNull();
    expect(read.text('ip', 45, (value) => /^[0-9.]+$/.test(value))).toBeNull();
    expect(read.text('name', 10, (value) => value === 'Ada')).toBe('Ada');
  });

  it('oneOf: only the listed values, typed', () => {
    const read = reader({ status: 'failed', other: 'FAILED' });
    const status: 'ok' | 'failed' | null = read.oneOf('status', ['ok', 'failed'] as const);
    expect(status).toBe('failed');
    expect(read.oneOf('other', ['ok', 'failed'] as const)).toBeNull();
    expect(read.oneOf('missing', ['ok'] as const)).toBeNull();
  });

  it('paging: a positive whole page and an offered size, else the defaults', () => {
    expect(reader({ page: '3', size: '100' }).paging([25, 50, 100], 25)).toEqual({ page: 3, size: 100 });
    expect(reader({}).paging([25, 50, 100], 50)).toEqual({ page: 1, size: 50 });
    for (const page of ['0', '-2', '1.5', 'x', '1e400']) {
      expect(reader({ page, size: '30' }).paging([25, 50], 25)).toEqual({ page: 1, size: 25 });
    }
  });
});

describe('viewQueryParams', () => {
  interface View {
    readonly q: string | null;
    readonly kind: string | null;
    readonly page: number;
    readonly size: number;
  }

  it('lists the filters in order and leaves default paging out', () => {
    const view: View = { kind: 'a', q: null, page: 1, size: 25 };
    expect(Object.entries(viewQueryParams(view, ['q', 'kind'], 25))).toEqual([
      ['q', null],
      ['kind', 'a'],
      ['page', null],
      ['size', null],
    ]);
    expect(viewQueryParams({ ...view, page: 4, size: 50 }, ['q', 'kind'], 25)).toEqual({ q: null, kind: 'a', page: 4, size: 50 });
  });

  it('never copies keys that are not listed', () => {
    const view = { q: 'x', kind: null, page: 2, size: 25, secret: 'not for the URL' };
    expect(viewQueryParams(view, ['q', 'kind'], 25)).toEqual({ q: 'x', kind: null, page: 2, size: null });
  });
});

describe('pageRequest', () => {
  it('turns a 1-based page into limit/offset', () => {
    expect(pageRequest({ page: 1, size: 25 })).toEqual({ limit: 25, offset: 0 });
    expect(pageRequest({ page: 3, size: 50 })).toEqual({ limit: 50, offset: 100 });
  });
});

describe('setFilters', () => {
  it('keeps only the set entries', () => {
    const filters = setFilters({ a: 'x', b: null, c: undefined, d: '', e: ' ' });
    expect(filters).toEqual({ a: 'x', e: ' ' });
    expect(Object.keys(filters)).toEqual(['a', 'e']);
  });
});

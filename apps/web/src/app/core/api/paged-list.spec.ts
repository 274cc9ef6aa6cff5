import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { getPage, pagedListParams, totalCount } from './paged-list';

interface Query {
  readonly limit: number;
  readonly offset: number;
  readonly name?: string;
  readonly state?: 'on' | 'off';
}

describe('pagedListParams', () => {
  it('sends paging and the set filters, trimmed; empty ones are left out', () => {
    const params = pagedListParams<Query>({ limit: 10, offset: 20, name: '  ada ', state: 'on' }, ['name', 'state']);
    expect(params.keys()).toEqual(['limit', 'offset', 'name', 'state']);
    expect(params.get('limit')).toBe('10');
    expect(params.get('offset')).toBe('20');
    expect(params.get('name')).toBe('ada');
    expect(pagedListParams<Query>({ limit: 10, offset: 0, name: '   ' }, ['name', 'state']).keys()).toEqual(['limit', 'offset']);
  });

  it('sends only the listed filters', () => {
    expect(pagedListParams<Query>({ limit: 10, offset: 0, name: 'ada', state: 'off' }, ['state']).keys()).toEqual([
      'limit',
      'offset',
      'state',
    ]);
  });
});

describe('totalCount', () => {
  it('reads a whole non-negative count', () => {
    expect(totalCount('321', 0, 5)).toBe(321);
    expect(totalCount('0', 0, 0)).toBe(0);
  });

  it('falls back to offset + received for a missing or bogus header', () => {
    for (const header of [null, '-3', '2.5', 'many', '1e400']) {
      expect(totalCount(header, 50, 7)).toBe(57);
    }
  });
});

describe('getPage', () => {
  it('GETs the page and reads X-Total-Count', async () => {
    TestBed.configureTestingModule({ providers: [provideTestHttp(), provideTestTransloco()] });
    const backend = TestBed.inject(HttpTestingController);
    const page = firstValueFrom(
      getPage<{ id: number }, Query>(TestBed.inject(HttpClient), '/api/things', { limit: 2, offset: 4, name: 'x' }, ['name']),
    );
    const request = backend.expectOne((r) => r.url === '/api/things');
    expect(request.request.method).toBe('GET');
    expect(request.request.params.toString()).toBe('limit=2&offset=4&name=x');
    request.flush([{ id: 1 }], { headers: { 'X-Total-Count': '9' } });
    await expect(page).resolves.toEqual({ rows: [{ id: 1 }], total: 9, totalExact: true });
    backend.verify();
  });
});

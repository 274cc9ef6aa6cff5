import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { makeCdr, makeSummary } from '../../../testing/cdr.fixtures';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { API_BASE_URL } from '../config/api-base-url.token';
import { CdrApiService } from './cdr-api.service';

describe('CdrApiService', () => {
  let service: CdrApiService;
  let backend: HttpTestingController;

  function setUp(baseUrl = ''): void {
    TestBed.configureTestingModule({
      providers: [provideTestHttp(), provideTestTransloco(), { provide: API_BASE_URL, useValue: baseUrl }],
    });
    service = TestBed.inject(CdrApiService);
    backend = TestBed.inject(HttpTestingController);
  }

  afterEach(() => { backend.verify(); });

  it('lists CDRs with only the set filters and reads X-Total-Count', async () => {
    setUp();
    const rows = [makeCdr()];
    const page = firstValueFrom(
      service.list({ limit: 25, offset: 50, status: 'failed', caller: '90532', country: '' }),
    );
    const request = backend.expectOne((r) => r.url === '/api/sippy/cdrs');
    expect(request.request.params.keys().sort()).toEqual(['caller', 'limit', 'offset', 'status']);
    expect(request.request.params.get('limit')).toBe('25');
    expect(request.request.params.get('offset')).toBe('50');
    expect(request.request.params.get('status')).toBe('failed');
    request.flush(rows, { headers: { 'X-Total-Count': '1234' } });
    await expect(page).resolves.toEqual({ rows, total: 1234, totalExact: true });
  });

  it('reads X-Total-Count-Exact: false as a capped total', async () => {
    setUp();
    const page = firstValueFrom(service.list({ limit: 25, offset: 0 }));
    backend.expectOne((r) => r.url === '/api/sippy/cdrs').flush([makeCdr()], {
      headers: { 'X-Total-Count': '10000', 'X-Total-Count-Exact': 'false' },
    });
    await expect(page).resolves.toMatchObject({ total: 10000, totalExact: false });
  });

  it('falls back to offset + rows when the total header is missing or bogus', async () => {
    setUp();
    const page = firstValueFrom(service.list({ limit: 25, offset: 25 }));
    backend.expectOne((r) => r.url === '/api/sippy/cdrs').flush([makeCdr(), makeCdr()], {
      headers: { 'X-Total-Count': 'lots' },
    });
    await expect(page).resolves.toMatchObject({ total: 27 });
  });

  it('prefixes the configured API base URL and asks the summary for a window', async () => {
    setUp('https://api.example.com');
    const summary = makeSummary();
    const result = firstValueFrom(service.summary('2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'));
    const request = backend.expectOne((r) => r.url === 'https://api.example.com/api/sippy/cdrs/summary');
    expect(request.request.params.get('from')).toBe('2026-11-24T00:00:00.000Z');
    expect(request.request.params.get('to')).toBe('2026-11-25T00:00:00.000Z');
    request.flush(summary);
    await expect(result).resolves.toEqual(summary);
  });
});

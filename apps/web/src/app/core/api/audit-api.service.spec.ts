import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { API_BASE_URL } from '../config/api-base-url.token';
import { ApiError } from '../http/api-error';
import type { AuditEntry } from './api.models';
import { AuditApiService } from './audit-api.service';

const ENTRY: AuditEntry = {
  id: 7,
  at: '2026-11-25T10:00:00.000Z',
  actor_user_id: null,
  actor_email: null,
  action: 'auth.login_failed',
  target: 'ghost@example.com',
  ip: '203.0.113.5',
  details: { reason: 'unknown_email' },
};

describe('AuditApiService', () => {
  let service: AuditApiService;
  let backend: HttpTestingController;

  function setUp(baseUrl = ''): void {
    TestBed.configureTestingModule({
      providers: [provideTestHttp(), provideTestTransloco(), { provide: API_BASE_URL, useValue: baseUrl }],
    });
    service = TestBed.inject(AuditApiService);
    backend = TestBed.inject(HttpTestingController);
  }

  afterEach(() => { backend.verify(); });

  it('sends only the set filters (trimmed) and reads X-Total-Count', async () => {
    setUp('https://api.example.com');
    const page = firstValueFrom(
      service.list({ limit: 50, offset: 100, action: 'auth.', actor: ' admin@ ', target: '', from: '2026-11-25T07:00:00.000Z' }),
    );
    const request = backend.expectOne((r) => r.url === 'https://api.example.com/api/audit-log');
    expect(request.request.method).toBe('GET');
    expect(request.request.params.keys().sort()).toEqual(['action', 'actor', 'from', 'limit', 'offset']);
    expect(request.request.params.get('action')).toBe('auth.');
    expect(request.request.params.get('actor')).toBe('admin@');
    expect(request.request.params.get('offset')).toBe('100');
    request.flush([ENTRY], { headers: { 'X-Total-Count': '321' } });
    await expect(page).resolves.toEqual({ rows: [ENTRY], total: 321, totalExact: true });
  });

  it('falls back to offset + rows when the total header is missing or bogus', async () => {
    setUp();
    const page = firstValueFrom(service.list({ limit: 25, offset: 25 }));
    backend.expectOne((r) => r.url === '/api/audit-log').flush([ENTRY], { headers: { 'X-Total-Count': '-3' } });
    await expect(page).resolves.toEqual({ rows: [ENTRY], total: 26, totalExact: true });
  });

  it('turns a 400 into an ApiError with the server messages', async () => {
    setUp();
    const page = firstValueFrom(service.list({ limit: 25, offset: 0, to: 'x' }));
    backend
      .expectOne((r) => r.url === '/api/audit-log')
      .flush({ statusCode: 400, message: ['to must not be earlier than from'] }, { status: 400, statusText: 'Bad Request' });
    const error = await page.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('bad_request');
    expect((error as ApiError).details).toEqual(['to must not be earlier than from']);
  });

  it('lists the action names', async () => {
    setUp();
    const actions = firstValueFrom(service.actions());
    backend.expectOne('/api/audit-log/actions').flush({ actions: ['auth.login', 'user.created'] });
    await expect(actions).resolves.toEqual(['auth.login', 'user.created']);
  });
});

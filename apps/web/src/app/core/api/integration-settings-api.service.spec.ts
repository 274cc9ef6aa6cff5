import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { defaultIssabelView } from '../../../testing/settings.fixtures';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { ApiError } from '../http/api-error';
import { IntegrationSettingsApiService, rejectedTest } from './integration-settings-api.service';

describe('IntegrationSettingsApiService', () => {
  let service: IntegrationSettingsApiService;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideTestHttp(), provideTestTransloco()] });
    service = TestBed.inject(IntegrationSettingsApiService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  it('reads, tests, saves and clears under /api/<integration>/settings', async () => {
    const view = firstValueFrom(service.get('issabel'));
    backend.expectOne({ method: 'GET', url: '/api/issabel/settings' }).flush(defaultIssabelView());
    await expect(view).resolves.toMatchObject({ integration: 'issabel' });

    const body = { host: 'pbx', port: 5038, username: 'u', secret: 's3', tls: false, tls_verify: true };
    void firstValueFrom(service.test('issabel', body));
    expect(backend.expectOne({ method: 'POST', url: '/api/issabel/settings/test' }).request.body).toEqual(body);
    void firstValueFrom(service.save('elevenlabs', { api_key: 'sk_1' }));
    expect(backend.expectOne({ method: 'PUT', url: '/api/elevenlabs/settings' }).request.body).toEqual({ api_key: 'sk_1' });
    void firstValueFrom(service.clear('sippy'));
    backend.expectOne({ method: 'DELETE', url: '/api/sippy/settings' });
  });

  it('reads the failed test out of a refused save (422) and nothing else', () => {
    const test = { ok: false, message: 'auth failed', details: { endpoint: 'x', latency_ms: null, cause: 'auth' } };
    expect(
      rejectedTest(new ApiError('bad_request', 422, 'errors.bad_request', 'x', [], { statusCode: 422, message: 'not saved', test })),
    ).toEqual(test);
    expect(
      rejectedTest(new ApiError('bad_request', 400, 'errors.bad_request', 'x', [], { statusCode: 400, message: ['url must be…'] })),
    ).toBeNull();
    expect(
      rejectedTest(new ApiError('bad_request', 422, 'errors.bad_request', 'x', [], { statusCode: 422, test: { ok: 'yes' } })),
    ).toBeNull();
    expect(rejectedTest(new ApiError('network', 0, 'errors.network', 'x'))).toBeNull();
  });
});

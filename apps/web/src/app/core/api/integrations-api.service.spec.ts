import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { ApiError } from '../http/api-error';
import type { HealthCheckBody } from './api.models';
import { IntegrationsApiService } from './integrations-api.service';

const sync = {
  enabled: true,
  running: false,
  last_success_at: '2026-11-24T10:00:00.000Z',
  last_error: null,
  last_error_at: null,
  lag_seconds: 4,
  rows_total: 120,
  last_run_rows: 3,
  consecutive_failures: 0,
  next_run_at: '2026-11-24T10:00:30.000Z',
};

function healthBody(details: HealthCheckBody['details'][string], ok: boolean): HealthCheckBody {
  return { status: ok ? 'ok' : 'error', info: {}, error: {}, details: { sippy: details } };
}

describe('IntegrationsApiService', () => {
  let service: IntegrationsApiService;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideTestHttp(), provideTestTransloco()] });
    service = TestBed.inject(IntegrationsApiService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => { backend.verify(); });

  it('reads a 200 health body as up', async () => {
    const details = { status: 'up' as const, mode: 'simulator' as const, latency_ms: 12, checked_at: 'x', sync };
    const result = firstValueFrom(service.health('sippy'));
    backend.expectOne('/api/sippy/health').flush(healthBody(details, true));
    await expect(result).resolves.toEqual({ state: 'up', details });
  });

  it('treats a 503 with a health body as data: down, with cause and sync', async () => {
    const details = {
      status: 'down' as const,
      mode: 'live' as const,
      cause: 'auth',
      message: 'Digest authentication failed',
      latency_ms: 40,
      checked_at: 'x',
      sync: { ...sync, consecutive_failures: 3, last_error: 'auth' },
    };
    const result = firstValueFrom(service.health('sippy'));
    backend
      .expectOne('/api/sippy/health')
      .flush(healthBody(details, false), { status: 503, statusText: 'Service Unavailable' });
    await expect(result).resolves.toEqual({ state: 'down', details });
  });

  it('reads a 503 with cause not_configured as "not configured"', async () => {
    const details = { status: 'down' as const, mode: 'unconfigured' as const, cause: 'not_configured', latency_ms: null };
    const result = firstValueFrom(service.health('sippy'));
    backend
      .expectOne('/api/sippy/health')
      .flush(healthBody(details, false), { status: 503, statusText: 'Service Unavailable' });
    await expect(result).resolves.toEqual({ state: 'not_configured', details });
  });

  it('reads a 404 as "not available yet" (Issabel, ElevenLabs before their release)', async () => {
    const result = firstValueFrom(service.health('issabel'));
    backend.expectOne('/api/issabel/health').flush({ statusCode: 404 }, { status: 404, statusText: 'Not Found' });
    await expect(result).resolves.toEqual({ state: 'not_available' });
  });

  it('reports an API it cannot reach as unreachable, without throwing', async () => {
    const result = firstValueFrom(service.health('elevenlabs'));
    backend.expectOne('/api/elevenlabs/health').error(new ProgressEvent('error'));
    const health = await result;
    expect(health.state).toBe('unreachable');
    expect(health.state === 'unreachable' && health.error).toBeInstanceOf(ApiError);
  });

  it('reports a 503 without a health body (proxy error page) as unreachable', async () => {
    const result = firstValueFrom(service.health('sippy'));
    backend.expectOne('/api/sippy/health').flush('<html>bad gateway</html>', { status: 503, statusText: 'x' });
    await expect(result).resolves.toMatchObject({ state: 'unreachable' });
  });

  it('posts the connection test once and returns the result', async () => {
    const request = { api_url: 'https://sippy.example/xmlapi', username: 'u', password: 's3cret', tls_verify: false };
    const answer = {
      ok: true,
      message: 'Connected',
      details: { endpoint: 'https://sippy.example/xmlapi', latency_ms: 20, methods: ['getAccountInfo'], tls_verify: false },
    };
    const result = firstValueFrom(service.testSippyConnection(request));
    const call = backend.expectOne('/api/sippy/test-connection');
    expect(call.request.method).toBe('POST');
    expect(call.request.body).toEqual(request);
    call.flush(answer);
    await expect(result).resolves.toEqual(answer);
  });

  it('reads the Issabel status and passes its errors on as ApiError', async () => {
    const status = {
      mode: 'simulator',
      checked_at: 'x',
      latency_ms: 3,
      active_channels: 2,
      active_calls: 1,
      channels_availability: 'ok',
      channels: [],
      peers_availability: 'ok',
      peer_summary: [],
      truncated: false,
    };
    const ok = firstValueFrom(service.issabelStatus());
    backend.expectOne('/api/issabel/status').flush(status);
    await expect(ok).resolves.toEqual(status);

    const failed = firstValueFrom(service.issabelStatus());
    backend
      .expectOne('/api/issabel/status')
      .flush({ statusCode: 503, message: 'Issabel is not configured' }, { status: 503, statusText: 'Service Unavailable' });
    await expect(failed).rejects.toMatchObject({ status: 503, details: ['Issabel is not configured'] });
  });

  it('reads Issabel and ElevenLabs health details', async () => {
    const issabel = {
      status: 'up' as const,
      mode: 'simulator' as const,
      latency_ms: 8,
      endpoint: 'tcp://127.0.0.1:5038',
      ami_version: '5.0.2',
      asterisk_version: '18.9.0',
      current_calls: 2,
    };
    const a = firstValueFrom(service.health('issabel'));
    backend.expectOne('/api/issabel/health').flush({ status: 'ok', details: { issabel } });
    await expect(a).resolves.toEqual({ state: 'up', details: issabel });

    const elevenlabs = { status: 'down' as const, mode: 'live' as const, latency_ms: null, cause: 'auth', message: 'key' };
    const b = firstValueFrom(service.health('elevenlabs'));
    backend
      .expectOne('/api/elevenlabs/health')
      .flush({ status: 'error', details: { elevenlabs } }, { status: 503, statusText: 'Service Unavailable' });
    await expect(b).resolves.toEqual({ state: 'down', details: elevenlabs });
  });
});

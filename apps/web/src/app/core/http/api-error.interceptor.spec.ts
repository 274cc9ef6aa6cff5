import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { ApiError } from './api-error';

describe('apiErrorInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  function setUp(lang: 'tr' | 'en' = 'tr'): void {
    TestBed.configureTestingModule({ providers: [provideTestHttp(), provideTestTransloco(lang)] });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  }

  afterEach(() => { backend.verify(); });

  async function failWith(
    status: number,
    body: string | object | null,
    url = '/api/sippy/cdrs',
  ): Promise<ApiError> {
    const result = firstValueFrom(http.get(url));
    const request = backend.expectOne(url);
    if (status === 0) {
      request.error(new ProgressEvent('error'));
    } else {
      request.flush(body, { status, statusText: 'x' });
    }
    try {
      await result;
    } catch (error: unknown) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('expected a failure');
  }

  it('turns a 400 into a bad_request ApiError with the server field messages', async () => {
    setUp();
    const error = await failWith(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: ['limit must not be greater than 1000', 'status must be one of …'],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(400);
    expect(error.messageKey).toBe('errors.bad_request');
    expect(error.message).toBe('İstek geçersiz.');
    expect(error.details).toEqual(['limit must not be greater than 1000', 'status must be one of …']);
  });

  it.each([
    [0, 'network'],
    [404, 'not_found'],
    [500, 'server'],
    [502, 'upstream'],
    [503, 'unavailable'],
    [504, 'timeout'],
    [401, 'unexpected'],
  ])('maps HTTP %s to kind %s', async (status, kind) => {
    setUp();
    const error = await failWith(status, { message: 'upstream said no' });
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it('translates into the active language and keeps the body for callers that need it', async () => {
    setUp('en');
    const body = { status: 'error', details: {} };
    const error = await failWith(502, body);
    expect(error.message).toBe('The switch (SippySoft) returned an error.');
    expect(error.body).toEqual(body);
  });

  it('leaves non-API requests (translation files) alone', async () => {
    setUp();
    const result = firstValueFrom(http.get('i18n/xx.json'));
    backend.expectOne('i18n/xx.json').flush('nope', { status: 404, statusText: 'Not Found' });
    await expect(result).rejects.not.toBeInstanceOf(ApiError);
  });
});
